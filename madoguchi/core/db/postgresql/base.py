"""PostgreSQL backend whose ``flush`` (test teardown and the ``flush`` command only) can empty the access log
and its chain heads: their triggers refuse TRUNCATE (ADR 0019), so the flush switches the tables' triggers off
around it.  That needs the tables' owner, which the application's role is not in production
(docs/operations.md); the application itself never flushes."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base, operations

from madoguchi.core.db.triggers import HEAD, TABLE


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        guarded = [t for t in (TABLE, HEAD) if t in tables]
        if not guarded:
            return list(statements)
        off = [f"ALTER TABLE {t} DISABLE TRIGGER USER" for t in guarded]
        on = [f"ALTER TABLE {t} ENABLE TRIGGER USER" for t in guarded]
        return [*off, *statements, *on]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
