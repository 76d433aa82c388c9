"""Batch creation from the payments screen as a background job (django-tasks).

``request_batch`` checks what is cheap at once (the right to operate, a payment profile, the transfer date:
a holiday answers with the next business day on the form), creates a :class:`BatchJob` and queues it after commit (core.jobs, ADR 0012).  :func:`run`, the job's runner
once the row is claimed, calls
:func:`batches.create_batch` unchanged — one transaction under the program's row lock — and records the
outcome on the job row outside it: 完了 (the batch, with any payables left out), 誤りあり (every problem;
nothing created) or 失敗.  The command ``madoguchi payment_batch create`` stays synchronous.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access, record_denied
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.core.jobs.runner import JobFailed, Progress, run_job
from madoguchi.core.jobs.tasks import enqueue
from madoguchi.payments.models import BatchJob, PaymentProfile
from madoguchi.payments.models import BatchJobStatus as S
from madoguchi.payments.services import access
from madoguchi.payments.services.batches import (
    ItemProblem,
    PayablesRejected,
    check_transfer_date,
    create_batch,
)
from madoguchi.register.models import Program

PURPOSE = "支払事務"


def request_batch(*, program: Program, transfer_date: dt.date, skip_invalid: bool, actor: Actor) -> BatchJob:
    """Queue the creation of a draft batch; raises NotBusinessDay/BusinessRuleError for what is known now."""
    access.require_operate(actor, program.code)
    if actor.user is None:
        raise AccessRefused("支払バッチの作成にはログインが必要です。", program=program.code, action="payment")
    check_transfer_date(transfer_date)
    if not PaymentProfile.objects.filter(program=program).exists():
        raise BusinessRuleError(f"事業「{program.name}」の振込依頼人（委託者コード・口座）が設定されていません。")
    with transaction.atomic():
        if BatchJob.objects.filter(program=program, status__in=BatchJob.ACTIVE).exists():
            raise BusinessRuleError("この事業の支払バッチを作成しているところです。終わってから、もう一度作成してください。")
        job = BatchJob.objects.create(program=program, transfer_date=transfer_date, skip_invalid=skip_invalid,
                                      requested_by=actor.user, address=actor.address[:100])
        enqueue(job)
    return job


def _update(job_id: int, **fields: Any) -> None:
    BatchJob.objects.filter(pk=job_id).update(**fields)


def _safe(problems: list[ItemProblem]) -> list[str]:
    """Problems as stored on the job row: the payable's reference and the reason, not the payee's name
    (a job row holds no residents' data; staff find the payee from the reference)."""
    return [f"{p.source_ref}: {p.reason}" for p in problems]


def run_batch_job(job_id: int) -> None:
    """Claim and run one creation job now (a job that is not queued any more is left as it is).  An
    unexpected error marks the job failed with a fixed message and raises JobCrashed."""
    run_job(BatchJob, job_id)


def run(job: BatchJob, progress: Progress) -> None:
    """The runner of a :class:`BatchJob` (claimed: status 作成中)."""
    actor = Actor(user=job.requested_by, address=job.address or "task", channel="task", purpose=PURPOSE)
    try:
        access.require_operate(actor, job.program.code)  # the user may have lost the right since the request
    except AccessRefused as exc:
        record_denied(actor=actor, action=AuditEvent.PAYMENT_BATCH, reason=exc.reason,
                      target=f"payment_job:{job.pk}", program=job.program.code)
        raise JobFailed("refused", exc.reason) from None
    try:
        result = create_batch(program=job.program, transfer_date=job.transfer_date, actor=actor,
                              skip_invalid=job.skip_invalid)
    except PayablesRejected as exc:
        _update(job.pk, status=S.REJECTED, failure_code="rejected", problems=_safe(exc.problems),
                problem_count=len(exc.problems), finished_at=timezone.now())
        return
    except BusinessRuleError as exc:  # a date that became a holiday or past, nothing to pay, a conflict
        raise JobFailed("rule", str(exc)) from None
    batch = result.batch
    _update(job.pk, status=S.DONE, batch=batch, item_count=batch.item_count, total_amount=batch.total_amount,
            problems=_safe(result.skipped), problem_count=len(result.skipped),
            finished_at=timezone.now())


def job_for(*, actor: Actor, job_id: int) -> BatchJob:
    """A job the actor requested, while they may still operate its program; others are refused."""
    job = BatchJob.objects.select_related("program", "batch").filter(pk=job_id).first()
    if job is None or actor.user is None or job.requested_by_id != actor.user.pk:
        raise AccessRefused("この支払バッチの作成依頼を見る権限がありません（依頼した本人だけが見られます）。",
                            action="payment")
    access.require_operate(actor, job.program.code)
    return job


def record_problems_shown(*, actor: Actor, job: BatchJob) -> None:
    """The page lists payees of problem payables: the showing is written to the access log."""
    if job.problem_count:
        record_access(actor=actor, action=AuditEvent.PAYMENT_VIEW, target=f"payment_job:{job.pk}",
                      program=job.program.code, purpose="支払バッチ作成で誤りのあった支払の確認")


def recent_jobs(*, actor: Actor, limit: int = 5) -> list[BatchJob]:
    if actor.user is None:
        return []
    return list(BatchJob.objects.filter(requested_by=actor.user).select_related("program", "batch")
                .defer("problems")[:limit])
