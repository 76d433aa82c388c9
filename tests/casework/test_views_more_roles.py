"""Casework pages for the roles tests/casework/test_views.py does not cover: anonymous visitors and a
contractor whose declared period has ended.  Refused, logged (when signed in), and nothing changes."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import Case, Status
from madoguchi.register.models import Outsourcing
from tests.casework.factories import CODE, make_case
from tests.factories import PASSWORD, OrganisationFactory, UserFactory


def _pages(case: Case) -> list[str]:
    return [f"/cases/case/{case.pk}/", f"/cases/{CODE}/list/", f"/cases/{CODE}/import/",
            f"/cases/case/{case.pk}/edit/", f"/cases/{CODE}/inquiries/"]


def _state() -> list[tuple[object, ...]]:
    return list(Case.objects.values_list("id", "status", "name", "account_number").order_by("id"))


def test_anonymous_is_sent_to_log_in_and_sees_nothing(setup):
    case = make_case(setup.program)
    client = Client()
    for url in _pages(case):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = client.post(f"/cases/case/{case.pk}/step/", {"step": "start_review"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_contractor_after_its_period_is_refused_and_logged(setup):
    # given a contractor whose declaration for the program ended yesterday
    case = make_case(setup.program)
    org = OrganisationFactory(code="ended-contractor", kind=OrganisationKind.CONTRACTOR)
    rev = setup.program.revisions.get(status="approved")
    today = dt.date.today()
    ended = Outsourcing.objects.create(revision=rev, contractor=org, tasks=["data_entry", "review_support"],
                                       media=["contractor_server"], start_date=today - dt.timedelta(days=200),
                                       end_date=today - dt.timedelta(days=1))
    contract = Outsourcing.objects.get(revision=rev, contractor=setup.contractor.organisation)
    ended.items.set(contract.items.all())
    user = UserFactory(username="ended-op", role=Role.CONTRACTOR, organisation=org)
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    before, last = _state(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when it opens every page and tries a step
    statuses = [client.get(url).status_code for url in _pages(case)]
    step = client.post(f"/cases/case/{case.pk}/step/", {"step": "start_review"})
    # then everything is refused, nothing of the applicant is shown, each refusal is logged
    assert statuses == [403] * 5 and step.status_code == 403
    assert case.name not in step.content.decode()
    rows = list(AccessLog.objects.filter(id__gt=last, username=user.username))
    assert [(r.action, r.allowed) for r in rows] == [(AuditEvent.ACCESS_DENIED, False)] * 6
    assert _state() == before
