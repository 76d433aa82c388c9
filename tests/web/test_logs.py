"""Structured logs: JSON lines with the request's pattern and status, never residents' data."""

from __future__ import annotations

import json
import logging

import pytest

from madoguchi.core.logs import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _record(name: str, msg: str, args: tuple = (), exc: bool = False, **extra) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError('duplicate key value violates unique constraint: Key (name)=(山田太郎)')
        except ValueError:
            import sys
            exc_info = sys.exc_info()
    record = logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)
    for k, v in extra.items():
        setattr(record, k, v)
    return record


def test_an_exception_is_logged_by_type_and_place_not_by_message():
    line = JsonFormatter().format(_record("django.request", "%s: %s", ("Internal Server Error", "/residents/?q=山田太郎"),
                                          exc=True))
    entry = json.loads(line)
    assert entry["message"] == "Internal Server Error" and entry["exc_type"] == "builtins.ValueError"
    assert "山田" not in line and "q=" not in line and entry["exc_where"]


def test_only_known_fields_are_written():
    entry = json.loads(JsonFormatter().format(_record("madoguchi.request", "request", route="/residents/<int:pk>/",
                                                      status=200, name_searched="山田")))
    assert entry["route"] == "/residents/<int:pk>/" and entry["status"] == 200 and "name_searched" not in entry


def test_each_request_is_one_json_line_with_the_url_pattern(login_client, staff_user, caplog):
    client = login_client(staff_user)
    with caplog.at_level(logging.INFO, logger="madoguchi.request"):
        client.get("/residents/?q=山田太郎")
    records = [r for r in caplog.records if r.name == "madoguchi.request"]
    assert records and records[-1].route == "/residents/" and records[-1].status in (200, 403)
    line = JsonFormatter().format(records[-1])
    assert "山田" not in line and json.loads(line)["user_id"] == staff_user.pk
