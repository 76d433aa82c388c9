"""Reads of the resident master: search by name/kana, birth date and address, household, address history.

These functions take a queryset that the caller has already scoped by the access policy
(``madoguchi.register.policy.resident_queryset(actor)``); they never widen it.  Lookups are equality or
prefix ranges on the indexed match keys (``name_key``, ``kana_key``, ``address_key``, ``birth_date``),
so they stay fast with 350,000 residents on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate

from madoguchi.core.era import EraDateError, parse_date
from madoguchi.core.gaiji import kana_key, name_key, split_address
from madoguchi.core.text import room_of
from madoguchi.residents.models import AddressHistory, Resident

PAGE_SIZE = 50
COUNT_LIMIT = 1000
_KANA_ONLY = re.compile(r"^[\u30A1-\u30FAー\u30FD\u30FE]+$")
_RESIDENT_NO = re.compile(r"^[0-9]{4,20}$")
_HIGHEST = "\U0010ffff"


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""  # kanji or kana, as typed
    birth_date: dt.date | None = None
    address: str = ""
    resident_no: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.birth_date or self.address or self.resident_no)

    def describe(self) -> str:
        parts = []
        if self.resident_no:
            parts.append(f"住民番号={self.resident_no}")
        if self.name:
            parts.append(f"氏名={self.name}")
        if self.birth_date:
            parts.append(f"生年月日={self.birth_date.isoformat()}")
        if self.address:
            parts.append(f"住所={self.address}")
        return " ".join(parts)


@dataclass
class ParsedQuery:
    criteria: SearchCriteria
    errors: dict[str, str] = field(default_factory=dict)


def parse_query(q: str = "", birth_date: str = "", address: str = "") -> ParsedQuery:
    """Read the search form.  In the one box ``q`` a 住民番号 (digits) or a date (ISO or 和暦) is taken as such;
    the remaining words are the name."""
    errors: dict[str, str] = {}
    birth: dt.date | None = None
    if birth_date.strip():
        try:
            birth = parse_date(birth_date)
        except EraDateError as exc:
            errors["birth_date"] = str(exc)
    words: list[str] = []
    resident_no = ""
    for word in (q or "").split():
        if _RESIDENT_NO.match(word) and not resident_no:
            resident_no = word
            continue
        if birth is None and re.search(r"\d", word):
            try:
                birth = parse_date(word)
                continue
            except EraDateError:
                pass
        words.append(word)
    name = " ".join(words)
    return ParsedQuery(SearchCriteria(name=name, birth_date=birth, address=address.strip(),
                                      resident_no=resident_no), errors)


def _key(queryset: QuerySet[Resident], column: str) -> tuple[QuerySet[Resident], str]:
    """The expression to compare a match key by: on PostgreSQL ``key COLLATE "C"`` (the indexed expression of
    migration 0003, in code-point order whatever the database collation); elsewhere the column itself."""
    if connection.vendor == "postgresql":
        alias = f"{column}_c"
        return queryset.alias(**{alias: Collate(F(column), "C")}), alias
    return queryset, column


def _prefix(column: str, prefix: str) -> Q:
    """``column LIKE 'prefix%'`` as a range (``prefix <= column < prefix + U+10FFFF``), which both databases
    answer from the key's B-tree index in key order (keys compare by code point)."""
    return Q(**{f"{column}__gte": prefix, f"{column}__lt": prefix + _HIGHEST})


def _address_q(column: str, text: str) -> Q:
    base, building = split_address(text)
    if not base:
        return Q()
    if base[-1].isdigit():
        # 西新宿2-8 finds 2-8 and 2-8-1 but not 2-80
        q = Q(**{column: base}) | _prefix(column, base + "-")
    else:
        q = _prefix(column, base)
    if building and room_of(building) == building:  # 西新宿2-8-1-304: the room of any building there
        q &= Q(building_key__endswith=building)
    elif building:
        q &= Q(building_key__startswith=building)
    return q


def search_residents(queryset: QuerySet[Resident], criteria: SearchCriteria) -> QuerySet[Resident]:
    """Residents of ``queryset`` matching every given criterion; none when no criterion is given."""
    if criteria.empty:
        return queryset.none()
    # Results come in the order of the key searched, then id: the key's index (migration 0003) gives them in
    # that order, so the first page is read without sorting every match of a common surname.
    qs, kana_col = _key(queryset, "kana_key")
    order = [kana_col, "id"]
    if criteria.resident_no:
        qs = qs.filter(resident_no=criteria.resident_no)
    if criteria.name:
        kana = kana_key(criteria.name)
        if kana and _KANA_ONLY.match(kana):
            qs = qs.filter(_prefix(kana_col, kana))
        else:
            qs, name_col = _key(qs, "name_key")
            qs = qs.filter(_prefix(name_col, name_key(criteria.name)))
            order = [name_col, "id"]
    if criteria.birth_date:
        qs = qs.filter(birth_date=criteria.birth_date)
    if criteria.address:
        qs, address_col = _key(qs, "address_key")
        qs = qs.filter(_address_q(address_col, criteria.address))
        if not criteria.name:
            order = [address_col, "id"]
    return qs.order_by(*order)


@dataclass(frozen=True)
class Page:
    residents: list[Resident]
    number: int
    total: int  # capped at COUNT_LIMIT + 1
    has_next: bool

    @property
    def total_capped(self) -> bool:
        return self.total > COUNT_LIMIT

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_LIMIT) // PAGE_SIZE))


def page_of(queryset: QuerySet[Resident], number: int, *, size: int = PAGE_SIZE) -> Page:
    """One page of results, with a count that stops at COUNT_LIMIT (a vague query should be narrowed)."""
    number = max(1, number)
    start = (number - 1) * size
    rows = list(queryset[start:start + size + 1])
    if not rows and number == 1:
        total = 0
    elif number == 1 and len(rows) <= size:
        total = len(rows)
    else:
        total = queryset.order_by().values("pk")[:COUNT_LIMIT + 1].count()
    return Page(rows[:size], number, total, len(rows) > size)


def household_of(queryset: QuerySet[Resident], resident: Resident) -> list[Resident]:
    """The members of the resident's household (same 世帯番号) that ``queryset`` allows, head first."""
    if not resident.household_no:
        return [resident]
    members = list(queryset.filter(household_no=resident.household_no).order_by("birth_date", "id"))
    head = [m for m in members if m.relation == "世帯主"]
    return head + [m for m in members if m.relation != "世帯主"]


def address_history_of(resident: Resident) -> list[AddressHistory]:
    return list(AddressHistory.objects.filter(resident=resident).order_by("-valid_until", "-id"))
