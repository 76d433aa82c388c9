"""The application subsidy's rule, as casework asks it (:class:`madoguchi.casework.rules.ApplicationRules`).

Source: seed 000 (防犯機器等購入緊急補助事業): the rate, cap and rounding of the subsidy, one application per
household, past grantees excluded, residence in the ward, the application period, attachments and pledges —
all parameters of :class:`~madoguchi.programs.models.SubsidyRule`, one row per program.
"""

from __future__ import annotations

from madoguchi.casework.models import Case, Settlement
from madoguchi.casework.rules import DuplicatePolicy
from madoguchi.casework.services.attachments import missing_attachments
from madoguchi.core.text import within_area
from madoguchi.programs.models import SubsidyRule
from madoguchi.programs.services.amounts import calculate_amount
from madoguchi.programs.services.rules import is_within_period
from madoguchi.register.models import Program
from madoguchi.residents.models import ResidentStatus


def rule_of(program_id: int) -> SubsidyRule | None:
    return SubsidyRule.objects.filter(program_id=program_id).first()


class SubsidyRules:
    """The application rules of 申請型補助金 (read-only; the rule row is edited on the settings screen)."""

    def computed_amount(self, case: Case) -> int:
        """cost × rate, rounded to the unit, at most the cap (yen); 0 without a rule."""
        rule = rule_of(case.program_id)
        return calculate_amount(rule, case.purchase_total) if rule else 0

    def required_attachments(self, program: Program) -> list[str]:
        rule = rule_of(program.pk)
        return list(rule.required_attachments) if rule else []

    def pledges(self, program: Program) -> list[str]:
        rule = rule_of(program.pk)
        return list(rule.pledges) if rule else []

    def duplicate_policy(self, program: Program) -> DuplicatePolicy:
        rule = rule_of(program.pk)
        if rule is None:
            return DuplicatePolicy()
        return DuplicatePolicy(exclude_past_grantees=rule.exclude_past_grantees,
                               one_per_household=rule.one_per_household)

    def findings(self, case: Case) -> list[tuple[bool, str]]:
        """(ok, text) for each rule of the program: period, residence, attachments, pledges, cost, duplicates."""
        rule = rule_of(case.program_id)
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
        # present: a stored file of that kind, or recorded as received on the application
        missing = missing_attachments(case, list(rule.required_attachments))
        out.append((not missing, "必要な添付書類がそろっている" if not missing
                    else f"添付書類の不足: {'、'.join(missing)}"))
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
