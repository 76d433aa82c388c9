"""Browser: staff search a resident across spellings, open the page with the household; the auditor sees it."""

from __future__ import annotations

import pytest

from madoguchi.audit.models import AccessLog
from tests.residents.conftest import people as people_fixture  # noqa: F401  (the household of the tests)
from tests.residents.conftest import register as register_fixture  # noqa: F401


@pytest.fixture
def fast_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_search_open_resident_and_auditor_sees_the_view(fast_hashing, register, people, page, login_as):
    head = people["head"]
    # given staff of the department that owns the program, signed in
    login_as(register.users["staff"].username)
    # when they search in half-width kana and open the first result
    page.click("nav >> text=住民検索")
    page.fill("#id_q", "ﾀｶﾊｼ ｲﾁﾛｳ")
    page.click("button:has-text('検索')")
    rows = page.locator("[data-testid=resident-row]")
    assert rows.count() == 1
    assert "髙橋　一郎" in rows.first.inner_text()
    rows.first.locator("[data-testid=resident-link]").click()
    # then the resident page shows the name as registered and the household
    assert page.inner_text("[data-testid=resident-name]") == "髙橋　一郎"
    assert page.locator("[data-testid=household-member]").count() == 2
    view = AccessLog.objects.filter(action="resident.view").latest("id")
    assert head.pk in view.resident_ids
    # and the auditor finds that view in the access log
    page.click("text=ログアウト")
    login_as(register.users["auditor"].username)
    page.goto("/audit/")
    log = page.inner_text("[data-testid=log-row] >> nth=0")
    assert "resident.view" in log or "住民" in log
    assert "res-staff" in page.inner_text("table")
