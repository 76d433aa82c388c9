"""Deriving an actor's grants from the approved register (ADR 0003).

A grant exists only where the newest decided revision of a program is approved: a withdrawn (廃止)
revision after it, or a newer approved one that superseded it, leaves it granting nothing.  Drafts and
submitted revisions never grant anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.accounts.services.terminals import terminal_refusal
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import Outsourcing, RecordedItem, Revision, RevisionStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

OWNER = "owner"
CONTRACT = "contract"
SUBCONTRACT = "subcontract"

# Channels that run on the server itself (commands, background tasks): no terminal to bind to.
SERVER_CHANNELS = frozenset({"cli", "task"})
# Roles that may open a record outside their scope by giving a reason (break glass).
DEFAULT_BREAK_GLASS_ROLES = (Role.DEPARTMENT_STAFF, Role.PRIVACY_OFFICE)
BREAK_GLASS_MINUTES_DEFAULT = 30


def break_glass_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "MADOGUCHI_BREAK_GLASS_ROLES", DEFAULT_BREAK_GLASS_ROLES))


def break_glass_minutes() -> int:
    return int(getattr(settings, "MADOGUCHI_BREAK_GLASS_MINUTES", BREAK_GLASS_MINUTES_DEFAULT))


@dataclass(frozen=True)
class Grant:
    """What one approved declaration lets the actor's organisation do in one program."""

    program_code: str
    program_id: int
    revision_id: int
    kind: str  # OWNER, CONTRACT or SUBCONTRACT
    items: frozenset[str]
    tasks: frozenset[str]
    media: frozenset[str]
    start: dt.date | None
    end: dt.date | None
    outsourcing_id: int | None = None
    revision_number: int = 0


@dataclass(frozen=True)
class BreakGlassAccess:
    """A resident opened by break glass: until ``expires_at``, by the log row ``log_id``."""

    resident_id: int
    expires_at: dt.datetime
    log_id: int


@dataclass(frozen=True)
class AccessPolicy:
    actor: Actor
    on: dt.date
    grants: tuple[Grant, ...]
    break_glass: tuple[BreakGlassAccess, ...] = ()
    # Why the actor has nothing (terminal, role), shown in refusals.
    refusal: str = ""
    # Declarations for this organisation that are approved but outside their period today.
    lapsed: tuple[Grant, ...] = field(default=())

    # -- programs -------------------------------------------------------------------------------
    def program_codes(self) -> set[str]:
        return {g.program_code for g in self.grants}

    def program_ids(self) -> set[int]:
        return {g.program_id for g in self.grants}

    def grants_for(self, program_code: str, *, task: str | None = None) -> list[Grant]:
        return [g for g in self.grants if g.program_code == program_code
                and (task is None or g.kind == OWNER or task in g.tasks)]

    def grant_for(self, program_code: str, *, task: str | None = None) -> Grant | None:
        matches = self.grants_for(program_code, task=task)
        return matches[0] if matches else None

    def items_for(self, program_code: str, *, task: str | None = None) -> frozenset[str]:
        """Every item declared for the actor's organisation in this program (for ``task`` if given)."""
        items: set[str] = set()
        for g in self.grants_for(program_code, task=task):
            items |= g.items
        return frozenset(items)

    def owns_any(self) -> bool:
        return any(g.kind == OWNER for g in self.grants)

    def owns(self, program_code: str) -> bool:
        return any(g.kind == OWNER and g.program_code == program_code for g in self.grants)

    # -- break glass ----------------------------------------------------------------------------
    def break_glass_ids(self) -> frozenset[int]:
        return frozenset(b.resident_id for b in self.break_glass)

    def may_break_glass(self) -> bool:
        user = self.actor.user
        return bool(user is not None and user.is_active and not self.refusal and user.role in break_glass_roles())

    # -- refusing -------------------------------------------------------------------------------
    def has_resident_access(self) -> bool:
        return bool(self.grants or self.break_glass)

    def refusal_reason(self, program_code: str | None = None) -> str:
        if self.refusal:
            return self.refusal
        lapsed = [g for g in self.lapsed if program_code in (None, g.program_code)]
        if lapsed:
            g = lapsed[0]
            return (f"事業「{g.program_code}」の委託期間（{g.start}〜{g.end}）外のため、"
                    "住民の情報を閲覧できません。")
        if program_code:
            return f"事業「{program_code}」について、承認された登録による権限がありません。"
        return "住民の情報を閲覧する権限がありません（承認された登録による権限がありません）。"

    def require(self, program_code: str, *, task: str | None = None, item: str | None = None) -> Grant:
        """The grant for ``program_code``; refuses (AccessRefused) when none, or the task or item is not declared."""
        grants = self.grants_for(program_code)
        if not grants:
            raise AccessRefused(self.refusal_reason(program_code), program=program_code)
        if task:
            grants = [g for g in grants if g.kind == OWNER or task in g.tasks]
            if not grants:
                raise AccessRefused(f"業務「{task}」は委託の登録に含まれていません。", program=program_code)
        if item:
            grants = [g for g in grants if item in g.items]
            if not grants:
                raise AccessRefused(f"項目「{item}」は登録で認められていません。", program=program_code)
        return grants[0]


# -- deriving ---------------------------------------------------------------------------------------

def effective_revisions() -> QuerySet[Revision]:
    """Approved revisions that are in force: no newer approved or withdrawn revision of the same program."""
    newer = Revision.objects.filter(
        program=OuterRef("program"), number__gt=OuterRef("number"),
        status__in=[RevisionStatus.APPROVED, RevisionStatus.WITHDRAWN],
    )
    return Revision.objects.filter(status=RevisionStatus.APPROVED).exclude(Exists(newer))


