"""Formula injection (issue 16 item 2): the personal-information file register (CSV and XLSX)."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from madoguchi.core.sheets import is_formula_text
from madoguchi.register.documents.file_register import COLUMNS, to_csv, to_xlsx

texts = st.one_of(st.text(max_size=10), st.sampled_from(["=1+1", "+1", "-1+1", "@A1", "\t=1", "\r=1"]))
registers = st.lists(st.lists(texts, min_size=len(COLUMNS), max_size=len(COLUMNS)), min_size=1, max_size=4)


@given(registers)
def test_no_cell_of_the_file_register_starts_a_formula(rows):
    lines = list(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig"), newline="")))
    assert not any(is_formula_text(cell) for line in lines for cell in line)
    book = load_workbook(io.BytesIO(to_xlsx(rows)))
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f" and not (isinstance(cell.value, str) and is_formula_text(cell.value))


def test_a_purpose_typed_as_a_formula_is_text():
    row = ["code", "=HYPERLINK(\"http://evil.example\",\"x\")"] + [""] * (len(COLUMNS) - 2)
    text = to_csv([row]).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert load_workbook(io.BytesIO(to_xlsx([row]))).active.cell(row=2, column=2).data_type == "s"
