"""Serve the demo: the background-task worker and the development server together.

The worker runs without the auto-reloader and in a process group of its own, so that stopping the demo
(Ctrl+C, or SIGTERM) stops every process that runs jobs; the development server does not reload either.
"""

import contextlib
import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "バックグラウンド処理のワーカーと開発用サーバーを起動します（デモ用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "madoguchi.cli", "worker", "--no-reload", "--interval", "1"],
                                  start_new_session=True)

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            _stop_group(worker)


def _stop_group(worker: "subprocess.Popen[bytes]") -> None:
    """SIGTERM the worker's process group (it finishes the job in hand), then SIGKILL what is left."""
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
