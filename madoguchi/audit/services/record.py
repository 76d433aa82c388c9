from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.chain import CHAINED_FIELDS, GENESIS, KEYED_FIELDS, row_digest
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.keys import current_key
from madoguchi.audit.models import AccessLog, ChainHead

_COLUMNS = (*KEYED_FIELDS, "key_id", "prev_hash", "row_hash")
_RESIDENTS = CHAINED_FIELDS.index("resident_ids")
_AT = CHAINED_FIELDS.index("at")
_HEAD = ChainHead._meta.db_table
_LOG = AccessLog._meta.db_table


def _insert_sql(vendor: str) -> str:
    marks = ["%s"] * len(_COLUMNS)
    if vendor == "postgresql":
        marks[_RESIDENTS] = "%s::jsonb"
    return f"INSERT INTO {_LOG} ({', '.join(_COLUMNS)}) VALUES ({', '.join(marks)})"


def chain_count(vendor: str) -> int:
    """How many chains writers spread over: ``AUDIT_CHAINS`` on PostgreSQL, 1 on SQLite (one writer at a time)."""
    return max(1, int(getattr(settings, "AUDIT_CHAINS", 1))) if vendor == "postgresql" else 1


def _create_heads(cursor: Any, vendor: str, chains: int) -> None:
    for chain in range(1, chains + 1):
        if vendor == "postgresql":
            cursor.execute(f"INSERT INTO {_HEAD} (id, last_seq, last_hash) VALUES (%s, 0, %s) ON CONFLICT DO NOTHING",
                           [chain, GENESIS])
        else:
            cursor.execute(f"INSERT OR IGNORE INTO {_HEAD} (id, last_seq, last_hash) VALUES (%s, 0, %s)",
                           [chain, GENESIS])


def _lock_head(cursor: Any, vendor: str) -> tuple[int, int, str, int]:
    """Lock one chain head for the rest of the transaction; return (chain, last seq, last hash, new row id).

    PostgreSQL: the first head among ``AUDIT_CHAINS`` that no other transaction holds (``FOR UPDATE SKIP
    LOCKED``), so concurrent writers append to different chains instead of queueing behind one row; when all
    are held, wait for one chosen by the backend's pid.  The row id comes from the table's sequence.
    SQLite: the connection begins its transactions ``IMMEDIATE`` (settings), so the database is already
    write-locked: chain 1, id = max + 1.
    """
    chains = chain_count(vendor)
    if vendor == "postgresql":
        nextval = f"nextval(pg_get_serial_sequence('{_LOG}', 'id'))"
        # (a skipped head may use up a sequence value: ids may have gaps, seq may not)
        free = (f"SELECT id, last_seq, last_hash, {nextval} FROM {_HEAD} WHERE id <= %s ORDER BY id LIMIT 1 "
                f"FOR UPDATE SKIP LOCKED")
        wait = (f"SELECT id, last_seq, last_hash, {nextval} FROM {_HEAD} WHERE id = 1 + pg_backend_pid() %% %s "
                f"FOR UPDATE")
        for attempt in (0, 1):
            cursor.execute(free, [chains])
            head = cursor.fetchone()
            if head is None:
                cursor.execute(wait, [chains])
                head = cursor.fetchone()
            if head is not None:
                break
            if attempt == 0:
                _create_heads(cursor, vendor, chains)
    else:
        select = (f"SELECT id, last_seq, last_hash, (SELECT coalesce(max(id), 0) + 1 FROM {_LOG}) "
                  f"FROM {_HEAD} WHERE id = 1")
        cursor.execute(select)
        head = cursor.fetchone()
        if head is None:
            _create_heads(cursor, vendor, 1)
            cursor.execute(select)
            head = cursor.fetchone()
    assert head is not None
    return int(head[0]), int(head[1]), str(head[2]), int(head[3])


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

    One chain head is locked for the duration of the surrounding transaction, so each chain's rows are
    appended in order with no gaps in ``seq``, and each row carries the hash of the one before in its chain
    and an HMAC with the newest chain key (ADR 0019).  No savepoint is taken: if the row cannot be written the
    error propagates and the caller's whole transaction rolls back.  Plain statements (lock a head, insert;
    the insert's trigger moves the head) without ORM query building: this runs on every request.
    Raises ImproperlyConfigured when no chain key is configured (production).
    """
    ids = sorted({int(r) for r in residents})
    user = actor.user
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        vendor = connection.vendor
        if vendor == "postgresql" and getattr(settings, "AUDIT_ASYNC_COMMIT", False):
            # Opt-in (ADR 0008): the commit does not wait for the WAL flush.  The row and the caller's changes
            # in the same transaction survive or are lost together; a crash can lose the last ~0.6 s of rows.
            cursor.execute("SET LOCAL synchronous_commit = off")
        key = current_key()
        chain, last_seq, last_hash, new_id = _lock_head(cursor, vendor)
        fields = {
            "id": new_id,
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
            "chain": chain,
            "seq": last_seq + 1,
        }
        digest = row_digest(last_hash, fields, key.secret)
        params: list[Any] = [fields[name] for name in KEYED_FIELDS]
        params[_AT] = connection.ops.adapt_datetimefield_value(params[_AT])
        params[_RESIDENTS] = json.dumps(ids)
        cursor.execute(_insert_sql(vendor), [*params, key.key_id, last_hash, digest])
    row = AccessLog(prev_hash=last_hash, row_hash=digest, key_id=key.key_id, **fields)
    row._state.adding = False
    row._state.db = connection.alias
    return row


def record_denied(*, actor: Actor, action: AuditEvent, reason: str, target: str = "", program: str = "",
                  residents: Iterable[int] = ()) -> AccessLog:
    """Log a refusal.  Call it outside any transaction that will roll back (the web layer does this when it
    catches :class:`madoguchi.core.errors.AccessRefused`), so that the refusal stays on record."""
    return record_access(actor=actor, action=action, target=target, program=program, residents=residents,
                         allowed=False, reason=reason)
