"""The notice batch under the one job mechanism (ADR 0012): n / N committed while the render's transaction
is open, and a job whose worker died resumed (or failed once its attempts are spent)."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from madoguchi.casework.models import JobStatus, Notice, NoticeJob, NoticeKind, Status
from madoguchi.casework.services import notices
from madoguchi.casework.services.notices import run_job, start_batch
from madoguchi.core.jobs import runner
from madoguchi.core.jobs.sweeper import sweep
from tests.casework.factories import make_case

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _cases(setup, n: int) -> None:
    for i in range(n):
        make_case(setup.program, name=f"申請　{i}", address=f"新宿区百人町1-1-{i + 1}", status=Status.GRANTED,
                  granted_amount=10000)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite では描画中のトランザクションが書込みを止めるため、途中経過は終了後に見えます（ADR 0012）")
@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_progress_while_the_render_transaction_is_open(setup, settings, monkeypatch):
    # given a queued batch of 4 notices, run by a worker (heartbeat thread on)
    settings.TASKS = DB_TASKS
    settings.JOB_HEARTBEAT_SECONDS = 1
    monkeypatch.setattr(runner, "heartbeat_in_thread", True)
    _cases(setup, 4)
    job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    seen: dict[str, int] = {}
    real_render = notices.render_pdf

    def observe() -> None:  # the polling page: its own connection
        try:
            for _ in range(200):
                done = NoticeJob.objects.get(pk=job.pk).done
                if done >= 2:
                    seen["done"] = done
                    seen["notices"] = Notice.objects.count()
                    return
                threading.Event().wait(0.1)
        finally:
            connections.close_all()

    def render(cases, kind, *, progress=None, day=None):
        def report(done: int) -> None:
            progress(done)
            if done == 2:  # half-way, inside the render's transaction
                watcher = threading.Thread(target=observe)
                watcher.start()
                watcher.join(timeout=30)
        return real_render(cases, kind, progress=report, day=day)

    monkeypatch.setattr(notices, "render_pdf", render)
    # when the job runs
    run_job(job.pk)
    # then the page saw 2 of 4 while the notices themselves were not committed yet
    assert seen == {"done": 2, "notices": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total == 4 and Notice.objects.count() == 4


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _stranded(job: NoticeJob, claimed_by: str, *, attempts: int = 1, beat: dt.datetime | None = None) -> None:
    NoticeJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, claimed_by=claimed_by, attempts=attempts,
                                               heartbeat_at=beat or timezone.now(), done=1)


def test_a_job_whose_worker_died_is_queued_again_and_runs(setup, settings):
    # given a batch whose worker (on this host) died mid-render
    settings.TASKS = DB_TASKS
    _cases(setup, 2)
    job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    _stranded(job, f"{socket.gethostname()}:{_dead_pid()}:gone")
    # when the sweeper runs
    result = sweep()
    # then the job is queued again (the render was one transaction: nothing half-made) and a worker finishes it
    assert result.resumed == [("casework.NoticeJob", job.pk)] and not result.failed
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.claimed_by == ""
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and Notice.objects.count() == 2


def test_a_job_that_lost_its_worker_too_often_fails_with_a_reason(setup, settings):
    settings.TASKS = DB_TASKS
    _cases(setup, 1)
    job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    _stranded(job, f"{socket.gethostname()}:{_dead_pid()}:gone", attempts=NoticeJob.MAX_ATTEMPTS)
    result = sweep()
    job.refresh_from_db()
    assert result.failed == [("casework.NoticeJob", job.pk)]
    assert job.status == JobStatus.FAILED and job.failure_code == "worker_lost" and "ワーカー" in job.error


def test_a_worker_on_another_host_counts_as_dead_only_after_its_heartbeat_goes_stale(setup, settings):
    settings.TASKS = DB_TASKS
    settings.JOB_STALE_SECONDS = 120
    _cases(setup, 1)
    job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    # a live heartbeat 30 s ago: left alone
    _stranded(job, "other-host:4242:x", beat=timezone.now() - dt.timedelta(seconds=30))
    assert sweep().resumed == []
    assert NoticeJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
    # silent for 5 minutes: queued again
    _stranded(job, "other-host:4242:x", beat=timezone.now() - dt.timedelta(minutes=5))
    assert sweep().resumed == [("casework.NoticeJob", job.pk)]


def test_a_live_worker_on_this_host_is_left_alone_even_when_silent(setup, settings):
    settings.TASKS = DB_TASKS
    _cases(setup, 1)
    job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    _stranded(job, runner.worker_identity(), beat=timezone.now() - dt.timedelta(hours=1))
    assert sweep().resumed == [] and sweep().failed == []
    assert NoticeJob.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_the_job_card_shows_n_of_n_while_running_and_a_fixed_sentence_when_the_worker_was_lost(setup, settings):
    from django.test import Client

    from tests.factories import PASSWORD

    settings.TASKS = DB_TASKS
    _cases(setup, 3)
    job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    _stranded(job, "other-host:1:x")
    client = Client()
    assert client.login(username=setup.staff.username, password=PASSWORD)
    page = client.get(f"/cases/jobs/{job.pk}/").content.decode()
    assert "1 / 3 件" in page and 'hx-trigger="every 2s"' in page
    _stranded(job, f"{socket.gethostname()}:{_dead_pid()}:gone", attempts=NoticeJob.MAX_ATTEMPTS)
    sweep()
    page = client.get(f"/cases/jobs/{job.pk}/").content.decode()
    assert "ワーカー" in page and "もう一度依頼してください" in page and "every 2s" not in page


def test_a_runner_that_returns_without_ending_its_job_does_not_leave_it_running(setup, settings, monkeypatch):
    settings.TASKS = DB_TASKS
    _cases(setup, 1)
    job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    monkeypatch.setattr(notices, "run", lambda job, progress: None)
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure_code == "unexpected" and "予期しない" in job.error
