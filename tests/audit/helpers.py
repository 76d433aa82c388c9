"""Writing access-log rows at a chosen time (the log takes its time from the clock, never from callers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access

TOKYO = ZoneInfo("Asia/Tokyo")


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)  # type: ignore[misc]


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    class Fixed(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return moment.astimezone(tz)

    with mock.patch("madoguchi.audit.services.record.datetime", Fixed):
        yield


def log_at(moment: dt.datetime, actor: Any, action: AuditEvent = AuditEvent.RESIDENT_VIEW, **kwargs: Any) -> AccessLog:
    with clock(moment):
        return record_access(actor=actor, action=action, **kwargs)
