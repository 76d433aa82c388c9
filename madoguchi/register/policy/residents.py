"""Which residents an actor may see, and the one serializer of their fields (ADR 0003).

Items that are not declared are *absent* from what these functions return: a page, an API answer or an
export built from them cannot show what it never received.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import Participation
from madoguchi.register.policy.grants import AccessPolicy, policy_for
from madoguchi.residents.models import Resident

# Which resident fields each catalogue item reveals (madoguchi/register/catalogue.py keys).
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
MASTER_ITEMS: frozenset[str] = frozenset(RESIDENT_ITEM_FIELDS)
# Every serialised record carries its key, which reveals nothing by itself.
ALWAYS = ("id",)


def serialize_fields(record: Mapping[str, Any], items: Iterable[str],
                     field_map: Mapping[str, Sequence[str]], *, always: Sequence[str] = ALWAYS) -> dict[str, Any]:
    """Keep only the fields of ``record`` that the declared ``items`` reveal; everything else is absent.

    ``field_map`` maps a catalogue item key to the record's fields it reveals, e.g.
    ``{"bank_account": ("bank_name", "branch_name", "account_no"), "account_holder": ("holder_kana",)}``.
    A field that no item in ``field_map`` names is dropped too, unless listed in ``always`` (default: ``id``),
    so a new column added to a record stays invisible until someone maps it to an item.
    """
    declared = frozenset(items)
    out: dict[str, Any] = {f: record[f] for f in always if f in record}
    for item, fields in field_map.items():
        if item in declared:
            for f in fields:
                if f in record:
                    out[f] = record[f]
    return out


class _Attrs(Mapping[str, Any]):
    """A read-only mapping view of a model instance's attributes (for :func:`serialize_fields`)."""

    def __init__(self, obj: object, names: Iterable[str]) -> None:
        self._obj = obj
        self._names = tuple(names)

    def __getitem__(self, key: str) -> Any:
        if key not in self._names:
            raise KeyError(key)
        return getattr(self._obj, key)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


_RESIDENT_NAMES = ("id", *[f for fields in RESIDENT_ITEM_FIELDS.values() for f in fields])


def serialize_resident(resident: Resident, items: Iterable[str]) -> dict[str, Any]:
    """The one serializer of residents' fields: an item not declared is absent, not blanked."""
    return serialize_fields(_Attrs(resident, _RESIDENT_NAMES), items, RESIDENT_ITEM_FIELDS)


def _participating_in(program_ids: Iterable[int]) -> Exists:
    return Exists(Participation.objects.filter(resident=OuterRef("pk"), program_id__in=list(program_ids)))


def resident_queryset(actor: Actor, *, program_code: str | None = None,
                      policy: AccessPolicy | None = None) -> QuerySet[Resident]:
    """Residents the actor may see (optionally within one program); refuses (AccessRefused) when there are none.

    Department staff and contractors alike see the residents taking part (Participation) in the programs
    of their grants in force; residents opened by break glass are added (never within a program's scope).
    Other programs' residents, and residents of no program, do not exist in the queryset.  Services that
    establish a participation (an application's intake, a push-type eligibility run) resolve residents
    themselves; they do not display them.
    """
    policy = policy or policy_for(actor)
    if program_code:
        grant = policy.require(program_code)
        return Resident.objects.filter(_participating_in([grant.program_id]))
    if not policy.has_resident_access():
        raise AccessRefused(policy.refusal_reason())
    condition = Q(pk__in=sorted(policy.break_glass_ids()))
    if policy.grants:
        condition |= Q(_participating_in(policy.program_ids()))
    return Resident.objects.filter(condition)


def visible_resident_items(policy: AccessPolicy, program_code: str | None = None) -> frozenset[str]:
    """Items the actor may see in ``program_code``; without one, the items safe for *any* visible resident.

    Without a program, only the items declared in *every* one of the actor's grants are safe (a resident of
    program A must not show an item only program B declares).  Use :func:`items_for_residents` for the
    items of given residents.
    """
    if program_code:
        return policy.items_for(program_code)
    if not policy.grants:
        return frozenset()
    common = set(policy.grants[0].items)
    for g in policy.grants[1:]:
        common &= g.items
    return frozenset(common)


