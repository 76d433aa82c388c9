"""Break glass (緊急閲覧): opening one resident's record outside one's scope, with a reason.

The grant *is* the access-log row (AuditEvent.BREAK_GLASS, ``break_glass=True``, the resident's id, the
reason): append-only and hash-chained, it cannot be widened or back-dated, and the access-log analysis
lists it.  :func:`madoguchi.register.policy.policy_for` honours it for
:func:`madoguchi.register.policy.break_glass_minutes` minutes (30 by default), for that resident and that
user only, and only for the resident master's items (never a program's data, never an export).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.policy import break_glass_minutes, policy_for
from madoguchi.register.policy.residents import _participating_in
from madoguchi.residents.models import Resident

MIN_REASON_LENGTH = 10
MAX_OPEN_DEFAULT = 5


def max_open() -> int:
    """How many residents one user may hold open by break glass at the same time."""
    return int(getattr(settings, "MADOGUCHI_BREAK_GLASS_MAX_OPEN", MAX_OPEN_DEFAULT))


@dataclass(frozen=True)
class BreakGlassGrant:
    resident_id: int
    log_id: int
    expires_at: dt.datetime
    reason: str


def can_break_glass(actor: Actor) -> bool:
    """Whether the actor's role may break glass at all (department staff and privacy office by default)."""
    return policy_for(actor).may_break_glass()


def open_break_glass(*, actor: Actor, resident_id: int, reason: str, program_code: str = "") -> BreakGlassGrant:
    """Open ``resident_id`` for ``actor`` for a short time, logging the reason as a BREAK_GLASS row.

    Refuses (AccessRefused) a role that may not break glass (contractors, sub-contractors, auditors,
    administrators by default; see ``MADOGUCHI_BREAK_GLASS_ROLES``) or an actor outside its terminals.
    Rejects (BusinessRuleError) a reason shorter than ten characters, a resident the actor can already see
    without it, and more than ``MADOGUCHI_BREAK_GLASS_MAX_OPEN`` (5) residents open
    at once (break glass is for the exception, not for browsing).  An id that names no resident is not
    rejected: it is opened and logged like any other, so the answer never tells whether a resident exists.
    """
    reason = " ".join((reason or "").split())
    policy = policy_for(actor)
    if not policy.may_break_glass():
        raise AccessRefused(policy.refusal or "このロールでは緊急閲覧（理由を記入しての閲覧）はできません。",
                            action=str(AuditEvent.BREAK_GLASS), target=f"resident:{resident_id}",
                            program=program_code)
    if len(reason) < MIN_REASON_LENGTH:
        raise BusinessRuleError(f"閲覧する理由を{MIN_REASON_LENGTH}文字以上で具体的に記入してください。")
    # An id that names no resident is opened (and logged) like any other: answering "not found" here would let
    # anyone with the role probe which ids exist without a trace (issue 16 item 9).  The resident page then
    # refuses it with the words it uses for every resident the actor may not see.
    if policy.grants and Resident.objects.filter(_participating_in(policy.program_ids()), pk=resident_id).exists():
        raise BusinessRuleError("この住民は通常の権限で閲覧できます。緊急閲覧の必要はありません。")
    opened = policy.break_glass_ids()
    if resident_id not in opened and len(opened) >= max_open():
        raise BusinessRuleError(f"理由を記入して閲覧できるのは、同時に{max_open()}人までです。"
                                "時間をおいてから、または担当課・個人情報保護担当に相談してください。")
    with transaction.atomic():
        row = record_access(actor=actor, action=AuditEvent.BREAK_GLASS, residents=[resident_id],
                            target=f"resident:{resident_id}", program=program_code, purpose="緊急閲覧",
                            reason=reason, break_glass=True)
    return BreakGlassGrant(resident_id, row.id, row.at + dt.timedelta(minutes=break_glass_minutes()), reason)
