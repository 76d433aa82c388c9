"""Reading dates in every accepted form (madoguchi.core.era.parse_date), against ``date.fromisoformat``.

    .venv/bin/python -m bench.era_parse [--count 100000]

For each form, ``count`` distinct dates are written that way and read back once with the cache cleared
(the worst case: every value new), then once more (a register's birth dates repeat: the cache answers).
Prints µs per date and the ratio to ``datetime.date.fromisoformat`` measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

from madoguchi.core import era

KANJI = "〇一二三四五六七八九"


def kanji(number: int) -> str:
    tens, units = divmod(number, 10)
    head = "" if tens == 0 else "十" if tens == 1 else KANJI[tens] + "十"
    return head + (KANJI[units] if units or not head else "")


FORMS: dict[str, Callable[[dt.date], str]] = {
    "ISO 2025-09-30": lambda d: d.isoformat(),
    "2025/9/30": lambda d: f"{d.year}/{d.month}/{d.day}",
    "2025年9月30日": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "令和7年9月30日": era.format_wareki,
    "令和七年九月三十日": lambda d: (lambda e, y: f"{e.name}{'元' if y == 1 else kanji(y)}年{kanji(d.month)}月"
                                         f"{kanji(d.day)}日")(*era.era_year(d)),
    "5070930": era.format_era_code,
    "2025/9/30(火)": lambda d: f"{d.year}/{d.month}/{d.day}({'月火水木金土日'[d.weekday()]})",
    "2025-09-30 10:00": lambda d: f"{d.isoformat()} 10:00",
}


def timed(fn: Callable[[str], object], texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(7)
    days = [dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(34_000)) for _ in range(args.count)]
    baseline = timed(dt.date.fromisoformat, [d.isoformat() for d in days])
    print(f"{args.count:,} dates; baseline date.fromisoformat {baseline / args.count * 1e6:.2f} µs/date")
    print(f"{'form':<22}{'µs/date (new)':>15}{'ratio':>8}{'µs/date (cached)':>18}{'ratio':>8}")
    for name, form in FORMS.items():
        texts = [form(d) for d in days]
        era._parse.cache_clear()
        cold = timed(era.parse_date, texts)
        warm = timed(era.parse_date, texts[-8192:])  # the cache keeps the last 8,192 values
        warm_per = warm / min(len(texts), 8192)
        print(f"{name:<22}{cold / args.count * 1e6:>15.2f}{cold / baseline:>8.1f}"
              f"{warm_per * 1e6:>18.2f}{warm_per / (baseline / args.count):>8.1f}")


if __name__ == "__main__":
    main()
