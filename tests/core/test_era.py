"""和暦 formatting and parsing (madoguchi.core.era)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.era import (
    ERAS,
    JST,
    EraDateError,
    era_year,
    fiscal_year_wareki,
    format_era_code,
    format_wareki,
    format_wareki_year,
    has_time,
    parse_date,
    parse_datetime,
)

DATES = st.dates(min_value=dt.date(1868, 1, 25), max_value=dt.date(2100, 12, 31))


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2019, 5, 1), "令和元年5月1日"),
    (dt.date(2019, 4, 30), "平成31年4月30日"),
    (dt.date(2025, 9, 30), "令和7年9月30日"),
    (dt.date(1989, 1, 8), "平成元年1月8日"),
    (dt.date(1989, 1, 7), "昭和64年1月7日"),
    (dt.date(1926, 12, 25), "昭和元年12月25日"),
])
def test_format_wareki_writes_the_first_year_as_gannen(day: dt.date, text: str) -> None:
    assert format_wareki(day) == text
    assert "01年" not in format_wareki(day)


def test_format_wareki_with_weekday_and_year_forms() -> None:
    assert format_wareki(dt.date(2026, 11, 22), with_weekday=True) == "令和8年11月22日（日）"
    assert format_wareki_year(dt.date(2019, 12, 1)) == "令和元年"
    assert fiscal_year_wareki(dt.date(2026, 3, 31)) == "令和7年度"
    assert fiscal_year_wareki(dt.date(2026, 4, 1)) == "令和8年度"


@pytest.mark.parametrize("text", [
    "R7.9.30", "r7.9.30", "令和7年9月30日", "令和７年９月３０日", "2025-09-30", "2025/9/30", "20250930",
    "R07.09.30", " 令和 7年 9月 30日 ",
])
def test_parse_date_accepts_iso_and_era_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2025, 9, 30)


def test_parse_date_accepts_gannen() -> None:
    assert parse_date("令和元年5月1日") == dt.date(2019, 5, 1)
    assert parse_date("H31.4.30") == dt.date(2019, 4, 30)
    assert parse_date("S64.1.7") == dt.date(1989, 1, 7)


@pytest.mark.parametrize(("text", "reason"), [
    ("2025-02-30", "存在しない日付"),
    ("令和7年2月29日", "存在しない日付"),
    ("平成31年5月1日", "改元"),
    ("昭和64年1月8日", "改元"),
    ("令和元年4月30日", "始まり"),
    ("", "空"),
    ("きのう", "読めません"),
    ("R7/13/1", "存在しない日付"),
])
def test_parse_date_refuses_impossible_dates(text: str, reason: str) -> None:
    with pytest.raises(EraDateError, match=reason):
        parse_date(text)


@given(DATES)
def test_format_then_parse_is_the_same_day(day: dt.date) -> None:
    assert parse_date(format_wareki(day)) == day


@given(DATES)
def test_iso_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


# --- dates as legacy systems, e-forms, spreadsheets and people write them (issue 15 items 5–6, issue 19 item 3)

KANJI = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))


def kanji_tens(number: int) -> str:
    """31 → 三十一, 10 → 十, 20 → 二十, 7 → 七 (the way dates are written in kanji)."""
    tens, units = divmod(number, 10)
    head = "" if tens == 0 else "十" if tens == 1 else KANJI[str(tens)] + "十"
    return head + (KANJI[str(units)] if units or not head else "")


def wareki_in_kanji(day: dt.date) -> str:
    era, year = era_year(day)
    year_text = "元" if year == 1 else kanji_tens(year)
    return f"{era.name}{year_text}年{kanji_tens(day.month)}月{kanji_tens(day.day)}日"


@pytest.mark.parametrize(("text", "day"), [
    ("令和七年九月三十日", dt.date(2025, 9, 30)),
    ("令和元年五月一日", dt.date(2019, 5, 1)),
    ("令和一年五月一日", dt.date(2019, 5, 1)),
    ("平成十年十月十日", dt.date(1998, 10, 10)),
    ("平成二十年四月一日", dt.date(2008, 4, 1)),
    ("昭和六十四年一月七日", dt.date(1989, 1, 7)),
    ("平成三十一年四月三十日", dt.date(2019, 4, 30)),
    ("昭和廿年八月十五日", dt.date(1945, 8, 15)),
    ("二〇二六年五月一日", dt.date(2026, 5, 1)),
    ("令和八年十二月二十五日", dt.date(2026, 12, 25)),
    ("二千二十六年五月一日", dt.date(2026, 5, 1)),
    ("千九百八十年五月六日", dt.date(1980, 5, 6)),
    ("平20.4.1", dt.date(2008, 4, 1)),
    ("昭50.1.2", dt.date(1975, 1, 2)),
])
def test_kanji_numerals_are_read(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(("text", "day"), [
    ("5070930", dt.date(2025, 9, 30)),
    ("5010501", dt.date(2019, 5, 1)),
    ("4310430", dt.date(2019, 4, 30)),
    ("4010108", dt.date(1989, 1, 8)),
    ("3640107", dt.date(1989, 1, 7)),
    ("3530506", dt.date(1978, 5, 6)),
    ("2010730", dt.date(1912, 7, 30)),
    ("1450729", dt.date(1912, 7, 29)),
])
def test_seven_digit_era_coded_dates_are_read(text: str, day: dt.date) -> None:
    assert parse_date(text) == day
    assert format_era_code(day) == text


@pytest.mark.parametrize("text", [
    "2026年5月1日", "2026年05月01日", "2026/5/1(金)", "2026/5/1（金）", "2026/05/01 (金)", "2026/5/1(金曜日)",
    "2026/5/1（金曜）", "2026-05-01(Fri)", "令和8年5月1日（金）", "R8.5.1(金)", "２０２６年５月１日",
])
def test_western_dates_with_nen_gatsu_nichi_or_a_weekday(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 5, 1)


@pytest.mark.parametrize("text", ["2026/5/1(木)", "2026/5/1（土曜日）", "令和8年5月1日（月）", "2026-05-01(Thu)"])
def test_a_weekday_that_contradicts_the_date_is_refused(text: str) -> None:
    with pytest.raises(EraDateError, match="曜日が日付と合いません.*金曜日"):
        parse_date(text)


@pytest.mark.parametrize(("text", "moment"), [
    ("2026-05-10 10:00", (2026, 5, 10, 10, 0, 0)),
    ("2026-05-10T10:00", (2026, 5, 10, 10, 0, 0)),
    ("2026-05-10T10:00:30", (2026, 5, 10, 10, 0, 30)),
    ("2026-05-10T10:00:30.123", (2026, 5, 10, 10, 0, 30)),
    ("2026-05-10T10:00:00+09:00", (2026, 5, 10, 10, 0, 0)),
    ("2026-05-10T01:00:00Z", (2026, 5, 10, 10, 0, 0)),
    ("2026-05-09T16:30:00Z", (2026, 5, 10, 1, 30, 0)),
    ("2026/05/10 10:00", (2026, 5, 10, 10, 0, 0)),
    ("2026/5/10 9:05:07", (2026, 5, 10, 9, 5, 7)),
    ("2026年5月10日 10時05分", (2026, 5, 10, 10, 5, 0)),
    ("2026/5/10(日) 10:00", (2026, 5, 10, 10, 0, 0)),
    ("令和8年5月10日 10:00", (2026, 5, 10, 10, 0, 0)),
    ("2026/5/10 午後1:30", (2026, 5, 10, 13, 30, 0)),
    ("2026/5/10 1:30 PM", (2026, 5, 10, 13, 30, 0)),
    ("2026/5/10 12:05 AM", (2026, 5, 10, 0, 5, 0)),
    ("2026年5月10日 午前10時", (2026, 5, 10, 10, 0, 0)),
    ("2026-05-10 10:00:00 JST", (2026, 5, 10, 10, 0, 0)),
    ("2026-05-10T10:00:00.000Z", (2026, 5, 10, 19, 0, 0)),
    ("2026-05-10T10:00:00+0900", (2026, 5, 10, 10, 0, 0)),
])
def test_eform_timestamps_give_a_date_and_keep_their_time(text: str, moment: tuple[int, ...]) -> None:
    expected = dt.datetime(*moment, tzinfo=JST)
    assert parse_datetime(text).replace(microsecond=0) == expected
    assert parse_date(text) == expected.date()  # the time is dropped where a date is expected
    assert has_time(text)


def test_a_date_without_time_is_midnight_in_japan_for_a_datetime_field() -> None:
    assert parse_datetime("令和七年九月三十日") == dt.datetime(2025, 9, 30, tzinfo=JST)
    assert not has_time("2025-09-30")


@pytest.mark.parametrize(("text", "reason"), [
    ("平成31年5月1日", "改元"),
    ("平成三十一年五月一日", "改元"),
    ("4310501", "改元"),
    ("令和元年4月30日", "始まり"),
    ("令和元年四月三十日", "始まり"),
    ("5010430", "始まり"),
    ("5000101", "0年"),
    ("6070930", "読めません"),
    ("5071301", "存在しない日付"),
    ("令和七年二月二十九日", "存在しない日付"),
    ("2026-05-10 25:00", "存在しない時刻"),
    ("2026/5/10 午後13:00", "存在しない時刻"),
    ("26/5/1", "読めません"),
    ("令和七年九月三十三十日", "読めません"),
])
def test_boundaries_keep_holding(text: str, reason: str) -> None:
    with pytest.raises(EraDateError, match=reason):
        parse_date(text)


@pytest.mark.parametrize("text", ["平成20.4.1", "H20.4.1", "平成二十年四月一日", "4200401", "平成20年4月1日"])
def test_heisei_20_is_2008_never_2020(text: str) -> None:
    assert parse_date(text) == dt.date(2008, 4, 1)


@given(DATES)
def test_kanji_numeral_round_trip(day: dt.date) -> None:
    assert parse_date(wareki_in_kanji(day)) == day


@given(st.dates(min_value=dt.date(1868, 1, 25), max_value=dt.date(2117, 4, 30)))
def test_era_code_round_trip(day: dt.date) -> None:
    # G+YYMMDD holds era years up to 99
    assert parse_date(format_era_code(day)) == day


@given(DATES, st.sampled_from(["{y}年{m}月{d}日", "{y}年{m:02d}月{d:02d}日", "{y}/{m}/{d}", "{y}.{m:02d}.{d:02d}"]),
       st.sampled_from(["", "({w})", "（{w}）", "({w}曜日)"]))
def test_western_forms_with_weekday_round_trip(day: dt.date, form: str, weekday: str) -> None:
    text = form.format(y=day.year, m=day.month, d=day.day) + weekday.format(w="月火水木金土日"[day.weekday()])
    assert parse_date(text) == day


@given(DATES, st.integers(1, 6))
def test_a_wrong_weekday_is_always_refused(day: dt.date, shift: int) -> None:
    wrong = "月火水木金土日"[(day.weekday() + shift) % 7]
    with pytest.raises(EraDateError, match="曜日"):
        parse_date(f"{format_wareki(day)}（{wrong}）")


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
       st.sampled_from(["{d} {t}", "{d}T{t}", "{d}T{t}+09:00", "{s} {t}"]))
def test_timestamp_round_trip(moment: dt.datetime, form: str) -> None:
    moment = moment.replace(microsecond=0)
    text = form.format(d=moment.date().isoformat(), s=moment.strftime("%Y/%m/%d"), t=moment.strftime("%H:%M:%S"))
    assert parse_datetime(text) == moment.replace(tzinfo=JST)
    assert parse_date(text) == moment.date()


@given(st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2100, 12, 30),
                    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))])))
def test_an_offset_gives_the_date_in_japan(moment: dt.datetime) -> None:
    text = moment.replace(microsecond=0).isoformat()
    assert parse_date(text) == moment.astimezone(JST).date()


@given(st.dates(min_value=dt.date(1868, 1, 25), max_value=dt.date(2019, 4, 30)))
def test_no_day_after_an_era_ends_is_read_in_that_era(day: dt.date) -> None:
    # the day after the last day of the day's era, written in the old era, never parses
    era, year = era_year(day)
    later = [e for e in ERAS if e.start > era.start]
    nxt = min(later, key=lambda e: e.start)
    last = nxt.start - dt.timedelta(days=1)
    after = nxt.start
    years = after.year - era.start.year + 1
    with pytest.raises(EraDateError, match="改元"):
        parse_date(f"{era.name}{years}年{after.month}月{after.day}日")
    assert parse_date(format_wareki(last)) == last
    assert year >= 1
