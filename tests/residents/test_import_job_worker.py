"""The import job under the one job mechanism (ADR 0012): run once when enqueued twice, a worker killed
mid-job, failures that store no resident data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections
from django_tasks_db.models import DBTaskResult

from madoguchi.accounts.context import Actor
from madoguchi.core.jobs.runner import run_job
from madoguchi.core.jobs.tasks import enqueue
from madoguchi.residents.models import ImportJob, ImportJobStatus, Resident
from madoguchi.residents.services import import_jobs
from madoguchi.residents.services.import_jobs import start_import
from tests.residents.conftest import Register, csv_bytes
from tests.residents.test_import_job import line, stored_files

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="別プロセスのワーカーは PostgreSQL の試験用データベースに接続します（SQLite の試験用DBはメモリ上）")


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_twice_runs_once(register: Register, settings) -> None:
    # given an import queued on the database backend, and queued a second time by mistake
    settings.TASKS = DB_TASKS
    job = start_import(chunks=[csv_bytes(line(1), line(2))], filename="x.csv", actor=Actor(user=register.users["staff"]))
    enqueue(job)
    assert DBTaskResult.objects.count() == 2
    writes: list[int] = []
    real_write = import_jobs.write_residents

    def counting_write(rows, **kwargs):
        writes.append(len(rows))
        return real_write(rows, **kwargs)

    # when the worker runs everything queued
    with mock.patch.object(import_jobs, "write_residents", counting_write):
        call_command("worker", "--batch", "--no-startup-delay", "--interval", "0")
    # then the import ran once; the second task found the job claimed and left it
    job.refresh_from_db()
    assert writes == [2] and job.status == ImportJobStatus.DONE and job.attempts == 1 and job.rows_total == 2
    assert Resident.objects.count() == 2 and stored_files() == []
    assert DBTaskResult.objects.successful().count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_job_at_once_run_it_once(register: Register, settings) -> None:
    # given one queued import
    settings.TASKS = DB_TASKS
    job = start_import(chunks=[csv_bytes(line(1))], filename="x.csv", actor=Actor(user=register.users["staff"]))
    start = threading.Barrier(2)
    ran: list[bool] = []

    def worker() -> None:
        try:
            start.wait(timeout=20)
            ran.append(run_job(ImportJob, job.pk))
        finally:
            connections.close_all()

    # when two workers (threads with their own connections) claim it at the same moment
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    # then exactly one ran it
    assert sorted(ran) == [False, True]
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.attempts == 1 and Resident.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failure_on_a_row_holding_a_name_stores_no_resident_data(register: Register, settings) -> None:
    # given a file whose second row holds a name, and a database error that quotes that row (as a
    # PostgreSQL unique-violation DETAIL does)
    settings.TASKS = DB_TASKS
    name = "髙橋　𠮷子"
    data = csv_bytes(line(1), line(2).replace("新宿　太郎", name))
    job = start_import(chunks=[data], filename="x.csv", actor=Actor(user=register.users["staff"]))

    def failing_write(rows, **kwargs):
        raise IntegrityError(f'duplicate key value violates unique constraint DETAIL: Key (name)=({name}) '
                             f'住所 東京都新宿区新宿一丁目1番1号')

    # when the worker runs it
    with mock.patch.object(import_jobs, "write_residents", failing_write):
        call_command("worker", "--batch", "--no-startup-delay", "--interval", "0")
    # then the job failed with a code and a fixed sentence; neither the job row nor the task's result
    # holds the name or the address
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.failure_code == "unexpected"
    assert "予期しないエラー" in job.failure and "IntegrityError" in job.failure
    stored = " ".join(str(v) for v in ImportJob.objects.filter(pk=job.pk).values().get().values())
    task = DBTaskResult.objects.get()
    for text in (stored, task.traceback, task.exception_class_path, str(task.return_value)):
        assert "𠮷子" not in text and "新宿一丁目" not in text
    assert task.exception_class_path.endswith("JobCrashed")
    assert stored_files() == [] and not Resident.objects.exists()


def _wait_for(predicate, *, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_is_swept_the_job_fails_with_a_reason_and_the_file_is_gone(
        register: Register, settings) -> None:
    # given a real worker process importing a file, stalled mid-way with two rows checked
    settings.TASKS = DB_TASKS
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MADOGUCHI_MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DATABASE_URL": _test_database_url(), "MADOGUCHI_TASK_BACKEND": "django_tasks_db.DatabaseBackend"}
    job = start_import(chunks=[csv_bytes(*(line(n) for n in range(1, 6)))], filename="x.csv",
                       actor=Actor(user=register.users["staff"]))
    stored = settings.MEDIA_ROOT / "private" / "residents-imports" / ImportJob.objects.get(pk=job.pk).file_path
    worker = subprocess.Popen([sys.executable, str(ROOT / "tests" / "residents" / "stall_worker.py")], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        mid_job = _wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.READING,
                                                             rows_read__gte=1).exists())
        assert mid_job, worker.stderr.read1(4000) if worker.poll() is not None else "the job did not start"
        claimed = ImportJob.objects.get(pk=job.pk)
        assert claimed.claimed_by.split(":")[1] == str(worker.pid) and claimed.heartbeat_at is not None
        assert stored.exists()
    finally:
        # when the worker is killed (no chance to clean up)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJobStatus.READING  # stuck, as before the sweeper
    # and the sweeper runs
    call_command("sweep_jobs")
    # then the job is failed with a reason in Japanese, the uploaded file is gone, nothing was imported
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.failure_code == "worker_lost"
    assert "ワーカー" in job.failure and "もう一度" in job.failure and job.finished_at
    assert not stored.exists() and job.file_path == "" and not Resident.objects.exists()
    # and the queue's own record of the task no longer says it is running
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerLost")
    # and a second sweep changes nothing
    call_command("sweep_jobs")
    assert ImportJob.objects.get(pk=job.pk).finished_at == job.finished_at


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_the_job_page_shows_rows_read_of_the_file_s_rows(register: Register, login_client, settings) -> None:
    from django.urls import reverse

    settings.TASKS = DB_TASKS
    job = start_import(chunks=[csv_bytes(*(line(n) for n in range(1, 6)))], filename="x.csv",
                       actor=Actor(user=register.users["staff"]))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.READING, rows_read=2, rows_total=5)
    page = login_client(register.users["staff"]).get(reverse("residents:import_job", args=[job.pk])).content.decode()
    assert "2 / 5" in page and 'value="2"' in page


def test_the_sweeper_removes_an_old_upload_that_no_job_owns(register: Register) -> None:
    import os

    from madoguchi.core.jobs.sweeper import sweep
    from madoguchi.residents.uploads import store_upload, upload_root

    # given a file stored by a process that died before creating its job, an hour and more ago, and a job's file
    orphan, _ = store_upload([b"x"])
    old = time.time() - 7200
    os.utime(upload_root() / orphan, (old, old))
    job = start_import(chunks=[csv_bytes(line(1))], filename="x.csv", actor=Actor(user=register.users["staff"]))
    fresh_orphan, _ = store_upload([b"y"])
    owned = ImportJob.objects.get(pk=job.pk).file_path
    os.utime(upload_root() / owned, (old, old))
    # when the sweeper runs
    result = sweep()
    # then only the old orphan is gone
    assert result.leftovers == 1 and sorted(stored_files()) == sorted([owned, fresh_orphan])
