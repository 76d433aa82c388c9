"""Background jobs of the hand-over area: thin wrappers over services, taking ids (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from madoguchi.handover.services.packages import run_package_job


@task()
def build_package(job_id: int) -> None:
    run_package_job(job_id)
