"""One background-job mechanism for every job row (ADR 0012).

- :class:`BackgroundJob` — the abstract row (models.py);
- :func:`enqueue`, :func:`run_job`, :class:`Progress`, :class:`JobFailed` — running (runner.py);
- :func:`sweep` — jobs whose worker died (sweeper.py);
- the one django-tasks task (tasks.py), imported only by :func:`enqueue`.
"""

from madoguchi.core.jobs.models import FAILURE_CODES, BackgroundJob

__all__ = ["FAILURE_CODES", "BackgroundJob"]
