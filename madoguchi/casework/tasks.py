"""Background jobs of casework: thin wrappers over services, taking ids (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from madoguchi.casework.services.notices import run_job


@task()
def render_notice_job(job_id: int) -> None:
    run_job(job_id)
