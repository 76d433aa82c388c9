"""Browser: an extract holding a vendor 外字 (CP932 F040) shows the 外字 flag on the import result; staff map it
in the 外字対応表 (issue 19 §4, ADR 0016)."""

from __future__ import annotations

import pytest

from tests.residents.conftest import build_register, csv_bytes


@pytest.mark.django_db(transaction=True)
def test_import_shows_the_gaiji_flag_and_staff_map_it(settings, page, login_as, tmp_path):
    from madoguchi.residents.models import GaijiMapping, ImportJob, Resident
    from madoguchi.residents.services.gaiji import clear_cache
    from madoguchi.residents.services.import_jobs import run_import_job

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    clear_cache()
    register = build_register()
    extract = tmp_path / "extract.csv"
    # a Shift_JIS extract whose name holds the vendor's user-defined character F040
    extract.write_bytes(csv_bytes(
        "300000001,\ue000橋　一郎,タカハシ　イチロウ,1980-04-01,男,160-0023,東京都新宿区西新宿二丁目8番1号,,H1,世帯主,,",
        encoding="cp932"))
    assert b"\xf0\x40" in extract.read_bytes()
    login_as(register.users["staff"].username)
    page.goto("/residents/import/")
    page.set_input_files("#id_file", str(extract))
    page.click("button:has-text('取り込む')")
    page.wait_for_selector("[data-testid=import-job]")
    run_import_job(ImportJob.objects.get().pk)
    # then the result shows the 外字 flag with the vendor code
    flag = page.wait_for_selector("[data-testid=import-gaiji]", timeout=15_000)
    assert "外字" in flag.inner_text() and "F040" in flag.inner_text() and "1人" in flag.inner_text()
    assert Resident.objects.get().gaiji == "\ue000"
    # and the link opens the 外字対応表 with the code unmapped and the resident listed
    page.click("[data-testid=import-gaiji-link]")
    row = page.locator("[data-testid=gaiji-row]")
    assert row.count() == 1 and "F040" in row.inner_text() and "未登録" in row.inner_text()
    assert "300000001" in page.inner_text("[data-testid=gaiji-residents]")
    # when staff map it to 髙
    page.fill("#id_code", "F040")
    page.fill("#id_standard", "髙")
    page.fill("#id_note", "戸籍の字形による")
    page.click("[data-testid=gaiji-form] button")
    page.wait_for_selector("text=対応させました")
    assert "髙" in page.locator("[data-testid=gaiji-row]").inner_text()
    assert GaijiMapping.objects.get().standard == "髙"
    assert page.locator("[data-testid=gaiji-residents]").count() == 0
    clear_cache()
