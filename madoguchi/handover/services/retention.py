"""Retention and erasure: the rules from each program's approved registration, and erasure runs.

dry run (:func:`plan_erasure`, changes no residents' data) → approval by another authorised person
(:func:`approve_erasure`) → execution (:func:`execute_erasure`): the :class:`ErasureRecord` is written
first, then every registered eraser runs, in one transaction; the erasure certificate PDF is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import BusinessRuleError
from madoguchi.handover import storage
from madoguchi.handover.erasers import ErasureTarget, erasers, plan
from madoguchi.handover.models import ErasureRecord, ErasureRun, ErasureScope, ErasureStatus
from madoguchi.handover.services.access import require_erasure_approver, require_erasure_planner
from madoguchi.handover.services.packing import sha256
from madoguchi.register.models import Participation, Program, Revision
from madoguchi.residents.models import Resident

METHOD = "データベースからの削除（論理削除ではなく行の削除。受渡データの控えはゼロで上書きしたうえで削除）"


@dataclass(frozen=True)
class RetentionRule:
    program: Program
    revision: Revision
    retention_years: int | None
    end_date: dt.date | None
    erase_after: dt.date | None
    erase_on_withdrawal: bool
    note: str
    last_record: ErasureRecord | None

    def due(self, today: dt.date) -> bool:
        return self.erase_after is not None and today >= self.erase_after

    @property
    def rule_text(self) -> str:
        parts = []
        if self.retention_years is not None:
            end = self.end_date.isoformat() if self.end_date else "（事業終了日未定）"
            parts.append(f"事業終了（{end}）後 {self.retention_years} 年")
        if self.erase_on_withdrawal:
            parts.append("参加者の退会時に消去")
        if self.note:
            parts.append(self.note)
        return "／".join(parts) or "定めなし"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def rule_for(program: Program) -> RetentionRule | None:
    revision = program.approved_revision()
    if revision is None:
        return None
    erase_after = None
    if revision.retention_years is not None and revision.end_date is not None:
        erase_after = add_years(revision.end_date, revision.retention_years) + dt.timedelta(days=1)
    last = ErasureRecord.objects.filter(program_code=program.code, scope=ErasureScope.PROGRAM).first()
    return RetentionRule(program, revision, revision.retention_years, revision.end_date, erase_after,
                         revision.erase_on_withdrawal, revision.retention_note, last)


def retention_rules(programs: list[Program]) -> list[RetentionRule]:
    return [rule for rule in (rule_for(p) for p in programs) if rule is not None]


def _target(program: Program, scope: str, resident: Resident | None) -> ErasureTarget:
    rule = rule_for(program)
    if rule is None:
        raise BusinessRuleError("承認された登録がないため、保存期間を判断できません。")
    today = timezone.localdate()
    if scope == ErasureScope.PROGRAM:
        if rule.erase_after is None:
            raise BusinessRuleError("登録に保存年限（事業終了後の年数）または事業終了日がありません。")
        if not rule.due(today):
            raise BusinessRuleError(f"保存期間中です（{rule.erase_after} 以降に消去できます）。")
        return ErasureTarget(program)
    if scope == ErasureScope.PARTICIPANT:
        if not rule.erase_on_withdrawal:
            raise BusinessRuleError("この事業の登録には「参加者の退会時に消去」の定めがありません。")
        if resident is None:
            raise BusinessRuleError("退会した参加者を指定してください。")
        return ErasureTarget(program, resident.pk)
    raise BusinessRuleError(f"消去の範囲「{scope}」は不明です。")


def plan_erasure(*, program: Program, scope: str, reason: str, actor: Actor,
                 resident: Resident | None = None) -> ErasureRun:
    """Dry run: count what would be erased, per kind.  Changes no residents' data."""
    require_erasure_planner(actor, program)
    if not reason.strip():
        raise BusinessRuleError("消去の理由を入力してください。")
    target = _target(program, scope, resident)
    if target.resident_id is not None and not Participation.objects.filter(
            program=program, resident_id=target.resident_id).exists():
        raise BusinessRuleError("指定した住民はこの事業の参加者ではありません（消去するデータがありません）。")
    counts = plan(target)
    assert actor.user is not None
    with transaction.atomic():
        run = ErasureRun.objects.create(program=program, scope=scope, resident_ref=target.resident_id,
                                        reason=reason.strip(), planned=counts, requested_by=actor.user)
        record_access(actor=actor, action=AuditEvent.ERASURE_DRY_RUN, target=f"erasure:{run.pk}",
                      program=program.code, residents=[target.resident_id] if target.resident_id else [],
                      reason="; ".join(f"{c['label']} {c['count']}件" for c in counts))
    return run


