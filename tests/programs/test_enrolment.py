from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.audit.models import AccessLog
from madoguchi.programs.services.enrolment import (
    child_allowance_recipient_ids,
    coming_of_age_range,
    enrol_cohort,
)
from madoguchi.register.models import Participation
from madoguchi.residents.models import ResidentStatus
from tests.factories import ProgramFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_coming_of_age_range_follows_the_fiscal_year():
    # January 2027 ceremony (fiscal year 2026): born 2006-04-02 .. 2007-04-01
    assert coming_of_age_range(2026) == (dt.date(2006, 4, 2), dt.date(2007, 4, 1))


def test_enrol_cohort_takes_registered_residents_in_range_once(staff_user, actor_for):
    program = ProgramFactory(code="coming-of-age-test")
    inside = ResidentFactory(birth_date=dt.date(2006, 4, 2))
    edge = ResidentFactory(birth_date=dt.date(2007, 4, 1))
    ResidentFactory(birth_date=dt.date(2006, 4, 1))  # a year older
    ResidentFactory(birth_date=dt.date(2006, 9, 1), status=ResidentStatus.MOVED_OUT)
    born_from, born_to = coming_of_age_range(2026)

    added = enrol_cohort(program=program, born_from=born_from, born_to=born_to, actor=actor_for(staff_user))
    again = enrol_cohort(program=program, born_from=born_from, born_to=born_to, actor=actor_for(staff_user))

    assert (added, again) == (2, 0)
    assert set(Participation.objects.filter(program=program).values_list("resident_id", flat=True)) == {
        inside.pk, edge.pk}
    log = AccessLog.objects.filter(action="program.enrol").first()
    assert log is not None and sorted(log.resident_ids) == sorted([inside.pk, edge.pk])


def test_child_allowance_recipients_are_heads_of_households_with_children():
    head = ResidentFactory(household_no="H1", relation="世帯主", birth_date=dt.date(1985, 1, 1))
    ResidentFactory(household_no="H1", relation="子", birth_date=dt.date(2015, 5, 5))
    ResidentFactory(household_no="H2", relation="世帯主", birth_date=dt.date(1950, 1, 1))
    assert child_allowance_recipient_ids(dt.date(2007, 4, 2), dt.date(2026, 3, 31)) == [head.pk]
