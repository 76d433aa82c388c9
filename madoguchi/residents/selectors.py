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
from django.db.models import Q, QuerySet

from madoguchi.core.era import EraDateError, parse_date
from madoguchi.core.text import kana_key, name_key, split_address
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


def _prefix(column: str, prefix: str) -> Q:
    """``column LIKE 'prefix%'`` written so that the B-tree index on the column is used.

    SQLite only uses an index for LIKE with case-sensitive matching, so there it is a range
    (``prefix <= column < prefix + U+10FFFF``; keys compare by code point).  PostgreSQL uses the
    ``varchar_pattern_ops`` index that Django creates for indexed CharFields.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{column}__gte": prefix, f"{column}__lt": prefix + _HIGHEST})
    return Q(**{f"{column}__startswith": prefix})


def _address_q(text: str) -> Q:
    base, building = split_address(text)
    if not base:
        return Q()
    if base[-1].isdigit():
        # 西新宿2-8 finds 2-8 and 2-8-1 but not 2-80
        q = Q(address_key=base) | _prefix("address_key", base + "-")
    else:
        q = _prefix("address_key", base)
    if building:
        q &= Q(building_key__startswith=building)
    return q


def search_residents(queryset: QuerySet[Resident], criteria: SearchCriteria) -> QuerySet[Resident]:
    """Residents of ``queryset`` matching every given criterion; none when no criterion is given."""
    if criteria.empty:
        return queryset.none()
    qs = queryset
    order = ["kana_key", "birth_date", "id"]
    if criteria.resident_no:
        qs = qs.filter(resident_no=criteria.resident_no)
    if criteria.name:
        kana = kana_key(criteria.name)
        if kana and _KANA_ONLY.match(kana):
            qs = qs.filter(_prefix("kana_key", kana))
        else:
            key = name_key(criteria.name)
            qs = qs.filter(_prefix("name_key", key))
            order = ["name_key", "birth_date", "id"]
    if criteria.birth_date:
        qs = qs.filter(birth_date=criteria.birth_date)
    if criteria.address:
        qs = qs.filter(_address_q(criteria.address))
        if not criteria.name:
            order = ["address_key", "building_key", "id"]
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
    total = queryset.values("pk")[:COUNT_LIMIT + 1].count() if (rows or number > 1) else 0
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
