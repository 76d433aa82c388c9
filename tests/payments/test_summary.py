"""The accounting office's summary: XLSX with every item (account numbers masked), PDF with totals."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from madoguchi.payments.services.batches import create_batch, lock_batch
from madoguchi.payments.services.export import export_batch
from madoguchi.payments.services.summary import bank_totals, summary_pdf, summary_xlsx
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


def test_xlsx_lists_every_item_and_the_totals_by_bank(program, offer, actor):
    offer.items = [payable(n, account_number=f"99{n:05d}") for n in range(1, 9)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    lock_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)
    batch.refresh_from_db()
    book = load_workbook(io.BytesIO(summary_xlsx(batch)))
    rows = list(book["振込明細"].iter_rows(values_only=True))
    items = rows[5:]
    assert len(items) == 8
    assert sum(r[10] for r in items) == batch.total_amount
    assert all(str(r[9]).startswith("***") for r in items)
    assert not any("99000" in str(cell) for r in items for cell in r)  # full account numbers never appear
    totals = list(book["金融機関別"].iter_rows(values_only=True))
    assert totals[-1][2:] == (8, batch.total_amount)
    assert sum(t.count for t in bank_totals(batch)) == 8
    pdf = summary_pdf(batch)
    assert pdf.startswith(b"%PDF-") and b"IPAex" in pdf  # the Japanese font is embedded
