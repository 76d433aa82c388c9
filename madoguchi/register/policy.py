"""The access policy, derived from the approved register (ADR 0003).

This module is the one enforcement point for residents' data: every page, API call and export asks it
which programs, items and residents an actor may see, and refuses with :class:`AccessRefused` otherwise.

- Department staff: the programs their department owns that have an approved revision; all recorded
  items of that revision; the resident master (they establish eligibility and residence).
- Contractors and sub-contractors: the outsourcings declared for their organisation in approved
  revisions, only during the declared period; only the declared items and tasks; only residents who
  take part in those programs.
- Privacy office, auditors, administrators: no residents' data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import Outsourcing, Program, RecordedItem, Revision, RevisionStatus
from madoguchi.residents.models import Resident

OWNER = "owner"
CONTRACT = "contract"
SUBCONTRACT = "subcontract"

# Which resident fields each catalogue item reveals.
RESIDENT_ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "resident_no": ("resident_no",),
    "name": ("name",),
    "name_kana": ("name_kana",),
    "birth_date": ("birth_date",),
    "sex": ("sex",),
    "postal_code": ("postal_code",),
    "address": ("address",),
    "address_extra": ("address_extra",),
    "household_no": ("household_no",),
    "relation": ("relation",),
}


@dataclass(frozen=True)
class Grant:
    program_code: str
    program_id: int
    revision_id: int
    kind: str
    items: frozenset[str]
    tasks: frozenset[str]
    media: frozenset[str]
    start: dt.date | None
    end: dt.date | None
    outsourcing_id: int | None = None


@dataclass(frozen=True)
class AccessPolicy:
    actor: Actor
    on: dt.date
    grants: tuple[Grant, ...]

    def program_codes(self) -> set[str]:
        return {g.program_code for g in self.grants}

    def grant_for(self, program_code: str) -> Grant | None:
        matches = [g for g in self.grants if g.program_code == program_code]
        return matches[0] if matches else None

    def items_for(self, program_code: str) -> frozenset[str]:
        grant = self.grant_for(program_code)
        return grant.items if grant else frozenset()

    def owns_any(self) -> bool:
        return any(g.kind == OWNER for g in self.grants)

    def require(self, program_code: str, *, task: str | None = None, item: str | None = None) -> Grant:
        grant = self.grant_for(program_code)
        if grant is None:
            raise AccessRefused(f"事業「{program_code}」について、承認された登録による権限がありません。",
                                program=program_code)
        if task and grant.kind != OWNER and task not in grant.tasks:
            raise AccessRefused(f"業務「{task}」は委託の登録に含まれていません。", program=program_code)
        if item and item not in grant.items:
            raise AccessRefused(f"項目「{item}」は登録で認められていません。", program=program_code)
        return grant


def _recorded_items(revision: Revision) -> frozenset[str]:
    return frozenset(RecordedItem.objects.filter(scope__revision=revision).values_list("item__key", flat=True))


def _approved_revisions() -> dict[int, Revision]:
    latest: dict[int, Revision] = {}
    for rev in Revision.objects.filter(status=RevisionStatus.APPROVED).select_related("program").order_by("number"):
        latest[rev.program_id] = rev
    return latest


def policy_for(actor: Actor, *, on: dt.date | None = None) -> AccessPolicy:
    today = on or timezone.localdate()
    user = actor.user
    if user is None or not user.is_active or user.organisation_id is None:
        return AccessPolicy(actor, today, ())
    grants: list[Grant] = []
    if user.role == Role.DEPARTMENT_STAFF:
        approved = _approved_revisions()
        for program in Program.objects.filter(department_id=user.organisation_id):
            rev = approved.get(program.pk)
            if rev is None:
                continue
            grants.append(Grant(program.code, program.pk, rev.pk, OWNER, _recorded_items(rev), frozenset(),
                                frozenset(), rev.start_date, rev.end_date))
    elif user.role in (Role.CONTRACTOR, Role.SUBCONTRACTOR):
        approved_ids = {rev.pk for rev in _approved_revisions().values()}
        outsourcings = (
            Outsourcing.objects.filter(revision_id__in=approved_ids, contractor_id=user.organisation_id,
                                       start_date__lte=today, end_date__gte=today)
            .select_related("revision__program")
            .prefetch_related("items")
        )
        for o in outsourcings:
            grants.append(Grant(
                o.revision.program.code, o.revision.program_id, o.revision_id,
                SUBCONTRACT if o.parent_id else CONTRACT,
                frozenset(i.key for i in o.items.all()), frozenset(o.tasks), frozenset(o.media),
                o.start_date, o.end_date, o.pk,
            ))
    return AccessPolicy(actor, today, tuple(grants))


def resident_queryset(actor: Actor, *, program_code: str | None = None) -> QuerySet[Resident]:
    """Residents the actor may see (optionally within one program); refuses when there are none."""
    policy = policy_for(actor)
    if not policy.grants:
        raise AccessRefused("住民の情報を閲覧する権限がありません（承認された登録による権限がありません）。")
    if program_code:
        grant = policy.require(program_code)
        if grant.kind == OWNER:
            return Resident.objects.all()
        return Resident.objects.filter(participations__program_id=grant.program_id)
    if policy.owns_any():
        return Resident.objects.all()
    program_ids = {g.program_id for g in policy.grants}
    return Resident.objects.filter(participations__program_id__in=program_ids).distinct()


def visible_resident_items(policy: AccessPolicy, program_code: str | None = None) -> frozenset[str]:
    if program_code:
        return policy.items_for(program_code)
    if policy.owns_any():
        return frozenset(RESIDENT_ITEM_FIELDS)
    items: set[str] = set()
    for g in policy.grants:
        items |= g.items
    return frozenset(items)


def serialize_resident(resident: Resident, items: frozenset[str]) -> dict[str, Any]:
    """The one serializer of residents' fields: an item not declared is absent, not blanked."""
    data: dict[str, Any] = {"id": resident.pk}
    for key, fields in RESIDENT_ITEM_FIELDS.items():
        if key in items:
            for field in fields:
                data[field] = getattr(resident, field)
    return data
