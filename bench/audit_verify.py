"""Build a hash chain of N access-log rows quickly, then time ``verify_chain`` over it.

    .venv/bin/python -m bench.audit_verify [--rows 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_auditbench .venv/bin/python -m bench.audit_verify

Rows are keyed (HMAC, chain 1) in Python exactly as ``record_access`` does and written with COPY (PostgreSQL)
or ``executemany`` in one transaction (SQLite), with the log's triggers off during the load.  Target (issue 2): verify 1,000,000 rows in ≤ 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from collections.abc import Iterator
from typing import Any

from bench.audit_db import bench_database

COLUMNS = ("id", "at", "user_id_ref", "username", "role", "organisation", "address", "channel", "action",
           "target", "resident_ids", "resident_count", "program", "purpose", "allowed", "reason", "break_glass",
           "chain", "seq", "key_id")
ACTIONS = ["resident.view", "resident.search", "case.view", "case.list", "auth.login", "resident.export"]
USERS = [(i, f"user{i:03d}", "department_staff" if i % 3 else "contractor", f"org-{i % 12}") for i in range(1, 200)]


def generate(n: int, seed: int = 1) -> Iterator[list[Any]]:
    """Rows as lists in the order of KEYED_FIELDS and key_id, each followed by prev_hash and row_hash."""
    from madoguchi.audit.chain import GENESIS, canonical_values, keyed_digest_values, new_mac
    from madoguchi.audit.keys import current_key

    key = current_key()
    mac = new_mac(key.secret)
    rng = random.Random(seed)
    at = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    prev = GENESIS
    for row_id in range(1, n + 1):
        at += dt.timedelta(microseconds=rng.randrange(1, 30_000_000))
        uid, username, role, org = rng.choice(USERS)
        action = rng.choice(ACTIONS)
        residents = sorted(rng.sample(range(1, 350_000), rng.choice((0, 1, 1, 1, 2, 5, 20))))
        allowed = rng.random() > 0.01
        values = [row_id, at, uid, username, role, org, f"10.0.{uid % 250}.{uid}", "web", action,
                  f"/residents/{residents[0]}/" if residents else "", residents, len(residents),
                  f"program-{uid % 7}", "審査", allowed, "" if allowed else "権限なし", rng.random() < 0.001]
        digest = keyed_digest_values(mac, prev, [*canonical_values(list(values)), 1, row_id])
        yield [*values, 1, row_id, key.key_id, prev, digest]
        prev = digest


def load_postgres(rows: Iterator[list[Any]]) -> tuple[int, str]:
    from django.db import connection

    last: list[Any] = [0, ""]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor
        with raw.copy(f"COPY audit_accesslog ({', '.join(COLUMNS)}, prev_hash, row_hash) FROM STDIN") as copy:
            for row in rows:
                row[10] = json.dumps(row[10])
                copy.write_row(row)
                last = row
    return last[0], last[-1]


def load_sqlite(rows: Iterator[list[Any]]) -> tuple[int, str]:
    from django.db import connection

    last: list[Any] = [0, ""]
    sql = (f"INSERT INTO audit_accesslog ({', '.join(COLUMNS)}, prev_hash, row_hash) "
           f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 2))})")
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            row[1] = row[1].replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
            row[10] = json.dumps(row[10])
            batch.append(row)
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                last, batch = batch[-1], []
        if batch:
            cursor.executemany(sql, batch)
            last = batch[-1]
    return last[0], last[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with bench_database() as where:
        from django.db import connection, transaction

        from madoguchi.audit.models import ChainHead
        from madoguchi.audit.services.verify import verify_chain
        from madoguchi.core.db.triggers import all_create_sql, all_drop_sql

        print(f"verify_audit over {args.rows:,} rows on {where}")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in all_drop_sql(connection.vendor):
                cursor.execute(statement)
            load = load_postgres if connection.vendor == "postgresql" else load_sqlite
            last_id, last_hash = load(generate(args.rows))
            ChainHead.objects.update_or_create(id=1, defaults={"last_seq": last_id, "last_hash": last_hash})
            for statement in all_create_sql(connection.vendor):
                cursor.execute(statement)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE audit_accesslog")
        print(f"  built (hash in Python + bulk load): {time.perf_counter() - started:.1f} s")
        for attempt in (1, 2):
            result = verify_chain()
            print(f"  verify run {attempt}: {result.seconds:.1f} s, {result.rows_checked / result.seconds:,.0f} rows/s,"
                  f" intact={result.ok}, last #{result.last_id}")
        assert result.ok and result.rows_checked == args.rows, result.summary()
        from madoguchi.audit.services.analysis import analyse_period

        t0 = time.perf_counter()
        report = analyse_period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        counts = ", ".join(f"{s.key}={s.total:,}" for s in report.sections)
        print(f"  analyse_period April 2026: {report.rows_scanned:,} rows in {time.perf_counter() - t0:.1f} s ({counts})")
        print(f"  => verify_audit 1M-row target ≤ 30 s: measured {result.seconds:.1f} s for {args.rows:,} rows")


if __name__ == "__main__":
    main()
