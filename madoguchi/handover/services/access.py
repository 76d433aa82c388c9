"""Who may do what in the hand-over area.  Every check refuses with :class:`AccessRefused`.

- make packages, record returns and recipients' erasure certificates: department staff of the program's
  owning department (the access policy's OWNER grant);
- read the ledger: department staff (their department's programs), the privacy office and auditors (all
  rows; rows hold no residents' data);
- plan (dry run) and execute erasures: department staff of the owner, or the privacy office;
- approve an erasure: the privacy office, or department staff of the owner, never the requester;
- contractors, sub-contractors, administrators and anonymous users: nothing here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.core.errors import AccessRefused
from madoguchi.handover.models import ErasureRun, LedgerEntry
from madoguchi.register.models import Program
from madoguchi.register.policy import OWNER, Grant, policy_for

READERS = {Role.DEPARTMENT_STAFF, Role.PRIVACY_OFFICE, Role.AUDITOR}


def _active(actor: Actor) -> bool:
    return actor.user is not None and actor.user.is_active


def require_owner(actor: Actor, program: Program, *, action: str = "") -> Grant:
    """The actor is staff of the department that owns the program (under an approved registration)."""
    if not _active(actor) or actor.role != Role.DEPARTMENT_STAFF:
        raise AccessRefused("この操作は事業を所管する担当課の職員だけが行えます。", action=action,
                            program=program.code)
    grant = policy_for(actor).require(program.code)
    if grant.kind != OWNER:
        raise AccessRefused("この操作は事業を所管する担当課の職員だけが行えます。", action=action,
                            program=program.code)
    return grant


def owned_programs(actor: Actor) -> QuerySet[Program]:
    if not _active(actor) or actor.role != Role.DEPARTMENT_STAFF:
        return Program.objects.none()
    codes = [g.program_code for g in policy_for(actor).grants if g.kind == OWNER]
    return Program.objects.filter(code__in=codes).order_by("code")


def require_ledger_reader(actor: Actor) -> None:
    if not _active(actor) or actor.role not in READERS:
        raise AccessRefused("受渡管理簿を閲覧する権限がありません。", action="handover.ledger")


def ledger_queryset(actor: Actor) -> QuerySet[LedgerEntry]:
    require_ledger_reader(actor)
    qs = LedgerEntry.objects.select_related("recipient", "program", "handler", "returned_to")
    if actor.role == Role.DEPARTMENT_STAFF:
        assert actor.user is not None
        return qs.filter(Q(program__department_id=actor.user.organisation_id))
    return qs


def require_entry_owner(actor: Actor, entry: LedgerEntry, *, action: str) -> None:
    if entry.program is None:
        raise AccessRefused("事業が特定できない管理簿の行は更新できません。", action=action)
    require_owner(actor, entry.program, action=action)


def require_erasure_planner(actor: Actor, program: Program) -> None:
    if _active(actor) and actor.role == Role.PRIVACY_OFFICE:
        return
    require_owner(actor, program, action="erasure")


def require_erasure_approver(actor: Actor, run: ErasureRun) -> None:
    require_erasure_planner(actor, run.program)
    if actor.user is not None and actor.user.pk == run.requested_by_id:
        raise AccessRefused("消去を依頼した本人は承認できません（別の職員が承認してください）。",
                            action="erasure.approve", program=run.program.code)


def erasure_programs(actor: Actor) -> QuerySet[Program]:
    if _active(actor) and actor.role == Role.PRIVACY_OFFICE:
        return Program.objects.all().order_by("code")
    return owned_programs(actor)
