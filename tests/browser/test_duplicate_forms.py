"""Issue 15 in a browser: a re-applicant whose address is written with a space between 都 and 区, ヶ for ケ
and a hyphen bullet between the numbers is found as the past grantee on import."""

from __future__ import annotations

import pytest

from madoguchi.casework.models import Case
from tests.casework.conftest import MAPPING, csv_bytes, row
from tests.casework.factories import CODE, make_setup


@pytest.mark.django_db(transaction=True)
def test_reapplicant_with_spaced_address_and_small_ke_is_a_match(page, login_as, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setup = make_setup()
    from madoguchi.casework.services.duplicates import import_past_grantees
    from madoguchi.casework.services.intake import save_profile

    staff = setup.actor(setup.staff)
    save_profile(actor=staff, program=setup.program, name="LoGoフォーム", mapping=MAPPING)
    import_past_grantees(actor=staff, program=setup.program, name="令和7年度",
                         data="住所,氏名\n東京都新宿区霞ケ丘町一丁目3番1号,高橋　一郎\n".encode())
    upload = tmp_path / "logo.csv"
    upload.write_bytes(csv_bytes(row("LF-1", name="髙橋 一郎", address="東京都 新宿区霞ヶ丘町1⁃3⁃1",
                                     kana_holder="タカハシ イチロウ")))

    login_as("tanto")
    page.goto(f"/cases/{CODE}/import/")
    page.set_input_files("#file", str(upload))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-result]")
    case = Case.objects.get()
    page.goto(f"/cases/case/{case.pk}/")
    candidate = case.duplicate_candidates.get()
    cells = page.inner_text(f"[data-testid=candidate-{candidate.pk}]")
    assert "一致" in cells and "可能性あり" not in cells
    assert candidate.verdict == "match"
