"""In a browser: the Content-Security-Policy is enforced (an inline script is blocked and reported), the
unknown page is the Japanese one in the site's layout, and the logout button (POST) signs out."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_an_inline_script_is_blocked_by_the_policy(browser, live_server):
    context = browser.new_context(locale="ja-JP", base_url=live_server.url)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto("/accounts/login/")
    # an attacker's markup that slipped into a page: an inline script and an inline handler
    page.evaluate("""() => {
        const s = document.createElement('script'); s.textContent = 'window.pwned = 1'; document.body.append(s);
        const d = document.createElement('div'); d.innerHTML = '<img src=x onerror="window.pwned = 2">';
        document.body.append(d);
    }""")
    page.wait_for_timeout(300)  # let the error event of the broken image fire (not a speed assertion)
    assert page.evaluate("() => window.pwned") is None
    assert any("Content Security Policy" in m for m in messages)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_unknown_page_and_logout(page, login_as):
    org = OrganisationFactory(code="dept-sec", kind=OrganisationKind.DEPARTMENT)
    UserFactory(username="sec-staff", role=Role.DEPARTMENT_STAFF, organisation=org)
    login_as("sec-staff")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.inner_text("h1") == "ページが見つかりません"
    assert page.locator("[data-testid=current-user]").count() == 1  # the site's layout, signed in
    page.click("text=ログアウト")
    page.wait_for_selector("#id_username")
    assert page.goto("/").url.endswith("/accounts/login/?next=/")
