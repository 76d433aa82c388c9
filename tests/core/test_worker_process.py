"""The worker in dev mode (``serve_demo`` under DEBUG): no auto-reloader child, and stopping the demo leaves
no process that runs jobs.  Runs on PostgreSQL (the subprocesses connect to the test database)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="別プロセスは PostgreSQL の試験用データベースに接続します（SQLite の試験用DBはメモリ上）"),
    pytest.mark.django_db(transaction=True),
]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate, seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_stopping_the_demo_leaves_no_worker_running(tmp_path) -> None:
    # given the demo started in dev mode (DEBUG on, where the stock worker would run under the reloader)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": _database_url(), "MADOGUCHI_DEBUG": "1",
           "MADOGUCHI_MEDIA_ROOT": str(tmp_path), "MADOGUCHI_TASK_BACKEND": "django_tasks_db.DatabaseBackend"}
    demo = subprocess.Popen([sys.executable, "-m", "madoguchi.cli", "serve_demo", f"127.0.0.1:{port}"], env=env,
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: bool(_children(demo.pid))), "the worker did not start"
        worker = _children(demo.pid)[0]

        def serving() -> bool:
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0
        assert _wait(serving), "the server did not start"
        # then the worker runs jobs itself: no reloader child under it
        assert _alive(worker) and _children(worker) == []
        # when the demo is stopped
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    # then the worker is gone too
    assert _wait(lambda: not _alive(worker), seconds=30)
