"""Paper hand-overs in the ledger (管理簿): application forms, sealed envelopes for inspection, finished mail.

Seeds 003 and 004 draw paper going between the ward and its contractors.  Such a hand-over is checked
against the approved registration like a data package (``register.policy.check_handover``: a declared
recipient, in its period, on the declared medium 紙, with declared items only) and written as a ledger row
with its date, handler, content and count; a return and the recipient's erasure (shredding) certificate
are then recorded on the row as for media.  Refusals name what is missing and are logged by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import BusinessRuleError
from madoguchi.handover.models import EntryKind, LedgerEntry
from madoguchi.handover.services.access import require_owner
from madoguchi.register.models import DataItem, Medium, Program
from madoguchi.register.policy import check_handover, policy_for


class PaperHandoverRejected(BusinessRuleError):
    """Bad input for a paper hand-over; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def record_paper_handover(*, program: Program, recipient: Organisation, handed_on: dt.date, content: str,
                          count: int, items: Sequence[str], actor: Actor, return_due: dt.date | None = None,
                          label: str = "") -> LedgerEntry:
    """Write one paper hand-over (紙) to the ledger.

    ``count`` is the number of sheets, forms or envelopes (件); ``items`` the catalogue keys the paper
    carries; ``return_due`` when the paper must come back (None: it does not, e.g. mail handed to the
    post).  Raises :class:`AccessRefused` when the actor does not own the program or the register does not
    declare the hand-over, and :class:`PaperHandoverRejected` (naming the field) for a future date, a count below 1, an empty
    content, or a return date before the hand-over.
    """
    require_owner(actor, program, action="handover.export")
    today = timezone.localdate()
    if handed_on > today:
        raise PaperHandoverRejected("handed_on", "受渡日に未来の日付は入力できません。")
    if count < 1:
        raise PaperHandoverRejected("count", "件数は1以上で入力してください。")
    if not content.strip():
        raise PaperHandoverRejected("content", "情報の内容を入力してください。")
    if return_due is not None and return_due < handed_on:
        raise PaperHandoverRejected("return_due", "返却期限は受渡日より後の日にしてください。")
    declared = check_handover(policy_for(actor, on=handed_on), program.code, recipient=recipient.code,
                              medium=Medium.PAPER, items=items)
    user = actor.user
    names = dict(DataItem.objects.values_list("key", "name"))  # the ledger shows item names, as for packages
    with transaction.atomic():
        entry = LedgerEntry.objects.create(
            kind=EntryKind.PAPER, handed_at=timezone.make_aware(dt.datetime.combine(handed_on, dt.time(9))),
            handler=user, handler_name=str(user) if user else "", program=program, program_code=program.code,
            recipient=recipient, recipient_name=recipient.name, content=content.strip()[:300],
            items=[names.get(k, k) for k in declared.items], record_count=count, medium=Medium.PAPER, medium_label=label.strip()[:100],
            sha256="", return_due=return_due)
        record_access(actor=actor, action=AuditEvent.HANDOVER_EXPORT, target=f"ledger:{entry.pk}",
                      program=program.code, purpose=f"紙の受渡し（{content.strip()[:40]}、{count}件）")
    return entry
