from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.chain import CHAINED_FIELDS, GENESIS, row_digest
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog, ChainHead

_COLUMNS = (*CHAINED_FIELDS, "prev_hash", "row_hash")
_RESIDENTS = CHAINED_FIELDS.index("resident_ids")
_AT = CHAINED_FIELDS.index("at")


def _insert_sql(vendor: str) -> str:
    marks = ["%s"] * len(_COLUMNS)
    if vendor == "postgresql":
        marks[_RESIDENTS] = "%s::jsonb"
    return f"INSERT INTO {AccessLog._meta.db_table} ({', '.join(_COLUMNS)}) VALUES ({', '.join(marks)})"


def _lock_head(cursor: Any, vendor: str) -> tuple[int, str]:
    """Lock the chain head for the rest of the transaction and return (last id, last hash).

    PostgreSQL: ``SELECT … FOR UPDATE`` on the one head row; concurrent writers queue behind it.
    SQLite: the connection begins its transactions ``IMMEDIATE`` (settings), so the database is already
    write-locked.
    """
    select = f"SELECT last_id, last_hash FROM {ChainHead._meta.db_table} WHERE id = 1"
    if vendor == "postgresql":
        select += " FOR UPDATE"
    cursor.execute(select)
    head = cursor.fetchone()
    if head is None:
        ChainHead.objects.get_or_create(id=1, defaults={"last_id": 0, "last_hash": GENESIS})
        cursor.execute(select)
        head = cursor.fetchone()
    return int(head[0]), str(head[1])


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
    order, ids have no gaps, and each row carries the hash of the one before.  No savepoint is taken: if
    the row cannot be written the error propagates and the caller's whole transaction rolls back.  Three
    plain statements (lock head, insert, move head) without ORM query building: this runs on every request.
    """
    ids = sorted({int(r) for r in residents})
    user = actor.user
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        vendor = connection.vendor
        if vendor == "postgresql" and getattr(settings, "AUDIT_ASYNC_COMMIT", False):
            # Opt-in (ADR 0008): the commit does not wait for the WAL flush.  The row and the caller's changes
            # in the same transaction survive or are lost together; a crash can lose the last ~0.6 s of rows.
            cursor.execute("SET LOCAL synchronous_commit = off")
        last_id, last_hash = _lock_head(cursor, vendor)
        fields = {
            "id": last_id + 1,
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
            "program": program[:64],
            "purpose": (purpose or actor.purpose)[:200],
            "allowed": allowed,
            "reason": reason[:500],
            "break_glass": break_glass,
        }
        digest = row_digest(last_hash, fields)
        params: list[Any] = [fields[name] for name in CHAINED_FIELDS]
        params[_AT] = connection.ops.adapt_datetimefield_value(params[_AT])
        params[_RESIDENTS] = json.dumps(ids)
        move_head = f"UPDATE {ChainHead._meta.db_table} SET last_id = %s, last_hash = %s WHERE id = 1"
        if vendor == "postgresql":  # one round trip for both statements
            cursor.execute(f"WITH appended AS ({_insert_sql(vendor)} RETURNING id) {move_head}",
                           [*params, last_hash, digest, last_id + 1, digest])
        else:
            cursor.execute(_insert_sql(vendor), [*params, last_hash, digest])
            cursor.execute(move_head, [last_id + 1, digest])
    row = AccessLog(prev_hash=last_hash, row_hash=digest, **fields)
    row._state.adding = False
    row._state.db = connection.alias
    return row


def record_denied(*, actor: Actor, action: AuditEvent, reason: str, target: str = "", program: str = "",
                  residents: Iterable[int] = ()) -> AccessLog:
    """Log a refusal.  Call it outside any transaction that will roll back (the web layer does this when it
    catches :class:`madoguchi.core.errors.AccessRefused`), so that the refusal stays on record."""
    return record_access(actor=actor, action=action, target=target, program=program, residents=residents,
                         allowed=False, reason=reason)
