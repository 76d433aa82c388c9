"""Checks of an application against its program's rule (shown on the review page; grant refuses on them)."""

from __future__ import annotations

from madoguchi.casework.models import Case, Settlement
from madoguchi.casework.services.attachments import missing_attachments
from madoguchi.core.text import within_area
from madoguchi.programs.models import SubsidyRule
from madoguchi.programs.services.amounts import calculate_amount
from madoguchi.programs.services.rules import is_within_period
from madoguchi.residents.models import ResidentStatus


def rule_for(case: Case) -> SubsidyRule | None:
    return SubsidyRule.objects.filter(program_id=case.program_id).first()


def computed_amount(case: Case, rule: SubsidyRule | None = None) -> int:
    """The amount the rule gives for the case's total cost, never above the amount applied for."""
    rule = rule or rule_for(case)
    if rule is None:
        return 0
    amount = calculate_amount(rule, case.purchase_total)
    if case.application_amount:
        amount = min(amount, case.application_amount)
    return amount


def findings(case: Case, rule: SubsidyRule | None = None) -> list[tuple[bool, str]]:
    """(ok, text) for each rule of the program: shown to reviewers."""
    rule = rule or rule_for(case)
    out: list[tuple[bool, str]] = []
    if rule is None:
        return [(False, "交付ルールが設定されていません")]
    day = case.application_date or case.received_on
    out.append((is_within_period(rule, day), f"申請日 {day} が受付期間内"))
    if rule.require_residence:
        if case.resident_id:
            ok = case.resident.status == ResidentStatus.REGISTERED if case.resident else False
            out.append((ok, "住民記録で区内在住を確認" if ok else "住民記録上、区内に住所がありません"))
        else:
            ok = within_area(case.address, rule.residence_prefix)
            out.append((ok, f"住所が「{rule.residence_prefix}」内（住民記録とは未照合）"))
    # present: a stored file of that kind, or recorded as received on the application (see services.attachments)
    missing = missing_attachments(case, list(rule.required_attachments))
    out.append((not missing, "必要な添付書類がそろっている" if not missing else f"添付書類の不足: {'、'.join(missing)}"))
    unconsented = [p for p in rule.pledges if not (case.pledges or {}).get(p)]
    out.append((not unconsented, "誓約・同意事項にすべて同意" if not unconsented
                else f"同意のない誓約事項: {'、'.join(unconsented)}"))
    total = case.purchase_total
    out.append((total > 0, f"購入・設置費用の合計 {total:,}円"))
    if rule.exclude_past_grantees or rule.one_per_household:
        open_count = case.duplicate_candidates.filter(settlement=Settlement.OPEN).count()
        dup = case.duplicate_candidates.filter(settlement=Settlement.DUPLICATE).exists()
        if dup:
            out.append((False, "重複（過去の交付・同一世帯）と確認済み"))
        else:
            out.append((open_count == 0, "重複の候補はすべて確認済み" if open_count == 0
                        else f"未確認の重複候補 {open_count}件"))
    return out


def grant_problems(case: Case) -> list[str]:
    rule = rule_for(case)
    problems = [text for ok, text in findings(case, rule) if not ok and "重複" not in text]
    if case.granted_amount is not None and case.granted_amount > computed_amount(case, rule):
        problems.append(f"決定額 {case.granted_amount:,}円 が規則による額 {computed_amount(case, rule):,}円 を超えています")
    return problems