def items_for_residents(policy: AccessPolicy, resident_ids: Iterable[int], *,
                        program_code: str | None = None) -> dict[int, frozenset[str]]:
    """For each resident id, the items this actor may see of that resident (one query at most).

    Within ``program_code`` every resident gets that program's declared items.  Otherwise the actor sees, of
    each resident, the union of the items declared in its grants for the programs that resident takes part
    in; a resident opened by break glass shows the master's items.
    """
    ids = list(dict.fromkeys(int(r) for r in resident_ids))
    if program_code:
        items = policy.items_for(program_code)
        return dict.fromkeys(ids, items)
    per_program: dict[int, set[str]] = {}
    for g in policy.grants:
        per_program.setdefault(g.program_id, set()).update(g.items)
    result: dict[int, set[str]] = {rid: set() for rid in ids}
    participants: set[int] = set()
    if per_program and ids:
        for rid, pid in Participation.objects.filter(resident_id__in=ids, program_id__in=list(per_program)) \
                .values_list("resident_id", "program_id"):
            result[rid] |= per_program[pid]
            participants.add(rid)
    opened = policy.break_glass_ids()
    for rid in ids:
        if rid in opened and rid not in participants:
            # break glass opens the master record of a resident outside the actor's programs; it never
            # widens what a declaration gives for a resident inside them
            result[rid] = set(MASTER_ITEMS)
    return {rid: frozenset(items) for rid, items in result.items()}


@dataclass(frozen=True)
class VisibleResident:
    """One resident as the actor may see it: ``data`` holds only the declared items."""

    resident: Resident
    items: frozenset[str]
    data: dict[str, Any]
    break_glass: bool
    program_code: str = ""


def open_resident(actor: Actor, resident_id: int, *, program_code: str | None = None,
                  policy: AccessPolicy | None = None) -> VisibleResident:
    """The resident ``resident_id`` with only the items the actor may see; refuses otherwise.

    The refusal does not tell whether the resident exists.  The caller logs the view (RESIDENT_VIEW, with
    ``break_glass=result.break_glass``) in the same transaction in which it shows the data.
    """
    policy = policy or policy_for(actor)
    target = f"resident:{resident_id}"
    try:
        qs = resident_queryset(actor, program_code=program_code, policy=policy)
    except AccessRefused as exc:
        raise AccessRefused(exc.reason, action=exc.action, target=target, program=exc.program) from None
    resident = qs.filter(pk=resident_id).first()
    if resident is None:
        raise AccessRefused(policy.refusal_reason(program_code) if not policy.grants else
                            "この住民の情報を閲覧する権限がありません（登録された事業の対象者ではありません）。",
                            target=target, program=program_code or "")
    items = items_for_residents(policy, [resident.pk], program_code=program_code)[resident.pk]
    via_break_glass = (not program_code and resident.pk in policy.break_glass_ids()
                       and not _seen_through_grant(policy, resident.pk))
    return VisibleResident(resident, items, serialize_resident(resident, items), via_break_glass,
                           program_code or "")


def _seen_through_grant(policy: AccessPolicy, resident_id: int) -> bool:
    if not policy.grants:
        return False
    return Participation.objects.filter(resident_id=resident_id, program_id__in=list(policy.program_ids())).exists()


def serialize_residents(policy: AccessPolicy, residents: Iterable[Resident], *,
                        program_code: str | None = None,
                        extra: Callable[[Resident], Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Serialise a page of residents, each with the items the actor may see of it (one extra query)."""
    rows = list(residents)
    per = items_for_residents(policy, [r.pk for r in rows], program_code=program_code)
    out = []
    for r in rows:
        data = serialize_resident(r, per[r.pk])
        if extra is not None:
            data.update(extra(r))
        out.append(data)
    return out
