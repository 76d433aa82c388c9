"""Duplicate detection: accuracy on the labelled variant set and speed at two scales.

    .venv/bin/python -m bench.duplicates [--scale labelled|small|ward|all]

- labelled: bench/data/dup_left.csv × dup_right.csv against dup_truth.csv (made by bench/variants.py):
  recall (true pairs found as match or possible), recall of match, precision of match;
- small: 1,000 applicants × 10,000 past grantees, the whole find_duplicates path (CSV in, CSV out);
- ward: 25,000 × 350,000 (generated in memory, not stored), the whole path from CSV bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
django.setup()

from bench.variants import DATA, FIELDS, generate  # noqa: E402
from madoguchi.casework.services.pair_files import match_files, pairs_csv  # noqa: E402


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=FIELDS)
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def labelled() -> None:
    left = (DATA / "dup_left.csv").read_bytes()
    right = (DATA / "dup_right.csv").read_bytes()
    with (DATA / "dup_truth.csv").open(encoding="utf-8") as fh:
        truth = {(r["left_id"], r["right_id"]) for r in csv.DictReader(fh)}
    started = time.perf_counter()
    pairs = match_files(left, right)
    elapsed = time.perf_counter() - started
    found = {(p.left_id, p.right_id) for p in pairs}
    matches = {(p.left_id, p.right_id) for p in pairs if p.verdict == "match"}
    recall = len(found & truth) / len(truth)
    recall_match = len(matches & truth) / len(truth)
    precision_match = len(matches & truth) / len(matches) if matches else 0.0
    print(f"labelled set: {len(truth)} true pairs, {len(pairs)} candidates ({len(matches)} match) in {elapsed:.2f} s")
    print(f"  recall (match or possible) = {recall:.4f}")
    print(f"  recall of match            = {recall_match:.4f}")
    print(f"  precision of match         = {precision_match:.4f}")
    missed = sorted(truth - found)[:10]
    if missed:
        print("  missed (first 10):", missed)


def timed(n_left: int, n_right: int) -> None:
    t0 = time.perf_counter()
    left_rows, right_rows, _truth = generate(n_left=n_left, n_right=n_right, share=0.3, seed=7)
    left, right = _csv_bytes(left_rows), _csv_bytes(right_rows)
    t1 = time.perf_counter()
    pairs = match_files(left, right)
    text = pairs_csv(pairs)
    t2 = time.perf_counter()
    print(f"{n_left:,} × {n_right:,}: {t2 - t1:.2f} s for find_duplicates (read, key, block, score, write; "
          f"{len(pairs):,} candidates, {len(text):,} bytes); data generation {t1 - t0:.1f} s not counted")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["labelled", "small", "ward", "all"], default="all")
    args = parser.parse_args()
    if args.scale in ("labelled", "all"):
        labelled()
    if args.scale in ("small", "all"):
        timed(1_000, 10_000)
    if args.scale in ("ward", "all"):
        timed(25_000, 350_000)


if __name__ == "__main__":
    main()
