"""Finding jobs whose worker died, and resuming or failing them (``madoguchi sweep_jobs``; the worker runs
it on start and periodically).

A running job is dead when the process named in ``claimed_by`` is gone (same host: no such process id) or,
for a worker on another host, when its heartbeat is older than ``JOB_STALE_SECONDS`` (default 120).  A dead
job whose type is ``RESUMABLE`` and has attempts left goes back to 待機中 and is queued again; any other
is failed with the code ``worker_lost`` and its fixed Japanese sentence.  Either way ``release()`` frees
what it held (e.g. the uploaded extract of a resident import, which is then removed from disk).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from madoguchi.core.jobs.models import STATUS, BackgroundJob
from madoguchi.core.jobs.runner import fail
from madoguchi.core.jobs.tasks import enqueue, run_background_job

logger = logging.getLogger("madoguchi.jobs")


@dataclass
class SweepResult:
    """What a sweep did: ``resumed`` and ``failed`` list ``(model label, job id)``."""

    resumed: list[tuple[str, int]] = field(default_factory=list)
    failed: list[tuple[str, int]] = field(default_factory=list)
    leftovers: int = 0

    def __str__(self) -> str:
        return (f"再開 {len(self.resumed)} 件、失敗として終了 {len(self.failed)} 件、"
                f"持ち主のないファイルの削除 {self.leftovers} 件")


def job_models() -> list[type[BackgroundJob]]:
    """Every concrete job row of the installed apps."""
    return [m for m in apps.get_models() if issubclass(m, BackgroundJob) and m.RUNNER]


def stale_seconds() -> float:
    return float(getattr(settings, "JOB_STALE_SECONDS", 120))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_is_dead(claimed_by: str, heartbeat_at: dt.datetime | None, *, now: dt.datetime,
                   stale_after: float) -> bool:
    """Whether the worker that claimed a job is gone (see the module's docstring)."""
    host, _, rest = claimed_by.partition(":")
    pid_text = rest.partition(":")[0]
    if host == socket.gethostname()[:60] and pid_text.isdigit():
        return not _process_alive(int(pid_text))
    return heartbeat_at is None or heartbeat_at < now - dt.timedelta(seconds=stale_after)


class WorkerLost(RuntimeError):
    """Recorded on django-tasks' result row of a task whose worker died (the job row says the rest)."""


def _close_task_results(label: str, job_id: int) -> None:
    """Mark the queue's result rows of this job that still say 'running' as failed (their worker is gone)."""
    from django_tasks_db.models import DBTaskResult

    lost = WorkerLost(f"{label} {job_id}: worker lost")
    for result in DBTaskResult.objects.filter(status="RUNNING", task_path=run_background_job.module_path):
        if result.args_kwargs.get("args") == [label, job_id]:
            result.set_failed(lost)


def sweep(*, stale_after: float | None = None, now: dt.datetime | None = None) -> SweepResult:
    """Resume or fail every running job whose worker died; returns what it did."""
    now = now or timezone.now()
    stale = stale_seconds() if stale_after is None else stale_after
    result = SweepResult()
    for model in job_models():
        running = [s for s in model.ACTIVE if s != model.QUEUED]
        for job in model._default_manager.filter(**{f"{STATUS}__in": running}).only(
                "pk", STATUS, "claimed_by", "heartbeat_at", "attempts"):
            if not worker_is_dead(job.claimed_by, job.heartbeat_at, now=now, stale_after=stale):
                continue
            label = model._meta.label
            if model.RESUMABLE and job.attempts < model.MAX_ATTEMPTS:
                was = {STATUS: job.status_value, "claimed_by": job.claimed_by}
                if model._default_manager.filter(pk=job.pk, **was).update(
                        **{STATUS: model.QUEUED}, claimed_by="", heartbeat_at=None):
                    _close_task_results(label, job.pk)
                    enqueue(job)
                    result.resumed.append((label, job.pk))
                    logger.warning("job %s %s: worker %s lost, queued again", label, job.pk, job.claimed_by)
                continue
            if fail(job, "worker_lost", only_if_claimed_by=job.claimed_by):
                result.failed.append((label, job.pk))
                _close_task_results(label, job.pk)
                logger.warning("job %s %s: worker %s lost, failed", label, job.pk, job.claimed_by)
                model._default_manager.get(pk=job.pk).release()
        result.leftovers += model.sweep_leftovers()
    return result
