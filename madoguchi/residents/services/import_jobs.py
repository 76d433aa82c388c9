"""The upload screen's import as a background job (core.jobs, ADR 0012): store → job row → worker → result.

``start_import`` stores the upload under ``MEDIA_ROOT/private/residents-imports/`` (never served; refused
beyond ``IMPORT_MAX_BYTES``), creates an :class:`ImportJob` and queues it after commit.  :func:`run` (the
job's runner, called by :func:`madoguchi.core.jobs.runner.run_job` once the row is claimed) checks every
row first (phase 読込中, with the rows read so far written to the job row as it goes), then writes
everything in one transaction (phase 書込中), then records the counts (完了) or every row error (誤りあり,
nothing imported).  The job row is updated outside the import's transaction so that a page polling from
another connection sees each phase.  The stored file is removed when the job ends, whatever the end
(``ImportJob.release``; the sweeper does it for a job whose worker died).
The command ``madoguchi import_residents`` keeps calling :func:`imports.import_residents` synchronously.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, ImportRejected
from madoguchi.core.idformat import SheetSigns
from madoguchi.core.jobs.runner import JobFailed, Progress, run_job
from madoguchi.core.jobs.tasks import enqueue
from madoguchi.residents.models import ImportJob
from madoguchi.residents.models import ImportJobStatus as S
from madoguchi.residents.services.imports import check_may_import, parse_residents, write_residents
from madoguchi.residents.uploads import remove_upload, store_upload, upload_root

PURPOSE = "住民記録の取込み"


def start_import(*, chunks: Iterable[bytes], filename: str, actor: Actor,
                 allow_same_person: bool = False) -> ImportJob:
    """Store an uploaded extract and queue its import; refuses actors who may not import.
    ``allow_same_person``: the uploader confirmed new rows identical to existing residents (imports.py)."""
    check_may_import(actor)
    if actor.user is None:
        raise AccessRefused("住民記録の取込みにはログインが必要です。", action=str(AuditEvent.RESIDENT_IMPORT))
    name, size = store_upload(chunks)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(filename=filename[:200], file_size=size, file_path=name,
                                           created_by=actor.user, address=actor.address[:100],
                                           allow_same_person=allow_same_person)
            enqueue(job)
    except BaseException:
        remove_upload(name)
        raise
    return job


def _update(job_id: int, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


def run_import_job(job_id: int) -> None:
    """Claim and run one import job now (a job that is not queued any more is left as it is).  An
    unexpected error marks the job failed with a fixed message and raises JobCrashed."""
    run_job(ImportJob, job_id)


def run(job: ImportJob, progress: Progress) -> None:
    """The runner of an :class:`ImportJob` (claimed: status 読込中).  Refusals, a missing file and row
    errors end the job here; nothing it stores quotes an exception's text."""
    actor = Actor(user=job.created_by, address=job.address or "task", channel="task", purpose=PURPOSE)
    try:
        check_may_import(actor)  # the user may have lost the right since the upload
    except AccessRefused as exc:
        record_denied(actor=actor, action=AuditEvent.RESIDENT_IMPORT, reason=exc.reason,
                      target=f"住民記録の取込み {job.filename}"[:200])
        raise JobFailed("refused", exc.reason) from None
    try:
        data = (upload_root() / job.file_path).read_bytes()
    except OSError:
        raise JobFailed("missing_file") from None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    _update(job.pk, rows_read=0, rows_total=max(0, lines - 1))  # N of the page's n / N (the header aside)
    read = [0]

    def report(n: int) -> None:
        read[0] = n
        progress.update(rows_read=n)

    signs = SheetSigns()
    try:
        rows = parse_residents(data, progress=report, allow_same_person=job.allow_same_person, signs=signs)
    except ImportRejected as exc:
        errors = [[e.line, e.column, e.reason] for e in exc.errors]
        progress.discard()
        _update(job.pk, status=S.REJECTED, failure_code="rejected", error_count=len(errors), errors=errors,
                rows_read=read[0], finished_at=timezone.now(), notes=signs.messages())
        return
    del data
    progress.discard()  # the counts below are final
    _update(job.pk, status=S.WRITING, rows_read=len(rows), notes=signs.messages())
    result = write_residents(rows, actor=actor, filename=job.filename)  # one transaction
    _update(job.pk, status=S.DONE, rows_written=result.rows, created=result.created, updated=result.updated,
            unchanged=result.unchanged, moved=result.moved, gaiji_residents=result.gaiji_residents,
            gaiji_unmapped=list(result.gaiji_unmapped), finished_at=timezone.now())


def job_for(*, actor: Actor, job_id: int) -> ImportJob:
    """A job of the actor's own; anyone else's is refused (the page shows file names and row errors)."""
    check_may_import(actor)
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or actor.user is None or job.created_by_id != actor.user.pk:
        raise AccessRefused("この取込みの結果を見る権限がありません（取り込んだ本人だけが見られます）。",
                            action=str(AuditEvent.RESIDENT_IMPORT))
    return job


def recent_jobs(*, actor: Actor, limit: int = 10) -> list[ImportJob]:
    if actor.user is None:
        return []
    return list(ImportJob.objects.filter(created_by=actor.user).defer("errors")[:limit])
