"""Bank business days and municipal office business days.

Banks close on Saturdays, Sundays, national holidays and 12/31–1/3 (銀行法施行令 §5).
The ward office closes on Saturdays, Sundays, national holidays and 12/29–1/3 (区の休日を定める条例).
National holidays come from jpholiday (内閣府 data).
"""

from __future__ import annotations

import datetime as dt

import jpholiday


def is_national_holiday(day: dt.date) -> bool:
    return bool(jpholiday.is_holiday(day))


def is_bank_business_day(day: dt.date) -> bool:
    if day.weekday() >= 5 or is_national_holiday(day):
        return False
    return not ((day.month == 12 and day.day == 31) or (day.month == 1 and day.day <= 3))


def is_office_business_day(day: dt.date) -> bool:
    if day.weekday() >= 5 or is_national_holiday(day):
        return False
    return not ((day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3))


def next_bank_business_day(day: dt.date, *, include_today: bool = True) -> dt.date:
    current = day if include_today else day + dt.timedelta(days=1)
    while not is_bank_business_day(current):
        current += dt.timedelta(days=1)
    return current


def next_office_business_day(day: dt.date, *, include_today: bool = True) -> dt.date:
    """A filing deadline that falls on an office holiday moves to the next office business day."""
    current = day if include_today else day + dt.timedelta(days=1)
    while not is_office_business_day(current):
        current += dt.timedelta(days=1)
    return current


def add_bank_business_days(day: dt.date, count: int) -> dt.date:
    current = day
    remaining = count
    while remaining > 0:
        current = next_bank_business_day(current, include_today=False)
        remaining -= 1
    return current
