"""The casework demo (issue 5, Demo data): the subsidy's configuration, a past-grantee list and about 1,000
applications over every state, with granted cases not yet in a payment batch and duplicates of past
grantees; every step of a case's history is done by a demo user who may do it."""

from __future__ import annotations

import io
import random

import pytest

from madoguchi.accounts.models import User
from madoguchi.casework.models import Case, CaseEvent, DuplicateCandidate, PastGrantee, Status
from madoguchi.programs.models import SubsidyRule


@pytest.fixture
def seeded(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for path in ("accounts", "residents", "register", "programs", "casework"):
        module = __import__(f"madoguchi.{path}.services.demo", fromlist=["seed"])
        module.seed(rng=random.Random(20261122), scale="small", stdout=io.StringIO())


def test_demo_has_the_configuration_and_applications_in_every_state(seeded):
    rule = SubsidyRule.objects.get(program__code="crime-prevention-subsidy-2026")
    assert (rule.rate_numerator, rule.rate_denominator, rule.cap, rule.rounding_unit) == (1, 2, 20000, 1000)
    cases = Case.objects.filter(program__code="crime-prevention-subsidy-2026")
    assert 900 <= cases.count() <= 1000
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    assert cases.filter(status=Status.GRANTED).exists()
    assert PastGrantee.objects.exists()
    assert DuplicateCandidate.objects.filter(past_grantee__isnull=False).exists()


def test_every_step_of_the_history_is_done_by_a_demo_user(seeded):
    users = set(User.objects.values_list("username", flat=True))
    actors = set(CaseEvent.objects.values_list("actor", flat=True))
    assert actors and actors <= users, actors - users
    # the department, not the contractor, decides and records the bank's result
    department_steps = [Status.GRANTED, Status.NOT_GRANTED, Status.PAID, Status.TRANSFER_FAILED]
    assert set(CaseEvent.objects.filter(to_status__in=department_steps).values_list("actor", flat=True)) == {"tanto"}
