"""The upload screen's import as a background job: stored file, job row, phases, result, clean-up."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.residents.models import ImportJob, ImportJobStatus, Resident
from madoguchi.residents.services import import_jobs
from madoguchi.residents.services.import_jobs import run_import_job, start_import, upload_root
from tests.residents.conftest import Register, csv_bytes

LINE = "300000001,新宿　太郎,シンジュク　タロウ,R2.4.1,男,160-0022,東京都新宿区新宿一丁目1番1号,,H9,世帯主,,"


def line(n: int, **changes: str) -> str:
    text = LINE.replace("300000001", f"3{n:08d}")
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def stored_files() -> list[str]:
    root = upload_root()
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def upload(client, data: bytes, name: str = "extract.csv"):
    return client.post(reverse("residents:import"), {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_upload_stores_the_file_and_queues_a_job_that_runs_after_commit(
        register: Register, login_client, django_capture_on_commit_callbacks) -> None:
    # given staff on the upload screen
    client = login_client(register.users["staff"])
    data = csv_bytes(line(1), line(2), line(3))
    # when they upload a file, but the transaction's callbacks have not run yet
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, data)
    job = ImportJob.objects.get()
    # then the file waits privately under MEDIA_ROOT, the job is queued and the page polls it
    assert response.status_code == 302 and response["Location"] == reverse("residents:import_job", args=[job.pk])
    assert job.status == ImportJobStatus.QUEUED and job.created_by == register.users["staff"]
    assert job.filename == "extract.csv" and job.file_size == len(data)
    assert (upload_root() / job.file_path).read_bytes() == data
    assert len(callbacks) == 1 and not Resident.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "受付" in page
    # when the queued task runs
    callbacks[0]()
    job.refresh_from_db()
    # then everything is imported, the counts are on the job row and the stored file is gone
    assert job.status == ImportJobStatus.DONE
    assert (job.rows_read, job.rows_written, job.created, job.updated) == (3, 3, 3, 0)
    assert Resident.objects.count() == 3
    assert job.file_path == "" and stored_files() == []
    page = client.get(reverse("residents:import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' not in page
    assert "3件を取り込みました（新規 3件" in page and 'data-testid="import-result"' in page


def test_the_import_is_logged_once_as_the_uploader(register: Register, login_client,
                                                   django_capture_on_commit_callbacks) -> None:
    client = login_client(register.users["staff"])
    before = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(line(1), line(2)))
    rows = list(AccessLog.objects.filter(id__gt=before, action=AuditEvent.RESIDENT_IMPORT))
    assert len(rows) == 1 and rows[0].username == register.users["staff"].username and rows[0].resident_count == 2


def test_a_bad_file_records_every_row_error_and_imports_nothing(register: Register, login_client,
                                                              django_capture_on_commit_callbacks) -> None:
    # given a file with 1,200 bad rows (more than the page shows) among good ones
    client = login_client(register.users["staff"])
    lines = [line(n, **({"R2.4.1": "2025-02-30"} if n % 2 else {})) for n in range(1, 2401)]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_bytes(*lines), name="bad.csv")
    job = ImportJob.objects.get()
    # then the job lists every error with line, column and reason; nothing is written; the file is gone
    assert job.status == ImportJobStatus.REJECTED and job.error_count == 1200 and len(job.errors) == 1200
    assert job.errors[0] == [2, "生年月日", job.errors[0][2]] and "存在しない日付" in job.errors[0][2]
    assert job.rows_read == 2400 and job.rows_written == 0
    assert not Resident.objects.exists() and stored_files() == []
    page = client.get(response["Location"]).content.decode()
    assert page.count('data-testid="import-error"') == 1000 and "最初の1,000件を表示しています" in page
    assert "1,200件の誤りがあるため、取り込みませんでした" in page
    # and the CSV of errors holds all of them
    errors = client.get(reverse("residents:import_job_errors", args=[job.pk]))
    text = errors.content.decode("utf-8-sig").splitlines()
    assert text[0] == "行,列,理由" and len(text) == 1201 and text[1].startswith("2,生年月日,")


def test_an_empty_file_is_reported(register: Register, login_client,
                                   django_capture_on_commit_callbacks) -> None:
    client = login_client(register.users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, b"")
    page = client.get(response["Location"]).content.decode()
    assert "ファイルが空です（何も取り込んでいません）" in page and 'data-testid="import-error-table"' not in page


def test_a_file_level_error_is_shown(register: Register, login_client, django_capture_on_commit_callbacks) -> None:
    client = login_client(register.users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "氏名,住所\r\n新宿　太郎,東京\r\n".encode())
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.REJECTED and job.error_count >= 1
    page = client.get(response["Location"]).content.decode()
    assert "住民番号" in page and "取り込みませんでした（何も変更していません）" in page


def test_phases_are_written_to_the_job_row_outside_the_write_transaction(register: Register) -> None:
    # given a queued job
    actor = Actor(user=register.users["staff"], address="127.0.0.1")
    job = start_import(chunks=[csv_bytes(line(1), line(2), line(3))], filename="x.csv", actor=actor)
    seen: list[tuple[str, int]] = []
    real_write = import_jobs.write_residents

    def spy_write(rows, **kwargs):
        row = ImportJob.objects.get(pk=job.pk)
        seen.append((row.status, row.rows_read))
        return real_write(rows, **kwargs)

    real_parse = import_jobs.parse_residents

    def spy_parse(data, progress=None, every=10_000, **kwargs):
        seen.append((ImportJob.objects.get(pk=job.pk).status, 0))
        return real_parse(data, progress=progress, every=1, **kwargs)

    # when it runs (reporting progress every row)
    with mock.patch.object(import_jobs, "write_residents", spy_write), \
            mock.patch.object(import_jobs, "parse_residents", spy_parse), \
            mock.patch.object(ImportJob.objects, "filter", wraps=ImportJob.objects.filter) as updates:
        run_import_job(job.pk)
    # then it read (読込中), then wrote (書込中, with the rows read), then finished (完了)
    assert seen == [(ImportJobStatus.READING, 0), (ImportJobStatus.WRITING, 3)]
    assert updates.call_count >= 5  # reading, 3 × progress, writing, done, file cleared
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.started_at and job.finished_at
    # and a finished job is not run again
    Resident.objects.all().delete()
    run_import_job(job.pk)
    assert not Resident.objects.exists()


def test_a_failure_during_the_write_changes_nothing_and_marks_the_job_failed(register: Register) -> None:
    actor = Actor(user=register.users["staff"])
    job = start_import(chunks=[csv_bytes(line(1), line(2))], filename="x.csv", actor=actor)
    with mock.patch("madoguchi.residents.services.imports.record_access", side_effect=RuntimeError("disk")), \
            pytest.raises(RuntimeError):
        run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and "RuntimeError" in job.failure
    assert not Resident.objects.exists() and stored_files() == []


def test_a_user_who_lost_the_right_is_refused_when_the_job_runs(register: Register) -> None:
    staff = register.users["staff"]
    job = start_import(chunks=[csv_bytes(line(1))], filename="x.csv", actor=Actor(user=staff))
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and "権限" in job.failure
    assert not Resident.objects.exists() and stored_files() == []
    assert AccessLog.objects.filter(action=AuditEvent.RESIDENT_IMPORT, allowed=False).count() == 1


@pytest.mark.parametrize("role", ["contractor", "undeclared", "privacy", "auditor", "administrator"])
def test_other_roles_cannot_start_or_see_a_job(register: Register, login_client, role: str,
                                               django_capture_on_commit_callbacks) -> None:
    # given a finished job of staff
    with django_capture_on_commit_callbacks(execute=True):
        upload(login_client(register.users["staff"]), csv_bytes(line(1), line(2, **{"R2.4.1": "x"})))
    job = ImportJob.objects.get()
    client = login_client(register.users[role])
    # then other roles can neither upload nor see the job or its errors
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, csv_bytes(line(3))).status_code == 403
    assert client.get(reverse("residents:import_job", args=[job.pk])).status_code == 403
    assert client.get(reverse("residents:import_job_errors", args=[job.pk])).status_code == 403
    assert ImportJob.objects.count() == 1 and not Resident.objects.exists() and stored_files() == []


def test_another_staff_member_cannot_see_the_job(register: Register, login_client,
                                                 django_capture_on_commit_callbacks) -> None:
    from tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        upload(login_client(register.users["staff"]), csv_bytes(line(1)))
    job = ImportJob.objects.get()
    other = UserFactory(username="staff2", role=register.users["staff"].role,
                        organisation=register.users["staff"].organisation)
    client = login_client(other)
    assert client.get(reverse("residents:import_job", args=[job.pk])).status_code == 403
    assert "extract.csv" not in client.get(reverse("residents:import")).content.decode()


def test_polling_returns_only_the_job_card(register: Register, login_client,
                                           django_capture_on_commit_callbacks) -> None:
    client = login_client(register.users["staff"])
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(client, csv_bytes(line(1)))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.READING, rows_read=120_000)
    card = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert card.lstrip().startswith('<div class="card" id="import-job"') and "<html" not in card
    assert "120,000行を読み込み" in card and "読込中" in card and 'hx-trigger="every 2s"' in card


def test_upload_without_a_file_asks_for_one(register: Register, login_client) -> None:
    response = login_client(register.users["staff"]).post(reverse("residents:import"), {})
    assert "ファイルを選んでください" in response.content.decode() and not ImportJob.objects.exists()


def test_the_upload_page_lists_recent_imports_once_in_its_body(register: Register, login_client,
                                                               django_capture_on_commit_callbacks) -> None:
    # given one finished import
    client = login_client(register.users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes(line(1)))
    # when the upload page is shown again
    page = client.get(reverse("residents:import")).content.decode()
    # then the list of recent imports appears once, in the body, and the title is plain text
    assert page.count('data-testid="import-jobs"') == 1
    title = page[page.index("<title>") + len("<title>"):page.index("</title>")]
    assert "<" not in title and title.startswith("住民記録の取込み")
    assert page.index('data-testid="import-jobs"') > page.index('id="main"')
