"""Running a job row: an atomic claim, progress committed as it goes, a heartbeat, and safe failures.

- :func:`madoguchi.core.jobs.tasks.enqueue` queues the one generic task for a row after the transaction
  that created it commits; the task calls :func:`run_job` here (this module never imports the tasks:
  no service ↔ task cycle).
- :func:`run_job` claims the row with one conditional ``UPDATE … WHERE status = 'queued'``: the same job
  enqueued twice, or picked by two workers at once, runs once (the second claim updates no row).
- :class:`Progress` writes progress fields and a heartbeat.  Outside a transaction they are written at once
  (autocommit); inside one (a render or an import that is one transaction), the worker's heartbeat thread
  writes them on its own database connection, so a page polling from another connection sees them while
  the job runs (PostgreSQL; on SQLite a writer waits for the job's transaction, see ADR 0012).
- A failure stores a code and a fixed sentence (``BackgroundJob.FAILURE_MESSAGES``), never an
  exception's text, which may quote a resident's data; the task runner gets :class:`JobCrashed`, which
  names only the row and the exception's class.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from madoguchi.core.jobs.models import STATUS, BackgroundJob

logger = logging.getLogger("madoguchi.jobs")

#: Set by the ``worker`` command: progress inside a transaction and the heartbeat are written by a thread
#: on its own connection.  Off elsewhere (a web request or a test running a job at once).
heartbeat_in_thread = False


class JobCrashed(RuntimeError):
    """An unexpected error ended a job; carries only the row and the exception's class (safe to log)."""


class JobFailed(Exception):
    """Raised by a runner to end its job as failed with ``code`` and a message that holds no resident data
    (a policy refusal's reason, a business rule's sentence).  Without a message the code's fixed sentence
    is stored."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = message


class Runner(Protocol):
    def __call__(self, job: Any, progress: Progress) -> None: ...


_identity: tuple[int, str] | None = None


def worker_identity() -> str:
    """``host:pid:token`` of this process (a new token after a fork); stored in ``claimed_by``."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:
        _identity = (pid, f"{socket.gethostname()[:60]}:{pid}:{secrets.token_hex(6)}")
    return _identity[1]


def heartbeat_seconds() -> float:
    """Seconds between heartbeats (setting ``JOB_HEARTBEAT_SECONDS``, default 5)."""
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 5))


def claim(model: type[BackgroundJob], job_id: int) -> BackgroundJob | None:
    """Move a queued job to its running status for this process; None when it is not queued any more
    (already claimed by another run, finished, failed).  One conditional UPDATE: atomic on every database."""
    now = timezone.now()
    claimed = model._default_manager.filter(pk=job_id, **{STATUS: model.QUEUED}).update(
        status=model.RUNNING, claimed_by=worker_identity(), heartbeat_at=now, started_at=now,
        attempts=F("attempts") + 1)
    if not claimed:
        return None
    return model._default_manager.get(pk=job_id)


class Progress:
    """Progress fields of one running job (e.g. ``done``, ``rows_read``) and its heartbeat.

    ``update(**fields)`` never blocks the job on the database: outside a transaction the fields are written
    at most once per ``min_interval`` seconds; inside one they wait for the heartbeat thread (when the
    worker runs one) or for the next write outside the transaction.
    """

    def __init__(self, job: BackgroundJob, *, threaded: bool, min_interval: float = 0.5) -> None:
        self.model = type(job)
        self.job_id: int = job.pk
        self.token = job.claimed_by
        self.min_interval = min_interval
        self._pending: dict[str, Any] = {}
        self._lock = threading.Lock()  # guards _pending
        self._write_lock = threading.Lock()  # one write at a time, in order
        self._last = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if threaded:
            self._thread = threading.Thread(target=self._beat, name=f"job-heartbeat-{self.job_id}", daemon=True)
            self._thread.start()

    def update(self, **fields: Any) -> None:
        with self._lock:
            self._pending.update(fields)
        if not connection.in_atomic_block and time.monotonic() - self._last >= self.min_interval:
            self._write()

    def _write(self) -> None:
        with self._write_lock:
            with self._lock:
                fields, self._pending = self._pending, {}
            try:
                self.model._default_manager.filter(pk=self.job_id, claimed_by=self.token).update(
                    heartbeat_at=timezone.now(), **fields)
            except DatabaseError:  # SQLite: the job's own transaction holds the write lock; try again later
                with self._lock:
                    self._pending = {**fields, **self._pending}
                logger.debug("job %s %s: progress not written yet", self.model._meta.label, self.job_id)
            self._last = time.monotonic()

    def _beat(self) -> None:
        interval = heartbeat_seconds()
        last_beat = time.monotonic()
        try:
            while not self._stop.wait(min(self.min_interval * 2, interval)):
                if self._pending or time.monotonic() - last_beat >= interval:
                    self._write()
                    last_beat = time.monotonic()
        finally:
            connections.close_all()  # this thread's own connection

    def discard(self) -> None:
        """Drop progress not yet written (the caller writes final counts next); the heartbeat goes on."""
        with self._write_lock, self._lock:
            self._pending = {}

    def stop(self) -> None:
        """End the heartbeat; progress not yet written is dropped (the runner writes the final counts)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._pending = {}


def fail(job: BackgroundJob, code: str, message: str = "", *, only_if_claimed_by: str | None = None) -> bool:
    """Mark ``job`` failed with ``code`` and a message without resident data (the code's fixed sentence
    when ``message`` is empty).  Returns whether the row was changed."""
    model = type(job)
    rows = model._default_manager.filter(pk=job.pk, **{f"{STATUS}__in": model.ACTIVE})
    if only_if_claimed_by is not None:
        rows = rows.filter(claimed_by=only_if_claimed_by)
    fields: dict[str, Any] = {"status": model.FAILED, "failure_code": code, "finished_at": timezone.now(),
                              model.FAILURE_FIELD: message or model.failure_message(code)}
    return bool(rows.update(**fields))


def run_job(model: type[BackgroundJob], job_id: int) -> bool:
    """Claim and run one job; returns whether this call ran it (False: someone else has or had it).

    Raises :class:`JobCrashed` after marking the job failed when its runner raised an unexpected error.
    """
    job = claim(model, job_id)
    if job is None:
        logger.info("job %s %s: not queued, left as it is", model._meta.label, job_id)
        return False
    runner: Runner = import_string(model.RUNNER)
    progress = Progress(job, threaded=heartbeat_in_thread)
    try:
        runner(job, progress)
    except JobFailed as exc:
        progress.stop()
        fail(job, exc.code, exc.message)
    except Exception as exc:
        progress.stop()
        name = type(exc).__name__
        logger.error("job %s %s failed: %s", model._meta.label, job_id, name)  # the class only: no data
        fail(job, "unexpected", f"{model.failure_message('unexpected')}（{name}）")
        raise JobCrashed(f"{model._meta.label} {job_id}: {name}") from None
    else:
        progress.stop()
        if fail(job, "unexpected"):  # a runner must end its job; one that did not is not left "running"
            logger.error("job %s %s: the runner returned without ending the job", model._meta.label, job_id)
    finally:
        progress.stop()
        job.refresh_from_db()
        if not job.active:
            job.release()
    return True
