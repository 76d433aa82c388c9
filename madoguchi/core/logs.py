"""Structured logs: one JSON object per line, and never residents' data.

A log line keeps when, level, logger, a message and the fields a caller passes in ``extra``.  An exception
is written as its type and where it happened (file, line, function for each frame), *without* its message
or local values: a database error's message can quote a resident's name or address (e.g. a unique-key
violation), and logs leave the protected database for the operators' tools.  The request log
(madoguchi.web.security.RequestLogMiddleware) writes the URL pattern, never the path or query string,
because a query string can hold a searched name.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from typing import Any

#: LogRecord attributes that are not caller-given fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
#: Caller-given fields written as they are; any other ``extra`` field is dropped.
ALLOWED_FIELDS = frozenset({
    "method", "route", "status", "duration_ms", "user_id", "role", "worker", "job", "job_id", "event",
    "database", "count", "seconds",
})


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line: ``{"time", "level", "logger", "message", …fields, "exc_type",
    "exc_where"}``.  Django's ``django.request`` records carry the request object: it is not written."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._message(record),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key in ALLOWED_FIELDS:
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)[:200]
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            entry["exc_type"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            entry["exc_where"] = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(tb)][-8:]
        return json.dumps(entry, ensure_ascii=False)

    @staticmethod
    def _message(record: logging.LogRecord) -> str:
        if record.name in ("django.request", "django.server") or record.name.startswith("django.db"):
            # "Internal Server Error: /residents/?q=山田" — the path may hold a searched name; SQL may hold values.
            if record.name == "django.request" and isinstance(record.args, tuple) and record.args:
                return str(record.args[0])[:200]  # the reason phrase only ("Not Found")
            return str(record.msg).split(":", 1)[0][:200]
        return record.getMessage()[:1000]