def approve_erasure(*, run: ErasureRun, actor: Actor, note: str = "", approve: bool = True) -> ErasureRun:
    require_erasure_approver(actor, run)
    if run.status != ErasureStatus.DRY_RUN:
        raise BusinessRuleError(f"この消去は承認できる状態ではありません（{run.get_status_display()}）。")
    with transaction.atomic():
        run.status = ErasureStatus.APPROVED if approve else ErasureStatus.REJECTED
        run.decided_by = actor.user
        run.decided_at = timezone.now()
        run.decision_note = note.strip()[:300]
        run.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record_access(actor=actor, action=AuditEvent.ERASURE_APPROVE, target=f"erasure:{run.pk}",
                      program=run.program.code, allowed=True,
                      reason=("承認" if approve else "却下") + (f": {run.decision_note}" if run.decision_note else ""))
    return run


def _certificate_no(run: ErasureRun) -> str:
    return f"ER-{timezone.localdate():%Y%m%d}-{run.pk:05d}"


def execute_erasure(*, run: ErasureRun, actor: Actor) -> ErasureRecord:
    """Erase for an approved run.  The erasure record is written first, in the same transaction."""
    from madoguchi.handover.services.documents import render_erasure_certificate

    require_erasure_planner(actor, run.program)
    if run.status != ErasureStatus.APPROVED:
        raise BusinessRuleError(f"承認されていない消去は実行できません（{run.get_status_display()}）。")
    resident = Resident.objects.filter(pk=run.resident_ref).first() if run.resident_ref else None
    target = _target(run.program, run.scope, resident)
    assert actor.user is not None and run.decided_by is not None
    with transaction.atomic():
        locked = ErasureRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ErasureStatus.APPROVED:
            raise BusinessRuleError("この消去は既に実行されました。")
        counts = plan(target)
        record = ErasureRecord.objects.create(
            run=run, program_code=run.program.code, program_name=run.program.name, scope=run.scope,
            counts=counts, reason=run.reason, method=METHOD, requested_by_name=str(run.requested_by),
            approved_by_name=str(run.decided_by), executed_by=actor.user, executed_by_name=str(actor.user),
            started_at=timezone.now(), certificate_no=_certificate_no(run),
        )
        done = []
        for eraser in erasers(target.program.program_type):
            done.append({"kind": eraser.kind, "label": eraser.label, "count": eraser.erase(target)})
        record.counts = done
        record.finished_at = timezone.now()
        pdf = render_erasure_certificate(record)
        record.certificate_path = storage.write("erasure", f"{record.certificate_no}.pdf", pdf)
        record.certificate_sha256 = sha256(pdf)
        record.save()
        run.status = ErasureStatus.EXECUTED
        run.save(update_fields=["status"])
        record_access(actor=actor, action=AuditEvent.ERASURE_EXECUTE, target=f"erasure:{run.pk}",
                      program=run.program.code, residents=[target.resident_id] if target.resident_id else [],
                      reason=f"{record.certificate_no}: " + "; ".join(f"{c['label']} {c['count']}件" for c in done))
    return record


def erasure_certificate(*, record: ErasureRecord, actor: Actor) -> bytes:
    require_erasure_planner(actor, record.run.program)
    return storage.read(record.certificate_path)
