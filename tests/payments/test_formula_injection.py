"""Formula injection (issue 16 item 2): the payment summary XLSX holds text, never a formula."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from madoguchi.core.sheets import is_formula_text
from madoguchi.payments.services.batches import create_batch, lock_batch
from madoguchi.payments.services.export import export_batch
from madoguchi.payments.services.summary import summary_xlsx
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


def test_payee_name_beginning_with_a_formula_is_text_in_the_summary(program, offer, actor):
    offer.items = [payable(1, payee_name='=HYPERLINK("http://evil.example","x")'), payable(2, payee_name="+1+1")]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    lock_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)
    batch.refresh_from_db()
    book = load_workbook(io.BytesIO(summary_xlsx(batch)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert not any(isinstance(c.value, str) and is_formula_text(c.value) for c in cells)
    assert "'+1+1" in [c.value for c in cells]
