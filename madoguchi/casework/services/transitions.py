"""The case state machine: the only way a case's status changes.

received → under review → correction requested ⇄ re-review → granted / not granted → queued for payment
→ paid / transfer failed → re-transfer → (queued again) → paid → closed.

Each change: sets the step's date (受付日, 審査日, 補正依頼日, 決定日, 支払日), writes a :class:`CaseEvent`
(date, actor, from, to, note) and an access-log row (CASE_TRANSITION) in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, CaseEvent, Settlement, Status
from madoguchi.casework.services.access import require_action
from madoguchi.core.errors import BusinessRuleError

S = Status


@dataclass(frozen=True)
class Step:
    source: tuple[str, ...]
    target: str
    action: str  # access.ACTION_TASKS key; "system" = payments' result (no user check)
    label: str


STEPS: dict[str, Step] = {
    "start_review": Step((S.RECEIVED,), S.UNDER_REVIEW, "review", "審査を開始"),
    "request_correction": Step((S.UNDER_REVIEW, S.RE_REVIEW), S.CORRECTION_REQUESTED, "review", "補正を依頼"),
    "resume_review": Step((S.CORRECTION_REQUESTED,), S.RE_REVIEW, "review", "補正を受けて再審査"),
    "grant": Step((S.UNDER_REVIEW, S.RE_REVIEW), S.GRANTED, "decide", "交付を決定"),
    "refuse": Step((S.UNDER_REVIEW, S.RE_REVIEW), S.NOT_GRANTED, "decide", "不交付を決定"),
    "queue_payment": Step((S.GRANTED, S.RETRANSFER), S.QUEUED, "decide", "支払に回す"),
    "mark_paid": Step((S.QUEUED, S.GRANTED, S.RETRANSFER, S.TRANSFER_FAILED), S.PAID, "system", "支払済み"),
    "mark_failed": Step((S.QUEUED, S.GRANTED, S.RETRANSFER, S.PAID), S.TRANSFER_FAILED, "system", "振込不能"),
    "retransfer": Step((S.TRANSFER_FAILED,), S.RETRANSFER, "account", "口座を訂正して再振込へ"),
    "close": Step((S.PAID, S.NOT_GRANTED), S.CLOSED, "decide", "完了にする"),
}


def allowed_steps(case: Case) -> list[str]:
    return [name for name, step in STEPS.items() if case.status in step.source and step.action != "system"]


# fields a step may set together with the status change
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "request_correction": ("correction_content",),
    "grant": ("granted_amount", "decision_reason"),
    "refuse": ("decision_reason",),
}


def transition(*, case: Case, step: str, actor: Actor, note: str = "", on: dt.date | None = None,
               system: bool = False, fields: dict[str, Any] | None = None) -> Case:
    """Move a case one step; refuses a step that does not start from the case's status."""
    spec = STEPS.get(step)
    if spec is None:
        raise BusinessRuleError(f"不明な操作です: {step}")
    program_code = case.program.code
    if spec.action == "system":
        if not system:
            require_action(actor, program_code, "decide")
    else:
        require_action(actor, program_code, spec.action)
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("program").get(pk=case.pk)
        if locked.status not in spec.source:
            raise BusinessRuleError(
                f"「{locked.get_status_display()}」の申請には「{spec.label}」を行えません。")
        for key, value in (fields or {}).items():
            if key not in STEP_FIELDS.get(step, ()):
                raise BusinessRuleError(f"「{spec.label}」では {key} を変更できません。")
            setattr(locked, key, value)
        _check_guards(locked, step)
        before = locked.status
        locked.status = spec.target
        locked.status_changed_at = timezone.now()
        _set_dates(locked, step, day, note)
        locked.save()
        CaseEvent.objects.create(case=locked, at=locked.status_changed_at, on=day, actor=actor.username,
                                 organisation=actor.organisation_code, from_status=before,
                                 to_status=spec.target, note=note or spec.label)
        record_access(actor=actor, action=AuditEvent.CASE_TRANSITION, target=f"case:{locked.pk}:{step}",
                      residents=[locked.resident_id] if locked.resident_id else [], program=program_code,
                      purpose=spec.label)
    case.refresh_from_db()
    return case


def _check_guards(case: Case, step: str) -> None:
    if step == "grant":
        open_candidates = case.duplicate_candidates.filter(settlement=Settlement.OPEN).count()
        if open_candidates:
            raise BusinessRuleError(
                f"未確認の重複候補が{open_candidates}件あります。重複の確認を済ませてから交付を決定してください。")
        if case.duplicate_candidates.filter(settlement=Settlement.DUPLICATE).exists():
            raise BusinessRuleError("重複と確認された申請には交付を決定できません（不交付としてください）。")
    if step == "grant":
        from madoguchi.casework.services.eligibility import grant_problems

        problems = grant_problems(case)
        if problems:
            raise BusinessRuleError("交付を決定できません: " + "／".join(problems))
    if step == "request_correction" and not case.correction_content.strip():
        raise BusinessRuleError("補正の内容を入力してください。")


def _set_dates(case: Case, step: str, day: dt.date, note: str) -> None:
    if step in ("start_review", "resume_review"):
        case.reviewed_on = day
    elif step == "request_correction":
        case.correction_requested_on = day
    elif step in ("grant", "refuse"):
        case.decided_on = day
        if step == "refuse":
            case.granted_amount = 0
            case.decision_reason = note or case.decision_reason
    elif step == "mark_paid":
        case.paid_on = day
        case.payment_note = note or "振込済み"
    elif step == "mark_failed":
        case.account_problem = note or "振込不能"
        case.payment_note = f"振込不能: {note}" if note else "振込不能"
    elif step == "retransfer":
        case.account_problem = ""
        case.payment_note = "口座訂正済み・再振込待ち"
