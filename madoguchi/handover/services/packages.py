"""Export packages: request (checked against the register) → job (CSV, encrypted ZIP) → ledger row.

The package and its password notice are two downloads; the ZIP never holds the password.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access, record_denied
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.core.jobs.runner import JobFailed, Progress, run_job
from madoguchi.core.jobs.tasks import enqueue
from madoguchi.handover import storage
from madoguchi.handover.datasets import dataset_for
from madoguchi.handover.models import EntryKind, JobStatus, LedgerEntry, PackageJob
from madoguchi.handover.services.declared import check_declared
from madoguchi.handover.services.packing import (
    ENCODINGS,
    encode_csv,
    encrypted_zip,
    generate_password,
    sha256,
)
from madoguchi.register.models import DataItem, Medium, Program, Task


def request_package(*, program: Program, recipient: Organisation, task: str, medium: str, items: Sequence[str],
                    purpose: str, medium_label: str = "", encoding: str = "cp932",
                    replace_unencodable: bool = False, actor: Actor, run_now: bool = False) -> PackageJob:
    """Check the hand-over against the approved register and queue the package job.

    Refuses with :class:`AccessRefused` (an undeclared recipient, task, medium or item); the web layer logs
    the refusal.  The job runs after commit through django-tasks (or at once with ``run_now``).
    """
    declared = check_declared(actor=actor, program=program, recipient=recipient, task=task, medium=medium,
                              items=items)
    provider = dataset_for(program)
    unsupported = [k for k in declared.items if k not in provider.items]
    if unsupported:
        raise BusinessRuleError(
            f"この事業のデータ（{provider.label}）からは次の項目を出力できません: {'、'.join(unsupported)}")
    if encoding not in ENCODINGS:
        raise BusinessRuleError(f"文字コード「{encoding}」には対応していません。")
    if not purpose.strip():
        raise BusinessRuleError("情報の内容（何のためのデータか）を入力してください。")
    assert actor.user is not None
    with transaction.atomic():
        job = PackageJob.objects.create(
            program=program, outsourcing=declared.outsourcing, recipient=recipient, task=task, medium=medium,
            medium_label=medium_label.strip(), items=list(declared.items), encoding=encoding,
            replace_unencodable=replace_unencodable, purpose=purpose.strip(), requested_by=actor.user,
        )
        if not run_now:
            enqueue(job)
    if run_now:
        run_package_job(job.pk)
        job.refresh_from_db()
    return job


def run_package_job(job_id: int) -> None:
    """Claim and build one package now (a job that is not queued any more is left as it is).  An
    unexpected error marks the job failed with a fixed message and raises JobCrashed."""
    run_job(PackageJob, job_id)


def run(job: PackageJob, progress: Progress) -> None:
    """The runner of a :class:`PackageJob` (claimed: status 作成中)."""
    job = PackageJob.objects.select_related("program", "recipient", "requested_by").get(pk=job.pk)
    _build(job, progress)


def _build(job: PackageJob, progress: Progress) -> None:
    actor = Actor(user=job.requested_by, address="task", channel="task", purpose=job.purpose)
    try:
        declared = check_declared(actor=actor, program=job.program, recipient=job.recipient, task=job.task,
                                  medium=job.medium, items=job.items)
    except AccessRefused as exc:
        record_denied(actor=actor, action=AuditEvent.HANDOVER_EXPORT, reason=exc.reason,
                      target=f"package:{job.pk}", program=job.program.code)
        raise JobFailed("refused", exc.reason) from None
    provider = dataset_for(job.program)
    job.progress_total = provider.count(job.program, declared.revision)
    PackageJob.objects.filter(pk=job.pk).update(progress_done=0, progress_total=job.progress_total)

    names = dict(DataItem.objects.filter(key__in=job.items).values_list("key", "name"))
    header = [names.get(k, k) for k in job.items]
    try:
        encoded = encode_csv(header, job.items, provider.rows(job.program, declared.revision, tuple(job.items)),
                             encoding=job.encoding, replace_unencodable=job.replace_unencodable,
                             progress=lambda done: progress.update(progress_done=done))
    except BusinessRuleError as exc:  # a character the encoding cannot hold: names the line and column
        raise JobFailed("rule", str(exc)) from None
    progress.discard()
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    inner = f"{job.program.code}_{job.task}_{stamp}.csv"
    password = generate_password()
    data = encrypted_zip({inner: encoded.data}, password)
    file_name = f"{job.program.code}_{job.recipient.code}_{stamp}.zip"
    relative = storage.write("packages", file_name, data)
    digest = sha256(data)
    with transaction.atomic():
        job.status = JobStatus.DONE
        job.progress_done = encoded.rows
        job.progress_total = encoded.rows
        job.replaced_count = encoded.replaced
        job.file_path = relative
        job.file_name = file_name
        job.sha256 = digest
        job.password = password
        job.finished_at = timezone.now()
        job.save()
        content = job.purpose
        if encoded.replaced:
            content += f"（外字 {encoded.replaced} 欄を〓に置換）"
        if encoded.gaiji_mapped:
            content += f"（外字 {encoded.gaiji_mapped} 字を外字対応表の文字で出力）"
        if encoded.selectors_dropped:
            content += f"（異体字セレクタ {encoded.selectors_dropped} 字を除いて出力）"
        LedgerEntry.objects.create(
            kind=EntryKind.PACKAGE, handed_at=job.finished_at, handler=job.requested_by,
            handler_name=str(job.requested_by), program=job.program, program_code=job.program.code,
            recipient=job.recipient, recipient_name=job.recipient.name, content=content[:300],
            items=[names.get(k, k) for k in job.items], record_count=encoded.rows, medium=job.medium,
            medium_label=job.medium_label, file_name=file_name, sha256=digest, package=job,
            source_ref=f"package:{job.pk}", return_due=declared.return_due,
        )
        record_access(actor=actor, action=AuditEvent.HANDOVER_EXPORT, residents=encoded.resident_ids,
                      resident_count=encoded.rows, target=f"package:{job.pk}", program=job.program.code,
                      purpose=job.purpose, reason=f"受渡先 {job.recipient.code} 媒体 {job.medium} 項目 "
                                                  + ",".join(job.items))


def require_job_owner(actor: Actor, job: PackageJob) -> None:
    from madoguchi.handover.services.access import require_owner

    require_owner(actor, job.program, action="handover.package")


def open_package(*, job: PackageJob, actor: Actor) -> bytes:
    """The encrypted ZIP, for download (logged)."""
    require_job_owner(actor, job)
    if job.status != JobStatus.DONE or not job.file_path:
        raise BusinessRuleError("この受渡データはダウンロードできません（作成中・失敗・消去済み）。")
    data = storage.read(job.file_path)
    with transaction.atomic():
        PackageJob.objects.filter(pk=job.pk).update(package_downloaded_at=timezone.now())
        # the file leaves madoguchi now: name the residents it carries (from the row written when it was made),
        # so that an auditor filtering the log by a resident finds the download too
        made = (AccessLog.objects.filter(action=AuditEvent.HANDOVER_EXPORT, target=f"package:{job.pk}")
                .values_list("resident_ids", flat=True).first())
        record_access(actor=actor, action=AuditEvent.HANDOVER_EXPORT, target=f"package:{job.pk}:download",
                      program=job.program.code, residents=made or (),
                      resident_count=len(made) if made else job.progress_total,
                      reason=f"SHA-256 {job.sha256}")
    return data


def password_notice(*, job: PackageJob, actor: Actor) -> bytes:
    """The password notice PDF (a separate download from the package)."""
    from madoguchi.handover.services.documents import render_password_notice

    require_job_owner(actor, job)
    if job.status != JobStatus.DONE or not job.password:
        raise BusinessRuleError("この受渡データのパスワード通知書は出力できません（作成中・失敗・消去済み）。")
    pdf = render_password_notice(job)
    with transaction.atomic():
        PackageJob.objects.filter(pk=job.pk).update(notice_downloaded_at=timezone.now())
        record_access(actor=actor, action=AuditEvent.HANDOVER_EXPORT, target=f"package:{job.pk}:password-notice",
                      program=job.program.code, reason="パスワード通知書")
    return pdf


def last_encoding_for(recipient: Organisation) -> str:
    job = PackageJob.objects.filter(recipient=recipient).order_by("-created_at").first()
    return job.encoding if job else "cp932"


def task_label(task: str) -> str:
    return str(dict(Task.choices).get(task, task))


def medium_label(medium: str) -> str:
    return str(dict(Medium.choices).get(medium, medium))
