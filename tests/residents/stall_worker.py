"""The real worker (``madoguchi worker``), with the import's row check stalled after two rows have been
reported: the killed-worker test starts it as a subprocess, waits until the job is mid-way and kills it."""

from __future__ import annotations

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from madoguchi.residents.services import import_jobs  # noqa: E402

real_parse = import_jobs.parse_residents


def stalled_parse(data, progress=None, every=10_000, **kwargs):
    def report(n: int) -> None:
        progress(n)
        if n >= 2:
            time.sleep(3600)  # mid-job, until killed

    return real_parse(data, progress=report, every=1, **kwargs)


import_jobs.parse_residents = stalled_parse
call_command("worker", "--no-startup-delay", "--interval", "0.2")
