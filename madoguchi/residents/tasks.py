"""Background jobs of the residents area: thin wrappers over services, taking ids (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from madoguchi.residents.services.import_jobs import run_import_job


@task()
def import_residents_job(job_id: int) -> None:
    run_import_job(job_id)
