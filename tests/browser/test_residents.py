"""Browser: staff search a resident across spellings, open the page with the household; the auditor sees it."""

from __future__ import annotations

import pytest

from madoguchi.audit.models import AccessLog
from tests.residents.conftest import build_people, build_register


@pytest.mark.django_db(transaction=True)
def test_search_open_resident_and_auditor_sees_the_view(settings, page, login_as):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    register = build_register()
    people = build_people(register)
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
    views = page.locator("[data-testid=log-row]", has_text="resident.view")
    assert views.count() == 1
    assert "res-staff" in views.first.inner_text() and f"resident:{head.pk}" in views.first.inner_text()
