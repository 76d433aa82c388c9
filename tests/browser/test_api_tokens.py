"""The API token screen in Chromium: the administrator issues a token for a contractor's user, sees it once,
the token calls the API, and revoking it stops it."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import ApiToken, OrganisationKind, Role
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_administrator_issues_shows_once_and_revokes(page, login_as):
    UserFactory(username="kanri", role=Role.ADMINISTRATOR,
                organisation=OrganisationFactory(code="it-office", kind=OrganisationKind.IT))
    staff = UserFactory(username="tanto", role=Role.DEPARTMENT_STAFF,
                        organisation=OrganisationFactory(code="dept-x", kind=OrganisationKind.DEPARTMENT))
    login_as("kanri")
    page.click("nav.global-nav >> text=システム管理")
    page.click("main >> text=APIトークン")
    page.select_option("#id_user", str(staff.pk))
    page.fill("#id_name", "申請管理システムとの連携")
    page.fill("#id_days", "30")
    page.click("text=発行する")
    token = page.locator("[data-testid=token-value]").inner_text().strip()
    assert token.startswith("mdg_")
    # the token works, and is not shown again
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/policy").status_code == 200
    page.goto("/accounts/api-tokens/")
    assert token not in page.content()
    row = page.locator("[data-testid=token-table] tbody tr").first
    assert "申請管理システムとの連携" in row.inner_text() and "有効" in row.inner_text()
    # revoking it stops it
    prefix = ApiToken.objects.get().prefix
    page.click(f"[data-testid=revoke-{prefix}]")
    assert "取消し" in page.locator("[data-testid=token-table] tbody tr").first.inner_text()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/policy").status_code == 401
