"""Configuring a program's subsidy rule.  Only the department that owns the program may change it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.programs.models import SubsidyRule
from madoguchi.programs.services.amounts import calculate_amount
from madoguchi.register.models import Program
from madoguchi.register.policy import OWNER, policy_for

EDITABLE = (
    "rate_numerator", "rate_denominator", "cap", "rounding_unit", "rounding", "one_per_household",
    "exclude_past_grantees", "require_residence", "residence_prefix", "period_start", "period_end",
    "required_attachments", "pledges", "fiscal_label",
)


def get_rule(program_code: str) -> SubsidyRule:
    try:
        return SubsidyRule.objects.select_related("program").get(program__code=program_code)
    except SubsidyRule.DoesNotExist as exc:
        raise BusinessRuleError(f"事業「{program_code}」の交付ルールが設定されていません。") from exc


def require_owner(actor: Actor, program_code: str) -> None:
    grant = policy_for(actor).require(program_code)
    if grant.kind != OWNER:
        raise AccessRefused("この操作は事業を所管する課の職員だけが行えます。", program=program_code)


def configure_rule(*, actor: Actor, program: Program, values: dict[str, Any]) -> SubsidyRule:
    """Create or update the rule of a program (owner only); the change is in the access log."""
    require_owner(actor, program.code)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise BusinessRuleError(f"設定できない項目です: {', '.join(sorted(unknown))}")
    start, end = values.get("period_start"), values.get("period_end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        raise BusinessRuleError("申請受付終了日が開始日より前です。")
    if values.get("rate_denominator") == 0 or values.get("rounding_unit") == 0:
        raise BusinessRuleError("補助率の分母と端数処理の単位は1以上にしてください。")
    with transaction.atomic():
        rule, _ = SubsidyRule.objects.get_or_create(program=program)
        for key, value in values.items():
            setattr(rule, key, value)
        rule.updated_by = actor.username
        rule.full_clean()
        rule.save()
        record_access(actor=actor, action=AuditEvent.REGISTER_CHANGE, target=f"subsidy_rule:{rule.pk}",
                      program=program.code, purpose="交付ルールの設定")
    return rule


def simulate_amount(*, program_code: str, cost: int) -> int:
    """The amount an applicant would get for a cost (no personal data involved)."""
    return calculate_amount(get_rule(program_code), cost)


def is_within_period(rule: SubsidyRule, day: dt.date) -> bool:
    if rule.period_start and day < rule.period_start:
        return False
    return not (rule.period_end and day > rule.period_end)
