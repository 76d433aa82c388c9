"""Bringing residents into a program (Participation), the step that precedes every operation on them.

The extraction looks residents up in the master without showing them; what the program's users may then
see is decided by the access policy through these participations.  Each run writes one access-log row
with the residents concerned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.register.models import Participation, Program
from madoguchi.residents.models import Resident, ResidentStatus


def enrol_residents(*, program: Program, resident_ids: Iterable[int], role: str, actor: Actor,
                    purpose: str) -> int:
    """Add residents to a program; residents already in it are left as they are.  Returns how many were added."""
    ids = sorted(set(resident_ids))
    with transaction.atomic():
        existing = set(Participation.objects.filter(program=program, resident_id__in=ids)
                       .values_list("resident_id", flat=True))
        new = [Participation(program=program, resident_id=rid, role=role) for rid in ids if rid not in existing]
        Participation.objects.bulk_create(new, batch_size=2000)
        record_access(actor=actor, action=AuditEvent.PROGRAM_ENROL, residents=[p.resident_id for p in new],
                      target=f"program:{program.code}", program=program.code, purpose=purpose)
    return len(new)


def cohort_ids(born_from: dt.date, born_to: dt.date) -> list[int]:
    return list(Resident.objects.filter(status=ResidentStatus.REGISTERED, birth_date__gte=born_from,
                                        birth_date__lte=born_to).values_list("id", flat=True))


def coming_of_age_range(ceremony_fiscal_year: int) -> tuple[dt.date, dt.date]:
    """The ceremony held in January of fiscal year Y is for those born Y-20-04-02 to Y-19-04-01."""
    return dt.date(ceremony_fiscal_year - 20, 4, 2), dt.date(ceremony_fiscal_year - 19, 4, 1)


def enrol_cohort(*, program: Program, born_from: dt.date, born_to: dt.date, actor: Actor) -> int:
    return enrol_residents(program=program, resident_ids=cohort_ids(born_from, born_to), role="対象者",
                           actor=actor, purpose=f"対象者の抽出（{born_from}〜{born_to}生）")


def child_allowance_recipient_ids(children_from: dt.date, children_to: dt.date) -> list[int]:
    """Heads of the households (住登) with a child born in the range: the demo's stand-in for the
    child-allowance recipients on the base date."""
    households = set(Resident.objects.filter(status=ResidentStatus.REGISTERED, birth_date__gte=children_from,
                                             birth_date__lte=children_to).exclude(household_no="")
                     .values_list("household_no", flat=True))
    return list(Resident.objects.filter(household_no__in=households, relation="世帯主",
                                        status=ResidentStatus.REGISTERED).values_list("id", flat=True))
