"""和暦 (Japanese era) dates: formatting for notices and parsing of what registers and forms contain.

Formatting writes the first year as 元年 (令和元年5月1日), never 01.  Parsing accepts ISO dates
(2025-09-30, 2025/9/30), kanji era dates (令和7年9月30日, 令和元年5月1日, with full-width digits too)
and short forms (R7.9.30, H31.4.30, S64.1.7).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: dt.date


ERAS: tuple[Era, ...] = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1868, 1, 25)),
)
_BY_NAME = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}


class EraDateError(ValueError):
    pass


def era_of(day: dt.date) -> Era:
    for era in ERAS:
        if day >= era.start:
            return era
    raise EraDateError(f"{day.isoformat()} は明治より前の日付です")


def era_year(day: dt.date) -> tuple[Era, int]:
    era = era_of(day)
    return era, day.year - era.start.year + 1


def _year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def format_wareki(day: dt.date, *, with_weekday: bool = False) -> str:
    """令和7年9月30日 (令和元年5月1日 for the first year)."""
    era, year = era_year(day)
    text = f"{era.name}{_year_text(year)}年{day.month}月{day.day}日"
    if with_weekday:
        text += f"（{'月火水木金土日'[day.weekday()]}）"
    return text


def format_wareki_year(day: dt.date) -> str:
    era, year = era_year(day)
    return f"{era.name}{_year_text(year)}年"


def fiscal_year_wareki(day: dt.date) -> str:
    """The fiscal year (April–March) in era form: 令和7年度."""
    fiscal_start = dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    era, year = era_year(max(fiscal_start, era_of(day).start))
    return f"{era.name}{_year_text(year)}年度"


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_KANJI = re.compile(r"^(令和|平成|昭和|大正|明治)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$")
_SHORT = re.compile(r"^([RHSTMrhstm])(元|\d{1,2})[./-](\d{1,2})[./-](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str) -> dt.date:
    """Parse an ISO, kanji-era or short-era date; raise EraDateError with a Japanese reason."""
    raw = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if not raw:
        raise EraDateError("日付が空です")
    try:
        if m := _ISO.match(raw) or _COMPACT.match(raw):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _KANJI.match(raw) or _SHORT.match(raw)
        if not m:
            raise EraDateError(f"日付として読めません: {text}")
        era = _BY_NAME[m.group(1).upper() if len(m.group(1)) == 1 else m.group(1)]
        year = 1 if m.group(2) == "元" else int(m.group(2))
        day = dt.date(era.start.year + year - 1, int(m.group(3)), int(m.group(4)))
    except ValueError as exc:
        if isinstance(exc, EraDateError):
            raise
        raise EraDateError(f"存在しない日付です: {text}") from exc
    if day < era.start:
        raise EraDateError(f"{era.name}{year}年{day.month}月{day.day}日 は{era.name}の始まり（{format_wareki(era.start)}）より前です")
    following = [e for e in ERAS if e.start > era.start]
    if following and day >= min(e.start for e in following):
        nxt = min(following, key=lambda e: e.start)
        raise EraDateError(f"{text} は{nxt.name}に改元された後の日付です")
    return day
