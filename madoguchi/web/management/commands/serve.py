"""``madoguchi serve [ADDR:PORT]``: the production web server (gunicorn) and the background worker together.

Used by ``make demo`` and ``make serve``.  In production the ward runs the two as separate services
(docs/operations.md); this command is for one machine.  Static files are served by whitenoise.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandParser


def worker_command() -> list[str]:
    """The background worker's command line (``worker`` when the job engine has it, else ``db_worker``)."""
    name = "worker" if "worker" in get_commands() else "db_worker"
    extra = ["--interval", "1"] if name == "db_worker" else []
    return [sys.executable, "-m", "madoguchi.cli", name, *extra]


class Command(BaseCommand):
    help = "本番用の Web サーバー（gunicorn）とバックグラウンド処理のワーカーを起動します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="待ち受けるアドレスとポート")
        parser.add_argument("--workers", type=int, default=None, help="Web のワーカー数（既定は CPU 数から）")
        parser.add_argument("--no-worker", action="store_true", help="バックグラウンド処理のワーカーを起動しない")

    def handle(self, *args: Any, **options: Any) -> None:
        env = dict(os.environ, MADOGUCHI_BIND=options["addrport"])
        if options["workers"]:
            env["MADOGUCHI_WEB_WORKERS"] = str(options["workers"])
        worker = None if options["no_worker"] else subprocess.Popen(worker_command(), env=env)
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:madoguchi.gunicorn_conf",
                                "madoguchi.wsgi:application"], env=env)
        self.stdout.write(f"http://{options['addrport']}/ で起動しました（終了は Ctrl+C）。")

        def stop(signum: int, _frame: object) -> None:
            web.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            web.wait()
        except KeyboardInterrupt:
            web.send_signal(signal.SIGTERM)
            web.wait(timeout=30)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
