"""The one background task — run a job row by its model label and id (django-tasks, database backend) —
and :func:`enqueue`, which services call to queue their job rows (ADR 0012)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django_tasks import task

from madoguchi.core.jobs.models import BackgroundJob
from madoguchi.core.jobs.runner import run_job


@task()
def run_background_job(model_label: str, job_id: int) -> None:
    run_job(apps.get_model(model_label), job_id)


def enqueue(job: BackgroundJob) -> None:
    """Queue ``job`` for the worker once the current transaction commits (at once outside one)."""
    label, job_id = job._meta.label, job.pk
    transaction.on_commit(lambda: run_background_job.enqueue(label, job_id))
