"""Import of a registry extract of 350,000 residents (the whole service: parse, check, write, log).

    .venv/bin/python -m bench.residents_import [--count 350000] [--encoding utf-8|cp932]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_residents_bench .venv/bin/python -m bench.residents_import

Prints: CSV generation, then (into an empty table) the first import split into parse/check and write, a
second import of the same file (nothing changes), and a third with 1% of the residents moved.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import time

from bench._residents_db import clear_residents, setup

HEADER = ["住民番号", "氏名", "氏名カナ", "生年月日", "性別", "郵便番号", "住所", "方書", "世帯番号", "続柄", "住民日",
          "状態"]


def csv_bytes(rows: list[tuple[object, ...]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([r[0], r[1], r[2], r[3].isoformat(), r[4], r[5], r[6], r[7], r[8], r[9],  # type: ignore[union-attr]
                         r[10].isoformat() if r[10] else "", r[11]])  # type: ignore[union-attr]
    text = out.getvalue()
    if encoding == "cp932":
        text = text.replace("𠮷", "吉").replace("\U000E0100", "")  # not in CP932, as in real CP932 extracts
    return text.encode(encoding)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=350_000)
    parser.add_argument("--encoding", default="utf-8", choices=["utf-8", "utf-8-sig", "cp932"])
    args = parser.parse_args()
    where = setup()

    from django.db import transaction

    from madoguchi.accounts.context import Actor
    from madoguchi.residents.models import Resident
    from madoguchi.residents.services.bulk import upsert_residents
    from madoguchi.residents.services.demo import generate
    from madoguchi.residents.services.imports import import_residents, parse_residents

    print(f"database: {where}; load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    started = time.perf_counter()
    rows = generate(rng=random.Random(20261122), count=args.count)
    data = csv_bytes(rows, args.encoding)
    print(f"generated {len(rows):,} rows, {len(data) / 1e6:.1f} MB ({args.encoding}) in "
          f"{time.perf_counter() - started:.1f} s")

    clear_residents()
    actor = Actor.cli(None, purpose="bench")

    # 1. into an empty table, measured in its two halves
    t0, c0 = time.perf_counter(), time.process_time()
    parsed = parse_residents(data)
    t1, c1 = time.perf_counter(), time.process_time()
    with transaction.atomic():
        result = upsert_residents(parsed)
    t2, c2 = time.perf_counter(), time.process_time()
    print(f"first import (empty table): parse+check {t1 - t0:.1f} s (cpu {c1 - c0:.1f} s), write {t2 - t1:.1f} s "
          f"(client cpu {c2 - c1:.1f} s), total {t2 - t0:.1f} s — created {result.created:,}")
    assert Resident.objects.count() == len(rows)

    # 2. the same file again through the whole service (nothing changes)
    t0 = time.perf_counter()
    again = import_residents(data=data, actor=actor, filename="bench.csv")
    print(f"re-import, unchanged: {time.perf_counter() - t0:.1f} s — {again.summary()}")

    # 3. 1% of the residents moved
    rng = random.Random(1)
    moved = [list(r) for r in rows]
    for r in rng.sample(moved, len(moved) // 100):
        r[6] = "東京都新宿区西新宿二丁目8番1号"
        r[7] = "ベンチマークハイツ101号室"
    data3 = csv_bytes([tuple(r) for r in moved], args.encoding)
    t0 = time.perf_counter()
    third = import_residents(data=data3, actor=actor, filename="bench-moved.csv")
    print(f"re-import, 1% moved: {time.perf_counter() - t0:.1f} s — {third.summary()}")

    # 4. the whole service into an empty table (what a first load of the ward costs)
    clear_residents()
    t0 = time.perf_counter()
    first = import_residents(data=data, actor=actor, filename="bench.csv")
    print(f"import_residents into an empty table (whole service): {time.perf_counter() - t0:.1f} s — "
          f"{first.summary()}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
