"""Reading the access log: filters, keyset pages (no COUNT(*) over a huge table) and streaming rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import QuerySet

from madoguchi.audit.models import AccessLog
from madoguchi.audit.services.analysis import period_bounds

PAGE_SIZE = 50


@dataclass(frozen=True)
class LogFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    username: str = ""
    organisation: str = ""
    action: str = ""
    allowed: bool | None = None
    resident_id: int | None = None
    program: str = ""
    break_glass: bool = False
    nothing: bool = False  # an invalid filter matches no row

    def describe(self) -> str:
        parts = [f"{f.name}={getattr(self, f.name)}" for f in fields(self)
                 if getattr(self, f.name) not in (None, "", False)]
        return " ".join(parts) or "条件なし"


def filtered_log(f: LogFilter) -> QuerySet[AccessLog]:
    qs = AccessLog.objects.all()
    if f.nothing:
        return qs.none()
    if f.date_from:
        qs = qs.filter(at__gte=period_bounds(f.date_from, f.date_from)[0])
    if f.date_to:
        qs = qs.filter(at__lt=period_bounds(f.date_to, f.date_to)[1])
    if f.username:
        qs = qs.filter(username=f.username)
    if f.organisation:
        qs = qs.filter(organisation=f.organisation)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.allowed is not None:
        qs = qs.filter(allowed=f.allowed)
    if f.program:
        qs = qs.filter(program=f.program)
    if f.break_glass:
        qs = qs.filter(break_glass=True)
    if f.resident_id is not None:
        if connection.vendor == "postgresql":
            qs = qs.filter(resident_ids__contains=[f.resident_id])
        else:  # SQLite has no JSON containment lookup
            qs = qs.extra(where=[  # constant SQL; the id is a parameter
                "EXISTS (SELECT 1 FROM json_each(audit_accesslog.resident_ids) AS r WHERE r.value = %s)"],
                params=[f.resident_id])
    return qs


@dataclass(frozen=True)
class LogPage:
    rows: list[AccessLog]
    newer: int | None  # ``after`` value for the page of newer rows
    older: int | None  # ``before`` value for the page of older rows


def log_page(f: LogFilter, *, before: int | None = None, after: int | None = None,
             size: int = PAGE_SIZE) -> LogPage:
    """Newest first, ``size`` rows, before or after a row id."""
    qs = filtered_log(f)
    if after is not None:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True
    else:
        if before is not None:
            qs = qs.filter(id__lt=before)
        rows = list(qs.order_by("-id")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = before is not None
    return LogPage(rows, rows[0].id if rows and has_newer else None, rows[-1].id if rows and has_older else None)


def iter_log(f: LogFilter, *, chunk: int = 5000) -> Iterator[AccessLog]:
    """All matching rows in id order, read in keyset chunks."""
    after = 0
    qs = filtered_log(f)
    while True:
        rows = list(qs.filter(id__gt=after).order_by("id")[:chunk])
        yield from rows
        if len(rows) < chunk:
            return
        after = rows[-1].id
