"""和暦 formatting and parsing (madoguchi.core.era)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.era import EraDateError, fiscal_year_wareki, format_wareki, format_wareki_year, parse_date

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
