"""/healthz: the database and the worker, without login, without residents' data, not in the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def _queued(minutes_ago: int) -> DBTaskResult:
    row = DBTaskResult.objects.create(task_path="madoguchi.tasks.example", args_kwargs={"args": [], "kwargs": {}},
                                      backend_name="default", queue_name="default", run_after=timezone.now(),
                                      priority=0)
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return row


def test_healthy_without_login_and_not_logged(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "idle", "oldest_queued_seconds": None,
                               "stale_jobs": 0, "notes": []}
    assert "no-store" in response["Cache-Control"] and not AccessLog.objects.exists()


def test_a_fresh_queue_is_ok_and_a_stuck_queue_fails(client):
    _queued(minutes_ago=1)
    body = client.get("/healthz").json()
    assert body["worker"] == "ok" and 50 <= body["oldest_queued_seconds"] <= 120
    _queued(minutes_ago=30)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"] == "stale"


def test_database_down_answers_503(client, monkeypatch):
    monkeypatch.setattr("madoguchi.core.health.check_database", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "fail"
