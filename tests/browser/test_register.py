"""Author → submit → the privacy office approves → a new revision → the difference is shown."""

from __future__ import annotations

import pytest

from madoguchi.register.models import Revision, RevisionStatus
from tests.register.factories import role_users, valid_revision


def logout(page) -> None:
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/accounts/login/**")


@pytest.mark.django_db(transaction=True)
def test_register_author_submit_approve_and_revise(page, login_as, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = role_users()
    revision = valid_revision()
    code = revision.program.code

    # the department's staff completes the overview and submits
    login_as(users["owner"].username)
    page.goto("/register/")
    page.get_by_role("link", name="登録テスト事業").click()
    page.get_by_test_id("edit-overview").click()
    page.fill("#id_purpose", "区民の防犯意識を高めるため。")
    page.fill("#id_target_persons", "区内に住む区民")
    page.get_by_test_id("save").click()
    page.wait_for_selector("[data-testid=no-problems]")
    page.get_by_test_id("submit-revision").click()
    assert page.get_by_test_id("revision-status").inner_text() == "審議会へ提出済み"
    logout(page)

    # the privacy office records the council's approval
    login_as(users["privacy_office"].username)
    page.goto(f"/register/{code}/r1/")
    page.get_by_label("承認・了承・報告済みとして記録する").check()
    page.select_option("#id_kind", "承認")
    page.fill("#id_decided_on", "令和8年5月20日")
    page.fill("#id_meeting", "令和8年度第1回")
    page.get_by_test_id("record-decision").click()
    assert page.get_by_test_id("revision-status").inner_text() == "承認済み"
    assert "令和8年度第1回 承認" in page.get_by_test_id("decision").inner_text()
    logout(page)

    # the staff starts a new revision and adds the past grantees; the difference shows
    login_as(users["owner"].username)
    page.goto(f"/register/{code}/r1/")
    page.get_by_test_id("new-revision").click()
    page.wait_for_url(f"**/register/{code}/r2/")
    page.get_by_test_id("add-scope").click()
    page.fill("#id_name", "過去の交付決定者")
    page.get_by_label("氏名", exact=True).check()
    page.get_by_label("住所", exact=True).check()
    page.get_by_test_id("save").click()
    diff = page.get_by_test_id("diff")
    added = diff.locator("tr.diff-added")
    assert added.count() == 1
    assert "過去の交付決定者" in added.inner_text() and "氏名" in added.inner_text()
    assert page.locator("[data-testid=scope].diff-added h3").inner_text().startswith("過去の交付決定者")
    assert Revision.objects.get(program__code=code, number=1).status == RevisionStatus.APPROVED
    assert Revision.objects.get(program__code=code, number=2).status == RevisionStatus.DRAFT
