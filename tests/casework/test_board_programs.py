"""Case screens list only the programs run as applications."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.casework.selectors import programs_with_cases
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import Outsourcing, PersonScope, RecordedItem, RevisionStatus
from madoguchi.register.policy import policy_for
from tests.factories import OrganisationFactory, ProgramFactory, RevisionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _printer_of_a_cohort_mailing():
    today = dt.date.today()
    catalogue = ensure_catalogue()
    dept = OrganisationFactory(code="dept-general", kind=OrganisationKind.DEPARTMENT)
    printer = OrganisationFactory(code="kyokudo", kind=OrganisationKind.CONTRACTOR)
    program = ProgramFactory(code="coming-of-age-test", department=dept, program_type="cohort_mailing")
    rev = RevisionFactory(program=program, status=RevisionStatus.APPROVED)
    scope = PersonScope.objects.create(revision=rev, name="対象者")
    RecordedItem.objects.create(scope=scope, item=catalogue["name"])
    out = Outsourcing.objects.create(revision=rev, contractor=printer, tasks=["printing"], media=["usb"],
                                     start_date=today - dt.timedelta(days=5), end_date=today + dt.timedelta(days=5))
    out.items.set([catalogue["name"]])
    return UserFactory(username="insatsu", role=Role.CONTRACTOR, organisation=printer)


def test_a_printer_with_a_grant_but_no_applications_has_no_case_screens(actor_for, login_client):
    printer = _printer_of_a_cohort_mailing()
    policy = policy_for(actor_for(printer))
    assert policy.program_codes() == {"coming-of-age-test"}
    assert programs_with_cases(policy) == []
    response = login_client(printer).get("/cases/")
    assert response.status_code == 403
