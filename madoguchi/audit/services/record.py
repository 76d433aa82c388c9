from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.chain import GENESIS, row_digest
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog, ChainHead


def record_access(
    *,
    actor: Actor,
    action: AuditEvent,
    residents: Iterable[int] = (),
    target: str = "",
    program: str = "",
    purpose: str = "",
    allowed: bool = True,
    reason: str = "",
    break_glass: bool = False,
    resident_count: int | None = None,
) -> AccessLog:
    """Append one row to the chain.  Raises if it cannot be written; the caller's data must then not be shown.

    The chain head is locked for the duration of the surrounding transaction, so rows are appended in
    order and each one carries the hash of the one before.
    """
    ids = sorted({int(r) for r in residents})
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1, defaults={"last_hash": GENESIS})
        user = actor.user
        fields = {
            "id": head.last_id + 1,
            "at": datetime.now(UTC),
            "user_id_ref": user.pk if user else None,
            "username": actor.username,
            "role": actor.role,
            "organisation": actor.organisation_code,
            "address": actor.address[:64],
            "channel": actor.channel,
            "action": str(action),
            "target": target[:200],
            "resident_ids": ids,
            "resident_count": resident_count if resident_count is not None else len(ids),
            "program": program,
            "purpose": (purpose or actor.purpose)[:200],
            "allowed": allowed,
            "reason": reason[:500],
            "break_glass": break_glass,
        }
        digest = row_digest(head.last_hash, fields)
        row = AccessLog.objects.create(prev_hash=head.last_hash, row_hash=digest, **fields)
        head.last_id = row.id
        head.last_hash = digest
        head.save(update_fields=["last_id", "last_hash"])
    return row


def record_denied(*, actor: Actor, action: AuditEvent, reason: str, target: str = "", program: str = "",
                  residents: Iterable[int] = ()) -> AccessLog:
    """Log a refusal.  Call it outside any transaction that will roll back (the web layer does this when it
    catches :class:`madoguchi.core.errors.AccessRefused`), so that the refusal stays on record."""
    return record_access(actor=actor, action=action, target=target, program=program, residents=residents,
                         allowed=False, reason=reason)
