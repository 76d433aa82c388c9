"""対象者抽出・郵送 (cohort_mailing): people are extracted from the resident master by a rule and mailed
through a printer (seed 004, はたちのつどい案内状の印刷及び封入封緘).

The extraction rule ``cohort`` takes the fiscal year's coming-of-age cohort; the hand-over dataset is the
same cohort read from the master (never more than the items below); the printer's copy is returned and
erased under the hand-over ledger.  No money, no applications, no notices of its own.
"""

from __future__ import annotations

from madoguchi.programs.registry import register
from madoguchi.programs.spec import ExtractionRule, ProgramTypeSpec
from madoguchi.programs.types.cohort_mailing.cohort import COHORT, COHORT_ITEMS, admits, extract

COHORT_RULE = ExtractionRule(
    code="cohort", label="年度の対象者（はたちのつどい: 4月2日〜翌年4月1日生まれの住登者）", scope="対象者",
    residents=extract, admits=admits, source="seed 004; japan-domain-facts §5.3")

SPEC = register(ProgramTypeSpec(
    code="cohort_mailing",
    label="対象者抽出・郵送",
    summary="住民記録から条件で対象者を抽出し、委託先で印刷・封入封緘して郵送する事業（例: はたちのつどい案内状）。",
    seed="seed 004",
    reads=COHORT_ITEMS,
    roster_scope="対象者",
    roster_role="対象者",
    roster_admits=admits,
    extraction_rules=(COHORT_RULE,),
    datasets=(COHORT,),
    retention="登録の保存年限に従い、対象者の記録と受渡データの控えを消去します（委託先の控えは返却・消去証明で管理）。",
))
