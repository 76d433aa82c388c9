"""A department clerk records envelopes handed to the printer on paper: a bad count and a future date are
named at their fields and nothing is written; the good entry appears in the ledger with item names."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.core.era import format_wareki
from madoguchi.handover.models import EntryKind, LedgerEntry


@pytest.fixture
def paper_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from tests.handover.factories import build_world

    world = build_world()
    world.outsourcings["kyokudo"].media = ["usb", "paper"]
    world.outsourcings["kyokudo"].save()
    return world


@pytest.mark.django_db(transaction=True)
def test_record_a_paper_handover_with_errors_at_their_fields(page, login_as, paper_world):
    login_as("owner")
    page.goto("/handover/packages/new/")
    page.click("[data-testid=paper-coming-of-age-2026]")
    page.fill("#id_handed_on", format_wareki(paper_world.today + dt.timedelta(days=3)))
    page.fill("#id_content", "封入封緘後の案内状（区の検査用）")
    page.fill("#id_count", "0")
    page.check("input[name=items][value=name]")
    page.get_by_test_id("save").click()
    summary = page.get_by_test_id("form-errors").inner_text()
    assert "件数は1以上" in summary
    assert not LedgerEntry.objects.exists()
    page.fill("#id_count", "120")
    page.get_by_test_id("save").click()
    assert "受渡日に未来の日付は入力できません" in page.get_by_test_id("form-errors").inner_text()
    assert not LedgerEntry.objects.exists()
    page.fill("#id_handed_on", format_wareki(paper_world.today))
    page.get_by_test_id("save").click()
    page.wait_for_selector("text=紙の受渡しを管理簿に記録しました。")
    entry = LedgerEntry.objects.get()
    assert entry.kind == EntryKind.PAPER and entry.record_count == 120
    assert "氏名" in page.content() and entry.items == ["氏名"]
