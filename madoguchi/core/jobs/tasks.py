"""The one background task: run a job row by its model label and id (django-tasks, database backend)."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task

from madoguchi.core.jobs.runner import run_job


@task()
def run_background_job(model_label: str, job_id: int) -> None:
    run_job(apps.get_model(model_label), job_id)
