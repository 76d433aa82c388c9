"""Checks of an application against its program type's rule (shown on the review page; grant refuses on
them).  The rule itself belongs to the program type (:mod:`madoguchi.casework.rules`); this module only
asks it, so casework never compares the type by name."""

from __future__ import annotations

from madoguchi.casework.models import Case
from madoguchi.casework.rules import rules_for
from madoguchi.register.models import Program

NO_RULE = "交付ルールが設定されていません"


def computed_amount(case: Case) -> int:
    """The amount (yen) the type's rule gives for the case, never above the amount applied for; 0 without
    a rule."""
    rules = rules_for(case.program)
    if rules is None:
        return 0
    amount = rules.computed_amount(case)
    if case.application_amount:
        amount = min(amount, case.application_amount)
    return amount


def findings(case: Case) -> list[tuple[bool, str]]:
    """(ok, text) for each rule of the program: shown to reviewers."""
    rules = rules_for(case.program)
    if rules is None:
        return [(False, NO_RULE)]
    return rules.findings(case)


def required_attachments(program: Program) -> list[str]:
    """Kinds of attachment the program's rule requires ([] without a rule)."""
    rules = rules_for(program)
    return rules.required_attachments(program) if rules else []


def pledges(program: Program) -> list[str]:
    """Pledges the program's rule asks applicants to agree to ([] without a rule)."""
    rules = rules_for(program)
    return rules.pledges(program) if rules else []


def grant_problems(case: Case) -> list[str]:
    """Reasons a grant must be refused: failed findings (duplicates are settled apart) and an amount
    above the rule's."""
    problems = [text for ok, text in findings(case) if not ok and "重複" not in text]
    computed = computed_amount(case)
    if case.granted_amount is not None and case.granted_amount > computed:
        problems.append(f"決定額 {case.granted_amount:,}円 が規則による額 {computed:,}円 を超えています")
    return problems
