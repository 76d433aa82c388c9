"""申請型補助金 (application_subsidy): residents apply, staff review, decide and pay (seed 000,
防犯機器等購入緊急補助事業).

The rule is :class:`~madoguchi.programs.models.SubsidyRule` (rate, cap, rounding, one per household, past
grantees, residence, period, attachments, pledges); applications run on casework; granted cases are paid
through payments; the hand-over dataset is the cases.  People come in by application (import or paper),
not by a roster, so the type declares no roster enrolment.
"""

from __future__ import annotations

from madoguchi.casework.models import NoticeKind
from madoguchi.casework.services.payment import granted_payables
from madoguchi.handover.erasers_apps import CASE_ITEM_FIELDS, CASES
from madoguchi.programs.models import SubsidyRule
from madoguchi.programs.registry import register
from madoguchi.programs.services.rules import simulate_amount
from madoguchi.programs.spec import ProgramTypeSpec, Screen, Simulator
from madoguchi.programs.types.application_subsidy import demo
from madoguchi.programs.types.application_subsidy.eligibility import SubsidyRules

SPEC = register(ProgramTypeSpec(
    code="application_subsidy",
    label="申請型補助金",
    summary="区民からの申請を受け付け、審査・決定・通知・振込を行う補助金（例: 防犯機器等購入緊急補助）。",
    seed="seed 000",
    reads=frozenset({"resident_no", "past_grant"}),
    writes=frozenset(CASE_ITEM_FIELDS) | {"purchase", "pledges", "notice_no", "inquiry"},
    rule_model=SubsidyRule,
    simulator=Simulator(label="補助額の試算", inputs=(("cost", "購入・設置費用の合計（円）"),),
                        run=lambda program, values: simulate_amount(program_code=program.code,
                                                                    cost=values["cost"])),
    application_rules=SubsidyRules(),
    screens=(
        Screen("casework:list", "申請の一覧", owner_only=False),
        Screen("casework:paper", "紙の申請の入力", owner_only=False),
        Screen("casework:duplicates", "重複の確認・過去の交付決定者"),
        Screen("casework:settings", "交付ルール・通知書の文面"),
        Screen("casework:simulate", "補助額の試算"),
        Screen("casework:notices", "通知書の一括作成"),
    ),
    notice_kinds=tuple((str(k.value), str(k.label)) for k in NoticeKind),
    payables=granted_payables,
    datasets=(CASES,),
    person_models=("casework.Case", "casework.CaseAttachment", "casework.Inquiry", "casework.PastGrantee",
                   "casework.NoticeJob", "payments.PaymentItem"),
    retention="登録の保存年限（事業終了後の年数）に従い、申請・添付・問合せ・過去の交付決定者名簿・支払明細の個人項目を消去します。",
    demo=demo.seed,
))
