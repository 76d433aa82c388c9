"""Dataset providers: where the rows of an export package come from, per program type.

A provider answers, for a program, how many records a package will hold and yields them as
``(resident id or None, {item key: value})``.  Only the keys asked for are produced; the package writer
checks that each asked-for key is one the provider can give.

Registered here: the coming-of-age cohort (residents of the fiscal year's cohort who are 住登) and, as the
default for any other program, the program's participants (:class:`register.models.Participation`).
Other apps' data (cases, payment items) are added with :func:`register_dataset` from
:mod:`madoguchi.handover.apps` once their models exist.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.register.models import Program, Revision
from madoguchi.register.policy import RESIDENT_ITEM_FIELDS
from madoguchi.residents.models import Resident, ResidentStatus

Row = tuple[int | None, dict[str, Any]]


@dataclass(frozen=True)
class DatasetProvider:
    name: str
    label: str
    items: frozenset[str]  # item keys it can give
    count: Callable[[Program, Revision], int]
    rows: Callable[[Program, Revision, tuple[str, ...]], Iterator[Row]]


_by_type: dict[str, DatasetProvider] = {}
_default: list[DatasetProvider] = []


def register_dataset(program_types: tuple[str, ...], provider: DatasetProvider) -> None:
    for program_type in program_types:
        _by_type[program_type] = provider


def set_default_dataset(provider: DatasetProvider) -> None:
    _default[:] = [provider]


def dataset_for(program: Program) -> DatasetProvider:
    return _by_type.get(program.program_type) or _default[0]


# --- residents' fields -------------------------------------------------------------------------------

RESIDENT_ITEMS = frozenset(RESIDENT_ITEM_FIELDS) | {"age"}
_RESIDENT_COLUMNS = ["id", "resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address",
                     "address_extra", "household_no", "relation"]


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def resident_rows(qs: QuerySet[Resident], items: tuple[str, ...], on: dt.date) -> Iterator[Row]:
    for values in qs.order_by("resident_no").values_list(*_RESIDENT_COLUMNS).iterator(chunk_size=2000):
        record = dict(zip(_RESIDENT_COLUMNS, values, strict=True))
        out: dict[str, Any] = {}
        for key in items:
            if key == "age":
                out[key] = _age(record["birth_date"], on)
            else:
                fields = RESIDENT_ITEM_FIELDS[key]
                out[key] = " ".join(str(record[f] or "") for f in fields).strip()
        yield record["id"], out


# --- coming-of-age cohort (facts §5.3) ---------------------------------------------------------------

def fiscal_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def cohort_fiscal_year(program: Program, revision: Revision, today: dt.date | None = None) -> int:
    """The fiscal year whose January ceremony the program serves: a trailing ``-YYYY`` in the program code,
    else the fiscal year of the revision's start date, else of today."""
    found = re.search(r"(\d{4})$", program.code)
    if found:
        return int(found.group(1))
    if revision.start_date:
        return fiscal_year(revision.start_date)
    return fiscal_year(today or timezone.localdate())


def cohort_birth_range(fy: int) -> tuple[dt.date, dt.date]:
    """The ceremony of January fy+1 is for those born April 2 of fy-20 to April 1 of fy-19."""
    return dt.date(fy - 20, 4, 2), dt.date(fy - 19, 4, 1)


def cohort_queryset(program: Program, revision: Revision) -> QuerySet[Resident]:
    first, last = cohort_birth_range(cohort_fiscal_year(program, revision))
    return Resident.objects.filter(birth_date__gte=first, birth_date__lte=last, status=ResidentStatus.REGISTERED)


def _cohort_on(program: Program, revision: Revision) -> dt.date:
    return dt.date(cohort_fiscal_year(program, revision) + 1, 1, 1)


COHORT = DatasetProvider(
    name="cohort",
    label="はたちのつどい対象者（住民基本台帳から抽出）",
    items=RESIDENT_ITEMS,
    count=lambda p, r: cohort_queryset(p, r).count(),
    rows=lambda p, r, items: resident_rows(cohort_queryset(p, r), items, _cohort_on(p, r)),
)


# --- participants (default) ----------------------------------------------------------------------------

def participants_queryset(program: Program) -> QuerySet[Resident]:
    return Resident.objects.filter(participations__program=program)


PARTICIPANTS = DatasetProvider(
    name="participants",
    label="事業の参加者",
    items=RESIDENT_ITEMS,
    count=lambda p, r: participants_queryset(p).count(),
    rows=lambda p, r, items: resident_rows(participants_queryset(p), items, timezone.localdate()),
)

register_dataset(("cohort_mailing", "cohort", "coming_of_age"), COHORT)
set_default_dataset(PARTICIPANTS)
