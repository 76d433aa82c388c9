"""SQLite backend whose ``flush`` (used by test teardown and the ``flush`` command only) can empty the
append-only access log and its chain heads, as TRUNCATE does on PostgreSQL.  The application never flushes."""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

from madoguchi.core.db.triggers import HEAD, TABLE, all_create_sql, all_drop_sql


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if TABLE in tables or HEAD in tables:
            return [*all_drop_sql("sqlite"), *statements, *all_create_sql("sqlite")]
        return list(statements)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
