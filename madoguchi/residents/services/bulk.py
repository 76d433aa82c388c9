"""Set-based writing of many residents at once (imports and the demo generator).

The rows go into a temporary table first — with ``COPY`` on PostgreSQL (psycopg ``cursor.copy()``) and
``executemany`` on SQLite — and then three statements do the work on both databases:

1. address history: one ``AddressHistory`` row with the old values for every resident whose 住所,
   郵便番号 or 方書 changes;
2. ``INSERT … SELECT … ON CONFLICT (resident_no) DO UPDATE … WHERE <something changed>``;
3. the temporary table is dropped.

Callers run this inside their transaction (``transaction.atomic``); nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from madoguchi.residents.models import AddressHistory, Resident

COLUMNS: tuple[str, ...] = (
    "resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address", "address_extra",
    "household_no", "relation", "resident_since", "status",
    "name_key", "kana_key", "address_key", "building_key",
)
# columns whose change counts as an update (the keys follow from them)
DATA_COLUMNS = COLUMNS[1:12]
ADDRESS_COLUMNS = ("postal_code", "address", "address_extra")
TEMP_TABLE = "madoguchi_resident_load"

Row = Sequence[object]  # values in the order of COLUMNS


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int
    moved: int  # residents whose address changed (one AddressHistory row each)


def _distinct(left: str, right: str) -> str:
    if connection.vendor == "postgresql":
        return f"{left} IS DISTINCT FROM {right}"
    return f"{left} IS NOT {right}"


def _load_temp_table(rows: Iterable[Row]) -> None:
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in COLUMNS)
    table = q(Resident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLE}")
        cursor.execute(f"CREATE TEMP TABLE {TEMP_TABLE} AS SELECT {cols} FROM {table} WHERE 1 = 0")
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {TEMP_TABLE} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"ANALYZE {TEMP_TABLE}")
        else:
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            sql = f"INSERT INTO {TEMP_TABLE} ({cols}) VALUES ({placeholders})"
            batch: list[Any] = []
            for row in rows:
                batch.append(tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row))
                if len(batch) >= 20_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def upsert_residents(rows: Iterable[Row], *, now: dt.datetime | None = None) -> UpsertResult:
    """Insert new residents and update existing ones by 住民番号, keeping the history of addresses."""
    moment = now or timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(moment)
    q = connection.ops.quote_name
    table = q(Resident._meta.db_table)
    history = q(AddressHistory._meta.db_table)
    _load_temp_table(rows)
    join = f"FROM {TEMP_TABLE} t JOIN {table} r ON r.{q('resident_no')} = t.{q('resident_no')}"
    changed = " OR ".join(_distinct(f"r.{q(c)}", f"t.{q(c)}") for c in DATA_COLUMNS)
    moved = " OR ".join(_distinct(f"r.{q(c)}", f"t.{q(c)}") for c in ADDRESS_COLUMNS)
    cols = ", ".join(q(c) for c in COLUMNS)
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in (*COLUMNS[1:], "updated_at"))
    guard = " OR ".join(_distinct(f"{table}.{q(c)}", f"excluded.{q(c)}") for c in DATA_COLUMNS)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TEMP_TABLE}")
            total = cursor.fetchone()[0]
            cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {changed} THEN 1 ELSE 0 END), 0) {join}")
            matched, updated = cursor.fetchone()
            cursor.execute(
                f"INSERT INTO {history} ({q('resident_id')}, {q('postal_code')}, {q('address')}, "
                f"{q('address_extra')}, {q('valid_until')}) "
                f"SELECT r.{q('id')}, r.{q('postal_code')}, r.{q('address')}, r.{q('address_extra')}, %s "
                f"{join} WHERE {moved}",
                [stamp],
            )
            moved_count = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {table} ({cols}, {q('updated_at')}) SELECT {cols}, %s FROM {TEMP_TABLE} WHERE 1 = 1 "
                f"ON CONFLICT ({q('resident_no')}) DO UPDATE SET {updates} WHERE {guard}",
                [stamp],
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLE}")
    return UpsertResult(created=int(total) - int(matched), updated=int(updated),
                        unchanged=int(matched) - int(updated), moved=max(int(moved_count), 0))
