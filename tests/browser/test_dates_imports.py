"""Browser: files as e-forms, legacy systems and spreadsheets write them (issues 15 and 19).

An e-form export with timestamps is imported through the mapping screen (申請日時 keeps its time); a
resident extract with a kanji-numeral date is imported; a spreadsheet-edited extract (zeros lost, dates
rewritten, ",," at line ends) shows the warning; a same-person stop asks for confirmation."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.casework.models import Case
from madoguchi.core.era import JST
from tests.casework.conftest import MAPPING, csv_bytes, row
from tests.casework.factories import CODE, make_setup

RESIDENT = "000012,新宿　太郎,シンジュク　タロウ,令和七年九月三十日,男,1600022,東京都新宿区新宿一丁目1番1号,,000500,世帯主,,"


@pytest.mark.django_db(transaction=True)
def test_eform_export_with_timestamps_through_the_mapping_screen(page, login_as, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setup = make_setup()
    from madoguchi.casework.services.intake import save_profile

    save_profile(actor=setup.actor(setup.staff), program=setup.program, name="LoGoフォーム", mapping=MAPPING)
    upload = tmp_path / "logo.csv"
    upload.write_bytes(csv_bytes(row("LF-1", date="2026-05-10 10:00", 購入日1="2026/5/10(日)"),
                                 row("LF-2", date="2026-05-11T09:30:00+09:00", name="山田　太郎",
                                     kana_holder="ヤマダ タロウ")))
    login_as("tanto")
    # given the mapping screen, which says which fields keep the time
    page.goto(f"/cases/{CODE}/import/")
    page.click("a:has-text('LoGoフォーム')")
    assert "時刻は保存しません" in page.inner_text("[data-testid=kind-application_date]")
    assert "時刻も保存します" in page.inner_text("[data-testid=kind-applied_at]")
    # when staff map the e-form's 送信日時 to 申請日時 (and no column to 申請日) and save
    page.fill("#col_application_date", "")
    page.fill("#col_applied_at", "送信日時")
    page.click("[data-testid=profile-save]")
    # and import the export with timestamps
    page.set_input_files("#file", str(upload))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-result]")
    # then both applications are received, with the date and the time of the e-form
    assert "新規 2 件" in page.inner_text("[data-testid=import-result]")
    first, second = Case.objects.order_by("response_id")
    assert first.applied_at == dt.datetime(2026, 5, 10, 10, 0, tzinfo=JST)
    assert first.application_date == dt.date(2026, 5, 10)
    assert second.applied_at == dt.datetime(2026, 5, 11, 9, 30, tzinfo=JST)
    assert first.purchases.get(item="防犯カメラ").purchase_date == dt.date(2026, 5, 10)


@pytest.mark.django_db(transaction=True)
def test_resident_extracts_kanji_date_spreadsheet_warning_and_same_person_confirmation(
        settings, page, login_as, tmp_path):
    from madoguchi.residents.models import Resident
    from tests.residents.conftest import build_register
    from tests.residents.conftest import csv_bytes as resident_csv

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    register = build_register()
    login_as(register.users["staff"].username)

    # a resident extract with a kanji-numeral birth date is imported
    extract = tmp_path / "extract.csv"
    extract.write_bytes(resident_csv(RESIDENT, encoding="cp932"))
    page.goto("/residents/import/")
    page.set_input_files("#id_file", str(extract))
    page.click("button:has-text('取り込む')")
    page.wait_for_selector("[data-testid=import-result]")
    assert "新規 1件" in page.inner_text("[data-testid=import-result]")
    assert Resident.objects.get(resident_no="000012").birth_date == dt.date(2025, 9, 30)
    assert page.locator("[data-testid=import-sheet-warning]").count() == 0

    # the same extract after Excel: zeros lost, dates rewritten, ",," at line ends
    header = "住民番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所,方書,世帯番号,続柄,住民日,状態,,"
    edited = tmp_path / "edited.csv"
    edited.write_bytes(resident_csv(RESIDENT.replace("000012,", "12,").replace("000500", "500")
                                    .replace("令和七年九月三十日", "2025/9/30") + ",,", header=header))
    page.goto("/residents/import/")
    page.set_input_files("#id_file", str(edited))
    page.click("button:has-text('取り込む')")
    page.wait_for_selector("[data-testid=import-errors]")
    warning = page.inner_text("[data-testid=import-sheet-warning]")
    assert "表計算ソフト" in warning and "先頭の0" in warning and "空の列" in warning and "2025/9/30" in warning
    assert page.locator("[data-testid=import-error]").first.inner_text().startswith("2\t住民番号")
    assert Resident.objects.count() == 1

    # another number for an identical person stops and asks; the confirmation imports it
    same = tmp_path / "same.csv"
    same.write_bytes(resident_csv(RESIDENT.replace("000012", "900012")))
    page.goto("/residents/import/")
    page.set_input_files("#id_file", str(same))
    page.click("button:has-text('取り込む')")
    page.wait_for_selector("[data-testid=same-person-confirm]")
    assert "000012" in page.inner_text("[data-testid=import-error-table]")
    assert Resident.objects.count() == 1
    page.set_input_files("#id_confirm_file", str(same))
    page.check("[data-testid=same-person-checkbox]")
    page.click("button:has-text('確認して取り込む')")
    page.wait_for_selector("[data-testid=import-result]")
    assert Resident.objects.count() == 2
