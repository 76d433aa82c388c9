"""Background jobs of the payments area: thin wrappers over services, taking ids (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from madoguchi.payments.services.batch_jobs import run_batch_job


@task()
def create_batch_job(job_id: int) -> None:
    run_batch_job(job_id)
