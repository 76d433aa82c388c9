"""Bank and office business days (madoguchi.core.calendar)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.calendar import (
    add_bank_business_days,
    is_bank_business_day,
    is_national_holiday,
    is_office_business_day,
    next_bank_business_day,
    next_office_business_day,
)

D = dt.date


def test_weekends_are_closed_for_banks_and_office() -> None:
    saturday, sunday = D(2026, 11, 21), D(2026, 11, 22)
    for day in (saturday, sunday):
        assert not is_bank_business_day(day)
        assert not is_office_business_day(day)
    assert is_bank_business_day(D(2026, 11, 20))


def test_national_holidays_from_jpholiday() -> None:
    assert is_national_holiday(D(2026, 11, 3))  # 文化の日 (Tue)
    assert not is_bank_business_day(D(2026, 11, 3))
    assert not is_office_business_day(D(2026, 11, 3))


def test_2026_09_22_is_a_citizens_holiday_between_two_holidays() -> None:
    # 敬老の日 9/21 (Mon) and 秋分の日 9/23 (Wed) make 9/22 a 国民の休日
    assert is_national_holiday(D(2026, 9, 22))
    assert not is_bank_business_day(D(2026, 9, 22))
    assert next_bank_business_day(D(2026, 9, 19)) == D(2026, 9, 24)


@pytest.mark.parametrize("day", [D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)])
def test_banks_close_12_31_to_1_3(day: dt.date) -> None:
    assert not is_bank_business_day(day)


@pytest.mark.parametrize("day", [D(2025, 12, 29), D(2025, 12, 30)])
def test_banks_open_12_29_and_12_30_but_the_office_does_not(day: dt.date) -> None:
    assert is_bank_business_day(day)
    assert not is_office_business_day(day)


def test_year_end_next_business_days() -> None:
    assert next_bank_business_day(D(2026, 12, 31)) == D(2027, 1, 4)
    assert next_office_business_day(D(2026, 12, 28), include_today=False) == D(2027, 1, 4)
    assert next_office_business_day(D(2026, 12, 28)) == D(2026, 12, 28)
    assert next_bank_business_day(D(2026, 11, 20), include_today=False) == D(2026, 11, 24)  # 11/23 勤労感謝の日


def test_add_bank_business_days_skips_closed_days() -> None:
    assert add_bank_business_days(D(2026, 12, 30), 1) == D(2027, 1, 4)
    assert add_bank_business_days(D(2026, 11, 20), 2) == D(2026, 11, 25)
    assert add_bank_business_days(D(2026, 11, 20), 0) == D(2026, 11, 20)


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)))
def test_next_business_day_is_open_and_nothing_open_is_skipped(day: dt.date) -> None:
    for is_open, following in ((is_bank_business_day, next_bank_business_day),
                               (is_office_business_day, next_office_business_day)):
        nxt = following(day)
        assert is_open(nxt) and nxt >= day
        assert not any(is_open(day + dt.timedelta(days=i)) for i in range((nxt - day).days))


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)))
def test_an_office_day_is_a_bank_day(day: dt.date) -> None:
    if is_office_business_day(day):
        assert is_bank_business_day(day)
