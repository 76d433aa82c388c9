"""The upload screen's import as a background job (django-tasks): store → job row → task → result.

``start_import`` stores the upload under ``MEDIA_ROOT/private/residents-imports/`` (never served), creates
an :class:`ImportJob` and enqueues :func:`madoguchi.residents.tasks.import_residents_job` after commit.
``run_import_job`` checks every row first (phase 読込中, with the rows read so far written to the job row),
then writes everything in one transaction (phase 書込中), then records the counts (完了) or every row error
(誤りあり, nothing imported).  The job row is updated outside the import's transaction so that a page polling
from another connection sees each phase.  The stored file is deleted when the job ends, whatever the end.
The command ``madoguchi import_residents`` keeps calling :func:`imports.import_residents` synchronously.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, ImportRejected
from madoguchi.core.idformat import SheetSigns
from madoguchi.residents.models import ImportJob
from madoguchi.residents.models import ImportJobStatus as S
from madoguchi.residents.services.imports import check_may_import, parse_residents, write_residents

PURPOSE = "住民記録の取込み"


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "residents-imports"


def _store(chunks: Iterable[bytes]) -> tuple[str, int]:
    """Write the upload (owner-only permissions); returns its name under upload_root() and its size."""
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.csv"
    size = 0
    fd = os.open(root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
            size += len(chunk)
    return name, size


def _remove(name: str) -> None:
    if name and "/" not in name and name != "..":
        (upload_root() / name).unlink(missing_ok=True)


def start_import(*, chunks: Iterable[bytes], filename: str, actor: Actor,
                 allow_same_person: bool = False) -> ImportJob:
    """Store an uploaded extract and queue its import; refuses actors who may not import.
    ``allow_same_person``: the uploader confirmed new rows identical to existing residents (imports.py)."""
    check_may_import(actor)
    if actor.user is None:
        raise AccessRefused("住民記録の取込みにはログインが必要です。", action=str(AuditEvent.RESIDENT_IMPORT))
    name, size = _store(chunks)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(filename=filename[:200], file_size=size, file_path=name,
                                           created_by=actor.user, address=actor.address[:100],
                                           allow_same_person=allow_same_person)
            from madoguchi.residents.tasks import import_residents_job

            job_id = job.pk
            transaction.on_commit(lambda: import_residents_job.enqueue(job_id))
    except BaseException:
        _remove(name)
        raise
    return job


def _update(job_id: int, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


def run_import_job(job_id: int) -> None:
    """Run one import job (a finished job is left as it is).  An unexpected error marks the job failed (so
    the page stops waiting) and is raised again for the task runner's log."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not job.active:
        return
    try:
        _run(job)
    except Exception as exc:
        _update(job.pk, status=S.FAILED, finished_at=timezone.now(),
                failure=f"予期しないエラーのため取り込めませんでした（{type(exc).__name__}）。何も変更していません。"
                        "システム管理者に連絡してください。")
        raise
    finally:
        _remove(job.file_path)
        _update(job.pk, file_path="")


def _run(job: ImportJob) -> None:
    actor = Actor(user=job.created_by, address=job.address or "task", channel="task", purpose=PURPOSE)
    _update(job.pk, status=S.READING, started_at=timezone.now(), rows_read=0)
    try:
        check_may_import(actor)  # the user may have lost the right since the upload
    except AccessRefused as exc:
        record_denied(actor=actor, action=AuditEvent.RESIDENT_IMPORT, reason=exc.reason,
                      target=f"住民記録の取込み {job.filename}"[:200])
        _update(job.pk, status=S.FAILED, failure=exc.reason, finished_at=timezone.now())
        return
    try:
        data = (upload_root() / job.file_path).read_bytes()
    except OSError:
        _update(job.pk, status=S.FAILED, finished_at=timezone.now(),
                failure="取り込むファイルが見つかりません。もう一度アップロードしてください。")
        return
    signs = SheetSigns()
    try:
        rows = parse_residents(data, progress=lambda n: _update(job.pk, rows_read=n),
                               allow_same_person=job.allow_same_person, signs=signs)
    except ImportRejected as exc:
        errors = [[e.line, e.column, e.reason] for e in exc.errors]
        _update(job.pk, status=S.REJECTED, error_count=len(errors), errors=errors, finished_at=timezone.now(),
                notes=signs.messages())
        return
    del data
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
