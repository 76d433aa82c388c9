from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest
from django.db import OperationalError, connection, transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access
from madoguchi.audit.services.verify import verify_chain


def _record(n: int, i: int) -> None:
    while True:
        try:
            record_access(actor=Actor(user=None, address=f"10.0.0.{n}", channel="test"),
                          action=AuditEvent.RESIDENT_VIEW, residents=[n * 100 + i])
            return
        except OperationalError as exc:
            # The in-memory SQLite test database uses a shared cache, whose table locks do not
            # wait (a file database waits up to its busy timeout); wait here instead.
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.005)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_append_unbroken_chains():
    """Eight threads, each with its own connection, append at once: every chain numbered 1..n without a gap,
    80 rows in all, and the chains verify."""
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                _record(n, i)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = verify_chain()
    assert result.ok, result.problem
    assert result.rows_checked == 80
    seqs: dict[int, list[int]] = defaultdict(list)
    for chain, seq in AccessLog.objects.values_list("chain", "seq"):
        seqs[chain].append(seq)
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in seqs.values())
    assert sum(len(s) for s in seqs.values()) == 80


@pytest.mark.django_db(transaction=True)
def test_a_writer_holding_its_transaction_does_not_stop_the_others():
    """PostgreSQL: one request keeps its transaction (and its chain head) open; another request's row is still
    written at once, on another chain (ADR 0019) — one head row would make it wait (lock_timeout fails it)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time by design")  # CI runs this on PostgreSQL
    # the first row ever creates the chain heads (migrations do it too; the test database was flushed)
    record_access(actor=Actor(user=None, channel="test"), action=AuditEvent.RESIDENT_VIEW)
    holding = threading.Event()
    release = threading.Event()
    chains: list[int] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                chains.append(record_access(actor=Actor(user=None, channel="test"),
                                            action=AuditEvent.RESIDENT_VIEW).chain)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
            chains.append(record_access(actor=Actor(user=None, channel="test"),
                                        action=AuditEvent.RESIDENT_VIEW).chain)
    finally:
        release.set()
        holder.join()
    assert len(set(chains)) == 2
    assert verify_chain().ok
