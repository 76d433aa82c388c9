"""What the health endpoint (``/healthz``) checks: the database answers, and background work moves.

The worker is judged from what it leaves in the database, read defensively (a missing table or field is
"unknown", never an error):

- the task queue (django-tasks' database backend): the oldest task ready to run must not have waited longer
  than ``HEALTH_QUEUE_MAX_SECONDS`` (default 300 s) — otherwise no worker is taking work;
- job rows with a heartbeat (any model with ``status``, ``heartbeat_at`` and ``ACTIVE`` statuses): a job
  still active whose heartbeat is older than ``JOB_STALE_SECONDS`` (default 120 s) has lost its worker.

Nothing here reads residents' data; the answer holds only states and counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone


@dataclass
class Health:
    database: str = "ok"  # ok | fail
    worker: str = "unknown"  # ok | idle | stale | unknown
    oldest_queued_seconds: int | None = None
    stale_jobs: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.database == "ok" and self.worker != "stale"

    def as_dict(self) -> dict[str, Any]:
        return {"status": "ok" if self.healthy else "fail", **asdict(self)}


def check_database() -> bool:
    """True when ``SELECT 1`` answers on the default connection."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _oldest_queued_seconds(now: dt.datetime) -> int | None:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is a dependency
        return None
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return None if oldest is None else max(0, int((now - oldest).total_seconds()))


def _stale_jobs(now: dt.datetime) -> int:
    stale_after = dt.timedelta(seconds=int(getattr(settings, "JOB_STALE_SECONDS", 120)))
    count = 0
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        active = getattr(model, "ACTIVE", ())
        if not {"status", "heartbeat_at"} <= names or not active:
            continue
        count += model._default_manager.filter(  # type: ignore[attr-defined]
            status__in=active, heartbeat_at__lt=now - stale_after).count()
    return count


def check_health() -> Health:
    """The database and the worker, as :class:`Health` (``healthy`` false when either fails)."""
    health = Health()
    if not check_database():
        health.database = "fail"
        return health
    now = timezone.now()
    max_wait = int(getattr(settings, "HEALTH_QUEUE_MAX_SECONDS", 300))
    try:
        health.oldest_queued_seconds = _oldest_queued_seconds(now)
        health.stale_jobs = _stale_jobs(now)
    except DatabaseError as exc:  # a table not migrated yet, a field renamed by a later release
        health.notes.append(type(exc).__name__)
        return health
    waited = health.oldest_queued_seconds
    if health.stale_jobs or (waited is not None and waited > max_wait):
        health.worker = "stale"
    elif waited is None:
        health.worker = "idle"
    else:
        health.worker = "ok"
    return health