def _terminal_refusal(actor: Actor) -> str:
    """Non-empty when the actor's role is bound to registered terminals and the address is not one.

    The web layer already refuses such a request (TerminalBindingMiddleware); the policy checks again so
    that no other way in (the API, a task started on a user's behalf from a browser) escapes the binding.
    """
    user = actor.user
    if user is None or actor.channel in SERVER_CHANNELS:
        return ""
    return terminal_refusal(user, actor.address)


def _owner_grants(org_id: int) -> list[Grant]:
    # values, not instances: a revision carries its approved snapshot (large JSON) that is not needed here
    revisions = list(effective_revisions().filter(program__department_id=org_id).values_list(
        "pk", "number", "program_id", "program__code", "start_date", "end_date"))
    items: dict[int, set[str]] = {r[0]: set() for r in revisions}
    for rev_id, key in RecordedItem.objects.filter(scope__revision_id__in=list(items)).values_list(
            "scope__revision_id", "item__key"):
        items[rev_id].add(key)
    return [Grant(code, program_id, pk, OWNER, frozenset(items[pk]), frozenset(), frozenset(), start, end, None,
                  number) for pk, number, program_id, code, start, end in revisions]


def _contract_grants(org_id: int, today: dt.date) -> tuple[list[Grant], list[Grant]]:
    rows = list(Outsourcing.objects.filter(revision__in=effective_revisions(), contractor_id=org_id).values_list(
        "pk", "parent_id", "revision_id", "revision__number", "revision__program_id", "revision__program__code",
        "tasks", "media", "start_date", "end_date", "parent__start_date", "parent__end_date"))
    ids = {r[0] for r in rows} | {r[1] for r in rows if r[1]}
    declared: dict[int, set[str]] = {i: set() for i in ids}
    for outsourcing_id, key in Outsourcing.items.through.objects.filter(outsourcing_id__in=ids).values_list(
            "outsourcing_id", "dataitem__key"):
        declared[outsourcing_id].add(key)
    grants: list[Grant] = []
    lapsed: list[Grant] = []
    for (pk, parent_id, revision_id, number, program_id, code, tasks, media, start, end, parent_start,
         parent_end) in rows:
        items = frozenset(declared[pk])
        if parent_id:
            # A sub-contractor never gets more than its contractor: items and period are intersected.
            items &= frozenset(declared[parent_id])
            start, end = max(start, parent_start), min(end, parent_end)
        grant = Grant(code, program_id, revision_id, SUBCONTRACT if parent_id else CONTRACT, items,
                      frozenset(tasks or ()), frozenset(media or ()), start, end, pk, number)
        (grants if start <= today <= end else lapsed).append(grant)
    return grants, lapsed


def _break_glass(actor: Actor) -> list[BreakGlassAccess]:
    """Break-glass grants are the BREAK_GLASS rows of the access log itself (append-only, chained)."""
    user = actor.user
    if user is None or user.role not in break_glass_roles():
        return []
    minutes = break_glass_minutes()
    since = timezone.now() - dt.timedelta(minutes=minutes)
    rows = AccessLog.objects.filter(user_id_ref=user.pk, action=str(AuditEvent.BREAK_GLASS), allowed=True,
                                    break_glass=True, at__gte=since).values_list("id", "at", "resident_ids")
    out: list[BreakGlassAccess] = []
    for log_id, at, resident_ids in rows:
        for rid in resident_ids or ():
            out.append(BreakGlassAccess(int(rid), at + dt.timedelta(minutes=minutes), log_id))
    return out


def policy_for(actor: Actor, *, on: dt.date | None = None) -> AccessPolicy:
    """The actor's policy today (or ``on``), derived from the register.  A handful of queries, no cache.

    Web views and API handlers should prefer :func:`policy_for_request`, which computes it once per request.
    """
    today = on or timezone.localdate()
    user = actor.user
    if user is None or not user.is_active or user.organisation_id is None:
        return AccessPolicy(actor, today, ())
    refusal = _terminal_refusal(actor)
    if refusal:
        return AccessPolicy(actor, today, (), refusal=refusal)
    organisation = user.organisation
    org_kind = organisation.kind if organisation is not None else ""
    grants: list[Grant] = []
    lapsed: list[Grant] = []
    if user.role == Role.DEPARTMENT_STAFF and org_kind == OrganisationKind.DEPARTMENT:
        grants = _owner_grants(user.organisation_id)
    elif user.role in (Role.CONTRACTOR, Role.SUBCONTRACTOR) and org_kind in (OrganisationKind.CONTRACTOR,
                                                                              OrganisationKind.SUBCONTRACTOR):
        grants, lapsed = _contract_grants(user.organisation_id, today)
    return AccessPolicy(actor, today, tuple(grants), tuple(_break_glass(actor)), lapsed=tuple(lapsed))


_REQUEST_ATTR = "_madoguchi_policy"


def policy_for_request(request: HttpRequest, *, channel: str = "web", purpose: str = "") -> AccessPolicy:
    """The policy of the request's user, computed once per request and kept on the request."""
    cached: AccessPolicy | None = getattr(request, _REQUEST_ATTR, None)
    if cached is not None and cached.actor.channel == channel and cached.actor.purpose == purpose:
        return cached
    policy = policy_for(Actor.from_request(request, channel=channel, purpose=purpose))
    setattr(request, _REQUEST_ATTR, policy)
    return policy


def forget_request_policy(request: HttpRequest) -> None:
    """Drop the cached policy (after break glass was opened in this request)."""
    if hasattr(request, _REQUEST_ATTR):
        delattr(request, _REQUEST_ATTR)
