from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access
from madoguchi.audit.services.verify import verify_chain


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_append_one_unbroken_chain():
    """Four threads, each with its own connection, append at once: one chain, ids 1..40, no gap."""
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                while True:
                    try:
                        record_access(actor=Actor(user=None, address=f"10.0.0.{n}", channel="test"),
                                      action=AuditEvent.RESIDENT_VIEW, residents=[n * 100 + i])
                        break
                    except OperationalError as exc:
                        # The in-memory SQLite test database uses a shared cache, whose table locks do not
                        # wait (a file database waits up to its busy timeout); wait here instead.
                        if connection.vendor != "sqlite" or "locked" not in str(exc):
                            raise
                        time.sleep(0.005)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = verify_chain()
    assert result.ok, result.problem
    assert result.rows_checked == 40
    assert sorted(AccessLog.objects.values_list("id", flat=True)) == list(range(1, 41))
