"""問合せ対応履歴: calls, visits and mails about a case or a resident.

Logging needs the ``inquiry`` action (the department, or a contractor declared for inquiries — the call
center); a resident must be one the actor sees in the program through the access policy.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, Channel, Inquiry
from madoguchi.casework.services.access import require_action
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Program


def log_inquiry(*, actor: Actor, program: Program, caller: str, question: str, answer: str = "",
                channel: str = Channel.PHONE, case: Case | None = None, resident_id: int | None = None,
                at: dt.datetime | None = None) -> Inquiry:
    require_action(actor, program.code, "inquiry")
    if not caller.strip() or not question.strip():
        raise BusinessRuleError("問合せ者と問合せ内容を入力してください。")
    if channel not in Channel.values:
        raise BusinessRuleError("受付方法が正しくありません。")
    if case is not None and case.program_id != program.pk:
        raise BusinessRuleError("別の事業の申請です。")
    if resident_id is not None:
        if case is not None and case.resident_id and case.resident_id != resident_id:
            raise BusinessRuleError("申請と住民が一致しません。")
        _require_resident(actor, program, resident_id)
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            program=program, case=case, resident_id=resident_id or (case.resident_id if case else None),
            at=at or timezone.now(), channel=channel, caller=caller.strip(), question=question.strip(),
            answer=answer.strip(), responder=str(actor.user or actor.username), organisation=actor.organisation_code)
        rid = inquiry.resident_id
        record_access(actor=actor, action=AuditEvent.INQUIRY_LOG, target=f"inquiry:{inquiry.pk}",
                      residents=[rid] if rid else [], program=program.code, purpose="問合せ対応の記録")
    return inquiry


def _require_resident(actor: Actor, program: Program, resident_id: int) -> None:
    """The resident must be one the actor may see in this program (a participant, through the policy)."""
    from madoguchi.register.policy import resident_queryset

    if not resident_queryset(actor, program_code=program.code).filter(pk=resident_id).exists():
        raise AccessRefused("この住民の問合せを記録する権限がありません（この事業の対象者ではありません）。",
                            program=program.code, action="inquiry", target=f"resident:{resident_id}")
