"""Duplicate detection: accuracy on the labelled variant set and speed at two scales.

    .venv/bin/python -m bench.duplicates [--scale labelled|small|ward|all] [--baseline]

With ``--baseline`` each figure is measured twice in the same run: with the key functions and verdict rule
before issue 15 (bench/_keys_before.py: hand-made variant table, no rooms, ``match`` by kana alone) and
with the current ones, and the ratio is printed.

- labelled: bench/data/dup_left.csv × dup_right.csv against dup_truth.csv (made by bench/variants.py):
  recall (true pairs found as match or possible), recall of match, precision of match;
- small: 1,000 applicants × 10,000 past grantees, the whole find_duplicates path (CSV in, CSV out);
- ward: 25,000 × 350,000 (generated in memory, not stored), the whole path from CSV bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import time
from collections.abc import Callable, Iterator

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
django.setup()

from bench import _keys_before  # noqa: E402
from bench.variants import DATA, FIELDS, generate  # noqa: E402
from madoguchi.casework import matching  # noqa: E402
from madoguchi.casework.services.pair_files import match_files, pairs_csv  # noqa: E402
from madoguchi.core import text  # noqa: E402


def _clear_caches() -> None:
    matching._split_cache.clear()
    matching._name_cache.clear()
    matching._kana_cache.clear()
    text._split_cached.cache_clear()


@contextlib.contextmanager
def keys(before: bool) -> Iterator[None]:
    """Run with the previous key functions and verdict rule (``before``) or the current ones."""
    _clear_caches()
    if not before:
        yield
        return
    saved = (matching.name_key, matching.kana_key, matching.split_address, matching.room_of, matching.verdict_of)
    current_verdict: Callable[..., str | None] = matching.verdict_of
    matching.name_key = _keys_before.name_key
    matching.kana_key = _keys_before.kana_key
    matching.split_address = _keys_before.split_address
    matching.room_of = lambda building: ""
    matching.verdict_of = lambda score, ns, same=True: current_verdict(score, ns, True)
    try:
        yield
    finally:
        (matching.name_key, matching.kana_key, matching.split_address, matching.room_of,
         matching.verdict_of) = saved
        _clear_caches()


def _runs(baseline: bool) -> list[tuple[str, bool]]:
    return [("before", True), ("now", False)] if baseline else [("now", False)]


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=FIELDS)
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def labelled(baseline: bool = False) -> None:
    for label, before in _runs(baseline):
        with keys(before):
            print(f"[{label}]")
            _labelled()


def _labelled() -> None:
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
    wrong = sorted(matches - truth)[:10]
    if wrong:
        print("  wrong matches (first 10):", wrong)


def timed(n_left: int, n_right: int, baseline: bool = False) -> None:
    t0 = time.perf_counter()
    left_rows, right_rows, _truth = generate(n_left=n_left, n_right=n_right, share=0.3, seed=7)
    left, right = _csv_bytes(left_rows), _csv_bytes(right_rows)
    t1 = time.perf_counter()
    print(f"{n_left:,} × {n_right:,} (data generation {t1 - t0:.1f} s, not counted):")
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rounds = 2 if n_right <= 10_000 else 1  # alternate before/now, keep the best of each
    for label, before in _runs(baseline) * rounds:
        with keys(before):
            t1, c1 = time.perf_counter(), time.process_time()
            pairs = match_files(left, right)
            out = pairs_csv(pairs)
            wall, used = time.perf_counter() - t1, time.process_time() - c1
        seconds[label] = min(wall, seconds.get(label, wall))
        cpu[label] = min(used, cpu.get(label, used))
        print(f"  [{label}] {wall:.2f} s ({used:.2f} s CPU) for find_duplicates (read, key, block, "
              f"score, write; {len(pairs):,} candidates, {len(out):,} bytes)")
    if "before" in seconds:
        # CPU time is the fairer figure on a shared machine (wall time includes waiting for a core)
        print(f"  now / before = {seconds['now'] / seconds['before']:.2f} (wall), "
              f"{cpu['now'] / cpu['before']:.2f} (CPU)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["labelled", "small", "ward", "all"], default="all")
    parser.add_argument("--baseline", action="store_true", help="also run the key functions before issue 15")
    args = parser.parse_args()
    if args.scale in ("labelled", "all"):
        labelled(args.baseline)
    if args.scale in ("small", "all"):
        timed(1_000, 10_000, args.baseline)
    if args.scale in ("ward", "all"):
        timed(25_000, 350_000, args.baseline)


if __name__ == "__main__":
    main()
