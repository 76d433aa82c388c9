"""Two operators creating batches at the same moment cannot both take the same payable.

Runs on PostgreSQL only (CI runs the suite on PostgreSQL): SQLite serialises writers on the whole
database, so it cannot show the race.  Each thread has its own database connection.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from madoguchi.core.errors import BusinessRuleError
from madoguchi.payments.models import PaymentBatch, PaymentItem
from madoguchi.payments.services import batches
from madoguchi.payments.services.batches import BatchConflict, create_batch
from tests.payments.factories import payable, transfer_day

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="同時実行のテストは PostgreSQL でだけ意味があります（SQLite はデータベース全体で書き込みを直列化します）"),
]

N = 40


def _race(program, actor, *, start: threading.Barrier) -> list[object]:
    outcomes: list[object] = [None, None]

    def run(slot: int) -> None:
        try:
            start.wait(timeout=20)
            outcomes[slot] = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
        except Exception as exc:
            outcomes[slot] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _assert_one_batch_took_everything(outcomes: list[object], expected_error: type[Exception]) -> None:
    created = [o for o in outcomes if isinstance(o, PaymentBatch)]
    refused = [o for o in outcomes if isinstance(o, expected_error)]
    assert len(created) == 1 and len(refused) == 1, outcomes
    assert PaymentBatch.objects.count() == 1
    assert PaymentItem.objects.count() == N
    assert PaymentItem.objects.values("source_ref").distinct().count() == N


def test_row_lock_serialises_two_operators(program, offer, actor):
    # given N payables and two operators pressing "create" together
    offer.items = [payable(n) for n in range(1, N + 1)]
    # when
    outcomes = _race(program, actor, start=threading.Barrier(2))
    # then the second waited for the first and found nothing left
    _assert_one_batch_took_everything(outcomes, BusinessRuleError)


def test_constraint_stops_the_race_when_the_lock_is_missed(program, offer, actor, monkeypatch):
    # given both operators read the payables before either writes (the row lock bypassed)
    offer.items = [payable(n) for n in range(1, N + 1)]
    both_read = threading.Barrier(2)
    original_profile = batches._profile
    monkeypatch.setattr(batches, "_profile", lambda program, *, lock: original_profile(program, lock=False))
    real_payables_for = batches.payables_for

    def slow_payables_for(code: str, program_type: str | None = None):
        found = real_payables_for(code, program_type)
        both_read.wait(timeout=20)
        return found

    monkeypatch.setattr(batches, "payables_for", slow_payables_for)
    # when
    outcomes = _race(program, actor, start=threading.Barrier(2))
    # then the partial unique index refused the second insert, and its batch row was rolled back with it
    _assert_one_batch_took_everything(outcomes, BatchConflict)
