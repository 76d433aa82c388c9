"""The background worker: django-tasks' database worker, never under the auto-reloader, with the sweeper.

On start it sweeps once (jobs left by a worker that died are resumed or failed), then every
``JOB_SWEEP_SECONDS`` (default 60) in a thread; jobs it runs write a heartbeat from a thread of their own
(ADR 0012).  ``madoguchi db_worker`` still exists but reloads under DEBUG and does not sweep: use this.
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from madoguchi.core.jobs import runner
from madoguchi.core.jobs.sweeper import sweep

logger = logging.getLogger("madoguchi.jobs")


def _sweep_once() -> None:
    try:
        result = sweep()
        if result.resumed or result.failed:
            logger.warning("sweep_jobs: %s", result)
    except DatabaseError as exc:  # e.g. SQLite busy: the next round tries again
        logger.warning("sweep_jobs: not done (%s)", type(exc).__name__)


def _sweep_periodically(stop: threading.Event, every: float) -> None:
    try:
        while not stop.wait(every):
            _sweep_once()
    finally:
        connections.close_all()


class Command(DbWorkerCommand):
    help = ("バックグラウンド処理のワーカーです（自動再読込みなし）。起動時と定期的に、止まった処理を"
            "確認します（sweep_jobs）。")

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument("--sweep-seconds", type=float,
                            default=float(getattr(settings, "JOB_SWEEP_SECONDS", 60)),
                            help="止まった処理を確認する間隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("reload"):
            self.stderr.write("--reload は使えません（止めたときに処理中の子プロセスが残るため）。無視します。")
        options["reload"] = False
        runner.heartbeat_in_thread = True
        _sweep_once()
        stop = threading.Event()
        every = options.pop("sweep_seconds")
        thread = threading.Thread(target=_sweep_periodically, args=(stop, every), name="sweep-jobs", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
