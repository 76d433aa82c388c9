"""The auditor's screens in Chromium: the log, a filter, the chain check (htmx), and a refused visitor."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_auditor_reads_filters_and_verifies_the_log(page, login_as):
    UserFactory(username="kansa", role=Role.AUDITOR,
                organisation=OrganisationFactory(code="audit-office", kind=OrganisationKind.AUDIT))
    UserFactory(username="tanto", role=Role.DEPARTMENT_STAFF,
                organisation=OrganisationFactory(code="dept-x", kind=OrganisationKind.DEPARTMENT))
    login_as("tanto")
    page.goto("/audit/")
    assert page.locator("[data-testid=access-denied]").is_visible()
    page.click("text=ログアウト")

    login_as("kansa")
    page.click("nav.global-nav >> text=アクセスログ")
    rows = page.locator("[data-testid=log-row]")
    assert rows.count() >= 4  # tanto's log-in, refusal, log-out; kansa's log-in and this view
    page.fill("#id_username", "tanto")
    page.select_option("#id_outcome", "denied")
    page.click("text=絞り込む")
    assert page.locator("[data-testid=log-row]").count() == 1
    denied = page.locator("[data-testid=log-row]").first
    assert "アクセスの拒否" in denied.inner_text() and "担当課職員" in denied.inner_text()
    assert denied.locator("td[title='policy.denied']").count() == 1
    page.click("[data-testid=verify-button]")
    result = page.locator("[data-testid=verify-result]")
    result.wait_for()
    assert "チェーンは正常です" in result.inner_text()
    assert AccessLog.objects.filter(username="kansa", action=AuditEvent.AUDIT_VERIFY).exists()
    assert AccessLog.objects.filter(username="tanto", action=AuditEvent.ACCESS_DENIED, allowed=False).exists()
