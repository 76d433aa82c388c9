"""和暦 (Japanese era) dates: formatting for notices and parsing of what registers and forms contain.

Formatting writes the first year as 元年 (令和元年5月1日), never 01.  Parsing (:func:`parse_date`,
:func:`parse_datetime`) accepts the forms registers, legacy extracts, e-forms, spreadsheets and people write
(docs/guide/residents.md lists them for staff):

- western dates: ``2025-09-30``, ``2025/9/30``, ``2025.9.30``, ``20250930``, ``2025年9月30日``,
  ``2025年09月30日``, ``二〇二五年九月三十日``;
- era dates: ``令和7年9月30日``, ``令和元年5月1日``, kanji numerals ``令和七年九月三十日`` (〇 一 … 九, 十, 二十,
  廿, 卅, and 百 千 for western years: ``二千二十五年``), ``R7.9.30``, ``H31.4.30``, ``平成20.4.1``, ``平20.4.1``,
  ``㋿7.9.30``;
- seven-digit era-coded dates of legacy registry extracts, G+YYMMDD with 1 明治, 2 大正, 3 昭和, 4 平成,
  5 令和 (``5070930`` is 令和7年9月30日 = 2025-09-30);
- any of these followed by a weekday in brackets, full or half width (``2026/5/1(金)``, ``（金曜日）``): the
  weekday must agree with the date;
- any of these followed by a time of day (e-form timestamps): ``2026-05-10 10:00``, ``2026-05-10T10:00:00``,
  ``2026-05-10T10:00:00+09:00`` / ``Z`` / ``JST``, ``2026/05/10 10:00:00``, ``2026年5月10日 10時00分``,
  ``午後1:30`` / ``1:30 PM``.
  :func:`parse_date` drops the time (after converting a given offset to Japan time, so the date is the
  date in Japan); :func:`parse_datetime` keeps it.

Full-width digits and spaces are read as half width (NFKC).  Two-digit western years (``26/5/1``) are
refused: the century cannot be known.  An era date outside its era is refused (平成31年5月1日 and
令和元年4月30日 do not exist; source: 元号を改める政令 (平成31年政令第143号), 昭和64年1月7日 as the last
day of 昭和).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


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


# 1 明治 … 5 令和: the era codes of legacy registry extracts (G+YYMMDD; 住民記録システム標準仕様書 の
# 和暦コード and the usual mainframe layouts)
ERA_CODES: dict[str, Era] = {"1": _BY_NAME["明治"], "2": _BY_NAME["大正"], "3": _BY_NAME["昭和"],
                             "4": _BY_NAME["平成"], "5": _BY_NAME["令和"]}
JST = dt.timezone(dt.timedelta(hours=9), "JST")  # Japan has no daylight saving time
WEEKDAYS = "月火水木金土日"
_EN_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_ERA_NAMES = "令和|平成|昭和|大正|明治|[令平昭大明]|[RHSTMrhstm]"
_ERA_ABBREVIATIONS = {"令": "令和", "平": "平成", "昭": "昭和", "大": "大正", "明": "明治"}
_WESTERN = re.compile(r"^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日?)$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ERA = re.compile(rf"^({_ERA_NAMES})(元|\d{{1,2}})(?:([./-])(\d{{1,2}})\3(\d{{1,2}})|年(\d{{1,2}})月(\d{{1,2}})日?)$")
_ERA_CODED = re.compile(r"^([1-5])(\d{2})(\d{2})(\d{2})$")
_WEEKDAY_TAIL = re.compile(r"\(\s*([月火水木金土日]|mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*(?:曜日?)?\s*\)$",
                           re.IGNORECASE)
_TIME_TAIL = re.compile(
    r"(?:T|\s+|(?<=日)|(?<=\)))(午前|午後)?\s*"
    r"(?:(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?|(\d{1,2})時(?:(\d{1,2})分(?:(\d{1,2})秒)?)?)"
    r"\s*(AM|PM)?\s*(Z|[+-]\d{2}:?\d{2}|JST)?$",
    re.IGNORECASE,
)
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_RUN = re.compile(r"[〇零一二三四五六七八九十廿卅百千]+")
_KANJI_UNITS = re.compile(r"^(?:([一二三四五六七八九])?千)?(?:([一二三四五六七八九])?百)?"
                          r"(?:([一二三四五六七八九])?十|(廿)|(卅))?([一二三四五六七八九])?$")


def _kanji_number(run: str) -> str:
    """七 → 7, 十 → 10, 二十 → 20, 三十一 → 31, 廿九 → 29, 二千二十六 → 2026, 二〇二六 → 2026; anything else is
    left as written (and then fails to read as a date)."""
    if any(c in "十廿卅百千" for c in run):
        m = _KANJI_UNITS.match(run)
        if not m:
            return run
        thousands, hundreds, tens, twenty, thirty, units = m.groups()
        value = 0
        if "千" in run:
            value += 1000 * (_KANJI_DIGITS[thousands] if thousands else 1)
        if "百" in run:
            value += 100 * (_KANJI_DIGITS[hundreds] if hundreds else 1)
        if "十" in run:
            value += 10 * (_KANJI_DIGITS[tens] if tens else 1)
        value += 20 if twenty else 30 if thirty else 0
        return str(value + (_KANJI_DIGITS[units] if units else 0))
    if all(c in _KANJI_DIGITS for c in run):
        return "".join(str(_KANJI_DIGITS[c]) for c in run)
    return run


def kanji_numerals_to_digits(text: str) -> str:
    """Replace each run of kanji numerals by its value in digits (令和七年九月三十日 → 令和7年9月30日)."""
    return _KANJI_RUN.sub(lambda m: _kanji_number(m.group(0)), text)


def _clean(text: str) -> str:
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Parsed:
    day: dt.date
    time: dt.time | None  # naive; in ``tz`` when given, else Japan time


def _era_day(era: Era, year: int, month: int, day: int, text: str) -> dt.date:
    if year < 1:
        raise EraDateError(f"{era.name}0年はありません: {text}")
    try:
        result = dt.date(era.start.year + year - 1, month, day)
    except ValueError as exc:
        raise EraDateError(f"存在しない日付です: {text}") from exc
    if result < era.start:
        raise EraDateError(f"{era.name}{_year_text(year)}年{month}月{day}日 は{era.name}の始まり"
                           f"（{format_wareki(era.start)}）より前です")
    following = [e for e in ERAS if e.start > era.start]
    if following:
        nxt = min(following, key=lambda e: e.start)
        if result >= nxt.start:
            raise EraDateError(f"{text} は{nxt.name}に改元された後の日付です"
                               f"（{era.name}の最後の日は{format_wareki(nxt.start - dt.timedelta(days=1))}）")
    return result


def _date_part(raw: str, text: str) -> dt.date:
    compact = raw.replace(" ", "")
    if not compact.isascii():
        compact = kanji_numerals_to_digits(compact)
    try:
        if m := _WESTERN.match(compact):
            month, day = (m.group(3), m.group(4)) if m.group(2) else (m.group(5), m.group(6))
            return dt.date(int(m.group(1)), int(month), int(day))
        if m := _COMPACT.match(compact):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise EraDateError(f"存在しない日付です: {text}") from exc
    if m := _ERA.match(compact):
        name = _ERA_ABBREVIATIONS.get(m.group(1), m.group(1))
        era = _BY_NAME[name.upper() if len(name) == 1 else name]
        year = 1 if m.group(2) == "元" else int(m.group(2))
        month, day = (m.group(4), m.group(5)) if m.group(3) else (m.group(6), m.group(7))
        return _era_day(era, year, int(month), int(day), text)
    if m := _ERA_CODED.match(compact):
        return _era_day(ERA_CODES[m.group(1)], int(m.group(2)), int(m.group(3)), int(m.group(4)), text)
    raise EraDateError(f"日付として読めません: {text}")


def _split(text: str) -> tuple[str, str, re.Match[str] | None]:
    """(date text, weekday, time match) of a cleaned text."""
    raw = _clean(text)
    time_match = _TIME_TAIL.search(raw) if (":" in raw or "時" in raw) else None
    if time_match and time_match.start() > 0:
        raw = raw[:time_match.start()].rstrip()
    else:
        time_match = None
    weekday = ""
    if raw.endswith(")") and (wm := _WEEKDAY_TAIL.search(raw)):
        weekday, raw = wm.group(1).lower(), raw[:wm.start()].rstrip()
    return raw, weekday, time_match


def _offset(text: str) -> dt.tzinfo:
    if text.upper() == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


@lru_cache(maxsize=8192)
def _parse(text: str) -> tuple[dt.date, dt.datetime | None]:
    raw, weekday, tm = _split(text)
    if not raw:
        raise EraDateError("日付が空です")
    day = _date_part(raw, text)
    if weekday:
        index = WEEKDAYS.index(weekday) if weekday in WEEKDAYS else _EN_WEEKDAYS.index(weekday)
        if index != day.weekday():
            raise EraDateError(f"曜日が日付と合いません: {text}（{day.year}年{day.month}月{day.day}日は"
                               f"{WEEKDAYS[day.weekday()]}曜日です）")
    if tm is None:
        return day, None
    meridiem, _h, _m, _s, _f, jh, jm, js, ampm, offset = tm.groups()
    if _h is not None:
        hour, minute, second, micro = int(_h), int(_m), int(_s or 0), int((_f or "0").ljust(6, "0"))
    else:
        hour, minute, second, micro = int(jh), int(jm or 0), int(js or 0), 0
    if meridiem or ampm:  # 午前/午後, AM/PM: 12-hour clock (午前0時 = 12 AM = 0:00, 午後0時 = 12 PM = 12:00)
        if hour > 12 or (meridiem and ampm):
            raise EraDateError(f"存在しない時刻です: {text}")
        hour = hour % 12 + (12 if (meridiem == "午後" or (ampm or "").upper() == "PM") else 0)
    try:
        moment = dt.datetime.combine(day, dt.time(hour, minute, second, micro),
                                     tzinfo=_offset(offset) if offset and offset.upper() != "JST" else JST)
    except ValueError as exc:
        raise EraDateError(f"存在しない時刻です: {text}") from exc
    return moment.astimezone(JST).date(), moment.astimezone(JST)


def parse_date(text: str) -> dt.date:
    """The date a text names, in any form listed in this module's docstring.

    A time of day after the date is accepted and dropped (a timestamp with an offset gives the date in
    Japan).  Raises EraDateError with a Japanese reason naming the text: unreadable, nonexistent (2月30日,
    平成31年5月1日), before 明治, or a weekday that contradicts the date."""
    return _parse(text)[0]


def parse_datetime(text: str) -> dt.datetime:
    """The moment a text names (aware, in Japan time): a date and time of day, in any form listed in this
    module's docstring.  A date without a time is midnight at the start of that day in Japan.  A given
    offset (``+09:00``, ``Z``) is honoured and converted to Japan time.  Raises EraDateError like parse_date."""
    day, moment = _parse(text)
    return moment if moment is not None else dt.datetime.combine(day, dt.time(0), tzinfo=JST)


def has_time(text: str) -> bool:
    """Whether the text carries a time of day after its date (an e-form timestamp)."""
    return _split(text)[2] is not None


def format_era_code(day: dt.date) -> str:
    """The seven-digit era-coded form of legacy extracts, G+YYMMDD (2025-09-30 → 5070930)."""
    era, year = era_year(day)
    code = next(c for c, e in ERA_CODES.items() if e is era)
    return f"{code}{year:02d}{day.month:02d}{day.day:02d}"
