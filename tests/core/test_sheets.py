"""The one spreadsheet writer: no cell the project writes starts a formula (OWASP CSV Injection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from madoguchi.core.sheets import (
    FORMULA_TRIGGERS,
    append_row,
    csv_writer,
    is_formula_text,
    neutralise,
    safe_cell,
)

ROOT = Path(__file__).resolve().parents[2] / "madoguchi"

cells = st.one_of(
    st.text(alphabet=st.sampled_from("=+-@\t\r'\"山田,0a \n"), max_size=8),
    st.text(max_size=12),
    st.sampled_from(['=HYPERLINK("http://x","a")', "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=cmd|'/c calc'!A0"]),
    st.integers(-10**9, 10**9),
    st.none(),
)
rows = st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5)


def test_each_trigger_is_neutralised_and_plain_text_is_kept():
    for trigger in FORMULA_TRIGGERS:
        assert neutralise(trigger + "1+1") == "'" + trigger + "1+1"
    assert neutralise('=HYPERLINK("http://evil","x")') == '\'=HYPERLINK("http://evil","x")'
    assert neutralise("山田 太郎") == "山田 太郎" and neutralise("") == ""
    assert safe_cell(-500) == -500 and safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1) and safe_cell(None) is None


@given(rows)
def test_no_csv_cell_read_back_starts_a_formula(data):
    out = io.StringIO()
    csv_writer(out, lineterminator="\r\n").writerows(data)
    for written in csv.reader(io.StringIO(out.getvalue(), newline="")):
        for cell in written:
            # a typed number (written as -123) is a number in Excel, never a formula
            assert not is_formula_text(cell) or re.fullmatch(r"-\d+", cell), cell


@given(rows, st.booleans())
def test_no_xlsx_cell_is_a_formula_or_formula_text(data, write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    for row in data:
        append_row(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    book = load_workbook(io.BytesIO(buf.getvalue()))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                assert not (isinstance(cell.value, str) and is_formula_text(cell.value)), cell.value


def test_every_spreadsheet_writer_goes_through_core_sheets():
    """One place: csv.writer/DictWriter only in core/sheets.py; every openpyxl user imports core.sheets."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or path.name == "sheets.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(", text):
            offenders.append(f"{path}: csv.writer")
        if "openpyxl" in text and ("Workbook(" in text) and "madoguchi.core.sheets" not in text:
            offenders.append(f"{path}: openpyxl without core.sheets")
        if re.search(r"\b(ws|sheet|worksheet|totals)\.append\(", text):
            offenders.append(f"{path}: worksheet.append")
    assert offenders == []
