"""SQLite backend whose ``flush`` (used by test teardown and the ``flush`` command only) can empty the
append-only access log, as TRUNCATE does on PostgreSQL.  The application itself never flushes."""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

from madoguchi.core.db.triggers import SQLITE_CREATE, SQLITE_DROP, TABLE


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if TABLE in tables:
            return [*SQLITE_DROP, *statements, *SQLITE_CREATE]
        return list(statements)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
