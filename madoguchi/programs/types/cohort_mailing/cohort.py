"""The cohort of a fiscal year's coming-of-age ceremony (はたちのつどい), from the resident master.

Source: seed 004 (はたちのつどい案内状の印刷及び封入封緘) and reference/japan-domain-facts.md §5.3: the
ceremony held in January of fiscal year FY+1 is for the residents born 2 April FY-20 to 1 April FY-19
who are registered (住登) in the ward.  The fiscal year is a trailing ``-YYYY`` in the program code, else
the fiscal year of the revision's start date, else of today.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.handover.datasets import DatasetProvider, resident_rows
from madoguchi.register.models import Program, Revision
from madoguchi.residents.models import Resident, ResidentStatus

# What the cohort mailing reads of a resident (and so the most its dataset can give).
COHORT_ITEMS = frozenset({"resident_no", "name", "name_kana", "birth_date", "age", "sex", "postal_code",
                          "address", "address_extra"})


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year (April to March) a day falls in."""
    return day.year if day.month >= 4 else day.year - 1


def cohort_fiscal_year(program: Program, revision: Revision | None, today: dt.date | None = None) -> int:
    """The fiscal year whose January ceremony the program serves: a trailing ``-YYYY`` in the program code,
    else the fiscal year of the revision's start date, else of today."""
    found = re.search(r"(\d{4})$", program.code)
    if found:
        return int(found.group(1))
    if revision is not None and revision.start_date:
        return fiscal_year(revision.start_date)
    return fiscal_year(today or timezone.localdate())


def cohort_birth_range(fy: int) -> tuple[dt.date, dt.date]:
    """The ceremony of January fy+1 is for those born April 2 of fy-20 to April 1 of fy-19 (inclusive)."""
    return dt.date(fy - 20, 4, 2), dt.date(fy - 19, 4, 1)


def cohort_queryset(program: Program, revision: Revision | None) -> QuerySet[Resident]:
    """Registered residents of the program's cohort."""
    first, last = cohort_birth_range(cohort_fiscal_year(program, revision))
    return Resident.objects.filter(birth_date__gte=first, birth_date__lte=last, status=ResidentStatus.REGISTERED)


def cohort_on(program: Program, revision: Revision | None) -> dt.date:
    """The day ages are computed on: 1 January of the ceremony."""
    return dt.date(cohort_fiscal_year(program, revision) + 1, 1, 1)


def extract(program: Program, on: dt.date) -> QuerySet[Resident]:
    """The extraction rule ``cohort``: the cohort of the program's fiscal year (``on`` is not used: the
    cohort is fixed by the fiscal year, not by the day of extraction)."""
    return cohort_queryset(program, program.approved_revision())


def admits(program: Program, resident: Resident, on: dt.date) -> str:
    """'' when the resident belongs to the cohort, else the reason (birth date outside, not registered)."""
    fy = cohort_fiscal_year(program, program.approved_revision())
    first, last = cohort_birth_range(fy)
    if not first <= resident.birth_date <= last:
        return (f"生年月日 {resident.birth_date} が{fy}年度の対象（{first}〜{last}生まれ）の範囲外です")
    if resident.status != ResidentStatus.REGISTERED:
        return f"住民記録の状態が「{resident.status}」です（区内に住民登録のある人だけが対象です）"
    return ""


COHORT = DatasetProvider(
    name="cohort",
    label="はたちのつどい対象者（住民基本台帳から抽出）",
    items=COHORT_ITEMS,
    count=lambda p, r: cohort_queryset(p, r).count(),
    rows=lambda p, r, items: resident_rows(cohort_queryset(p, r), items, cohort_on(p, r)),
)
