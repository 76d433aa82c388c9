"""Formula injection (issue 16 item 2): the phone field takes only phone numbers; the pair file is text."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.casework.matching import Pair
from madoguchi.casework.services.intake import normalise_phone, parse_application
from madoguchi.casework.services.pair_files import pairs_csv
from madoguchi.core.sheets import is_formula_text


@pytest.mark.parametrize("text, expected", [
    ("03-1234-5678", "03-1234-5678"), ("０９０１２３４５６７８", "09012345678"), ("03(1234)5678", "03-1234-5678"),
    ("0120-123-456", "0120-123-456"), ("050 1234 5678", "050-1234-5678"),
])
def test_phone_numbers_are_accepted_and_normalised(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+81-3-1234-5678", "-0312345678", "@0312345678",
                                  "03-1234-567", "031234567890", "電話なし", "03--1234-5678x", "1234567890"])
def test_anything_else_is_refused(text):
    assert normalise_phone(text) is None


def test_the_application_names_the_phone_field():
    _app, errors = parse_application({"phone": "=1+1"}, line=7, required=())
    assert [(e.line, e.column) for e in errors] == [(7, "電話番号")]


def test_pair_file_ids_from_uploaded_lists_are_text():
    pairs = [Pair(left_id="=1+1", right_id="@SUM(A1)", score=0.9, verdict="候補", name_similarity=1.0,
                  address_similarity=1.0)]
    rows = list(csv.reader(io.StringIO(pairs_csv(pairs))))
    assert rows[1][:2] == ["'=1+1", "'@SUM(A1)"]
    assert not any(is_formula_text(c) for r in rows for c in r)


@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=10))
def test_property_no_pair_file_cell_starts_a_formula(ids):
    pairs = [Pair(left_id=a, right_id=b, score=0.5, verdict="候補", name_similarity=0.5, address_similarity=0.5)
             for a, b in ids]
    rows = list(csv.reader(io.StringIO(pairs_csv(pairs), newline="")))
    assert not any(is_formula_text(c) for r in rows for c in r)
