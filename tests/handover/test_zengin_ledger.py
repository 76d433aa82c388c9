"""A Zengin file exported by payments lands in the hand-over ledger (through core.payables.file_exported)."""

from __future__ import annotations

import pytest

from madoguchi.accounts.context import Actor
from madoguchi.handover.models import EntryKind, LedgerEntry
from madoguchi.payments.services.batches import create_batch, lock_batch
from madoguchi.payments.services.export import export_batch
from tests.payments.factories import make_program, offering, payable, transfer_day


@pytest.fixture
def offer():
    with offering() as o:
        yield o


def test_every_zengin_export_has_its_ledger_row(department, staff_user, offer):
    program = make_program(department)
    actor = Actor(user=staff_user, address="127.0.0.1", channel="test")
    offer.items = [payable(n) for n in range(1, 4)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    lock_batch(batch=batch, actor=actor)
    exported = export_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)  # re-issue of the same bytes
    entry = LedgerEntry.objects.get(kind=EntryKind.ZENGIN)
    assert entry.sha256 == exported.sha256 and entry.record_count == 3
    assert entry.file_name == exported.filename and entry.program == program
    assert entry.handler == staff_user and entry.return_due is None
