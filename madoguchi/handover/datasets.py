"""Dataset providers: where the rows of an export package come from, per program type.

A provider answers, for a program, how many records a package will hold and yields them as
``(resident id or None, {item key: value})``.  Only the keys asked for are produced; the package writer
checks that each asked-for key is one the provider can give.

Registered here: the default for any program, its participants (:class:`register.models.Participation`).
A program type registers its own dataset (keyed by the type code, at most one; a second registration
raises :class:`~madoguchi.core.errors.DuplicateRegistration`) through its spec (ADR 0010): the
application subsidy its cases, the cohort mailing the fiscal year's cohort from the master.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.core.errors import DuplicateRegistration
from madoguchi.register.models import Program, Revision
from madoguchi.register.policy import RESIDENT_ITEM_FIELDS
from madoguchi.residents.models import Resident

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


def register_dataset(program_type: str, provider: DatasetProvider) -> None:
    """Register the dataset of a program type; a second one for the same type raises."""
    if program_type in _by_type:
        raise DuplicateRegistration(f"a hand-over dataset for {program_type!r} is already registered")
    _by_type[program_type] = provider


def set_default_dataset(provider: DatasetProvider) -> None:
    _default[:] = [provider]


def dataset_for(program: Program) -> DatasetProvider:
    """The dataset of the program's type, else the participants."""
    return _by_type.get(program.program_type) or _default[0]


def datasets_by_type() -> dict[str, DatasetProvider]:
    """The registered datasets by program type (for the contract test and the program page)."""
    return dict(_by_type)


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

set_default_dataset(PARTICIPANTS)
