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
    # (the action column shows a Japanese label; the code is its title)
    views = page.locator("[data-testid=log-row]:has(td[title='resident.view'])")
    assert views.count() == 1
    assert "res-staff" in views.first.inner_text() and f"resident:{head.pk}" in views.first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_import_page_polls_the_job_until_the_result(settings, page, login_as, tmp_path):
    from madoguchi.residents.models import ImportJob, Resident
    from madoguchi.residents.services.import_jobs import run_import_job
    from tests.residents.conftest import csv_bytes

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # the task is queued but not run, so the page is seen waiting; the test then runs it like a worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    register = build_register()
    extract = tmp_path / "extract.csv"
    extract.write_bytes(csv_bytes(
        "300000001,新宿　太郎,シンジュク　タロウ,R2.4.1,男,160-0022,東京都新宿区新宿一丁目1番1号,,H9,世帯主,,",
        "300000002,新宿　花子,シンジュク　ハナコ,R3.5.6,女,160-0022,東京都新宿区新宿一丁目1番1号,,H9,妻,,"))
    # given staff on the import screen
    login_as(register.users["staff"].username)
    page.goto("/residents/import/")
    # when they upload an extract
    page.set_input_files("#id_file", str(extract))
    page.click("button:has-text('取り込む')")
    # then the job page shows it waiting
    page.wait_for_selector("[data-testid=import-job]")
    assert page.inner_text("[data-testid=job-status-label]") == "受付"
    assert not Resident.objects.exists()
    # and when the worker has run it, the page updates itself with the result
    run_import_job(ImportJob.objects.get().pk)
    page.wait_for_selector("[data-testid=import-result]", timeout=15_000)
    assert "2件を取り込みました（新規 2件" in page.inner_text("[data-testid=import-result]")
    assert page.inner_text("[data-testid=job-status-label]") == "完了"
    assert Resident.objects.count() == 2
