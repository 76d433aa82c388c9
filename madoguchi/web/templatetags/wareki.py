"""``{{ day|wareki }}``: a date (or date-time, taken in Asia/Tokyo) as 和暦, e.g. 令和8年4月1日."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from madoguchi.core.era import format_wareki

register = template.Library()


@register.filter
def wareki(value: dt.date | dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_wareki(value)
