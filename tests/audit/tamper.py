"""Really tampering with the access log in tests: the append-only triggers are switched off inside the
test's own transaction (rolled back afterwards), exactly as an attacker with database rights could."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from madoguchi.audit.chain import CHAINED_FIELDS, row_digest
from madoguchi.audit.models import AccessLog
from madoguchi.core.db.triggers import SQLITE_CREATE, SQLITE_DROP, TABLE


@contextmanager
def triggers_off() -> Iterator[Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_no_update_delete")
        else:
            for statement in SQLITE_DROP:
                cursor.execute(statement)
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_no_update_delete")
            else:
                for statement in SQLITE_CREATE:
                    cursor.execute(statement)


def sql(statement: str, params: list[Any] | None = None) -> None:
    with triggers_off() as cursor:
        cursor.execute(statement, params or [])


def forged_row(source: AccessLog, *, row_id: int, prev_hash: str, **changes: Any) -> dict[str, Any]:
    """A row as an attacker would build it: fields copied from ``source`` with changes, hashed correctly."""
    fields = {name: getattr(source, name) for name in CHAINED_FIELDS}
    fields.update(changes, id=row_id)
    return {**fields, "prev_hash": prev_hash, "row_hash": row_digest(prev_hash, fields)}


def insert_raw(row: dict[str, Any]) -> None:
    """Insert bypassing record_access (and the chain head)."""
    AccessLog.objects.bulk_create([AccessLog(**row)])
