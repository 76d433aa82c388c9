"""Really tampering with the access log in tests: every audit trigger is switched off inside the test's own
transaction (rolled back afterwards), exactly as an attacker with database rights (the owner) could."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from madoguchi.audit.chain import KEYED_FIELDS, row_digest
from madoguchi.audit.models import AccessLog
from madoguchi.core.db.triggers import HEAD, TABLE, all_create_sql, all_drop_sql


@contextmanager
def triggers_off() -> Iterator[Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in (TABLE, HEAD):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for statement in all_drop_sql("sqlite"):
                cursor.execute(statement)
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                for table in (TABLE, HEAD):
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            else:
                for statement in all_create_sql("sqlite"):
                    cursor.execute(statement)


def sql(statement: str, params: list[Any] | None = None) -> None:
    with triggers_off() as cursor:
        cursor.execute(statement, params or [])


def forged_row(source: AccessLog, *, row_id: int, prev_hash: str, secret: bytes | None = None,
               **changes: Any) -> dict[str, Any]:
    """A row as an attacker would build it: fields copied from ``source`` with changes, hashed with
    ``secret`` (an attacker without the key can only guess one; None: a keyless SHA-256 row)."""
    fields = {name: getattr(source, name) for name in KEYED_FIELDS}
    fields.update(changes, id=row_id)
    key_id = changes.get("key_id", source.key_id if secret is not None else "")
    return {**fields, "key_id": key_id, "prev_hash": prev_hash,
            "row_hash": row_digest(prev_hash, fields, secret)}


def insert_raw(row: dict[str, Any]) -> None:
    """Insert bypassing record_access, the chain head and the triggers."""
    with triggers_off():
        AccessLog.objects.bulk_create([AccessLog(**row)])


def set_head(chain: int, last_seq: int, last_hash: str) -> None:
    """Move a chain head as an attacker with the triggers off would."""
    sql(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s WHERE id = %s", [last_seq, last_hash, chain])
