"""Browser: a contractor reads its access policy; a contractor without declared access is refused, and logged."""

from __future__ import annotations

import pytest

from madoguchi.audit.models import AccessLog
from tests.policy.world import build_world


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.mark.django_db(transaction=True)
def test_contractor_sees_its_policy_page(world, page, login_as):
    # given a sub-contractor user (the call center) signed in
    login_as(world.users["subcontractor"].username)
    # when it opens the access policy from the menu
    page.click("nav >> text=アクセス方針")
    page.click("[data-testid=policy-org-callcenter-s]")
    # then it sees its declared items, task, period and the council approval, and nothing of other organisations
    items = page.inner_text("[data-testid=declared-items]")
    assert "氏名" in items and "住民番号" in items and "住所" not in items
    assert "令和7年度第9回" in page.inner_text("[data-testid=approval]")
    assert "問合せ対応" in page.inner_text("[data-testid=declaration-p-owned]")
    page.goto("/policy/")
    assert page.locator("[data-testid=policy-org-contractor-a]").count() == 0


@pytest.mark.django_db(transaction=True)
def test_contractor_without_declared_access_is_refused_a_resident_page(world, page, login_as):
    user = world.users["undeclared"]
    target = world.residents["in_owned"]
    before = AccessLog.objects.filter(allowed=False).count()
    # given a contractor whose organisation is declared in no approved registration
    login_as(user.username)
    # when it opens a resident's page
    page.goto(f"/residents/{target.pk}/")
    # then it is refused, sees nothing of the resident, is offered no break glass, and the refusal is logged
    assert "アクセスできません" in page.inner_text("h1")
    assert page.locator("[data-testid=access-denied]").is_visible()
    assert target.name not in page.content()
    assert page.locator("[data-testid=break-glass-offer]").count() == 0
    refusals = AccessLog.objects.filter(allowed=False, username=user.username)
    assert AccessLog.objects.filter(allowed=False).count() == before + 1
    assert refusals.get().target == f"resident:{target.pk}"


@pytest.mark.django_db(transaction=True)
def test_privacy_office_breaks_glass_with_a_reason(world, page, login_as):
    target = world.residents["nobody"]
    login_as(world.users["privacy"].username)
    page.goto(f"/residents/{target.pk}/")
    page.click("[data-testid=break-glass-link]")
    # an empty reason is not accepted
    page.click("[data-testid=break-glass-submit]")
    assert page.locator("[data-testid=break-glass-form]").is_visible()
    page.fill("[data-testid=break-glass-reason]", "本人から窓口で住所変更の相談があり、記録を確認するため")
    page.click("[data-testid=break-glass-submit]")
    page.wait_for_url(f"**/residents/{target.pk}/")
    assert target.name in page.content()
    row = AccessLog.objects.filter(break_glass=True, action="policy.break_glass").get()
    assert row.username == world.users["privacy"].username and row.resident_ids == [target.pk]
