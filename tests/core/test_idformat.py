"""Fixed-width identifiers and spreadsheet signs (madoguchi.core.idformat; issue 19 item 1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.idformat import (
    FORMATS,
    IdFormat,
    SheetSigns,
    check_identifier,
    declared_format,
    padded_width,
)


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("郵便番号", "600001", "先頭の0"),
    ("郵便番号", "16000233", "7桁"),
    ("郵便番号", "160-002", "先頭の0"),
    ("口座番号", "12345", "先頭の0"),
    ("口座番号", "12a4567", "7桁の数字"),
    ("口座番号", "1.23457E+06", "指数表記"),
])
def test_fixed_width_identifiers_are_refused_with_a_reason(column: str, value: str, reason: str) -> None:
    _text, got = check_identifier(value, FORMATS[column], hyphen_at=3 if column == "郵便番号" else 0)
    assert reason in got


@pytest.mark.parametrize(("column", "value", "text"), [
    ("郵便番号", "160-0023", "1600023"), ("郵便番号", "１６０－００２３", "1600023"), ("口座番号", "0012345", "0012345"),
])
def test_well_formed_identifiers_pass(column: str, value: str, text: str) -> None:
    assert check_identifier(value, FORMATS[column], hyphen_at=3) == (text, "")


def test_declared_widths_come_from_the_setting(settings) -> None:
    settings.MADOGUCHI_ID_WIDTHS = {"認定番号": 8, "住民番号": 6}
    assert declared_format("認定番号").width == 8
    assert "8桁" in check_identifier("123", declared_format("認定番号"))[1]
    assert check_identifier("000012", declared_format("住民番号")) == ("000012", "")
    assert "先頭の0" in check_identifier("12", declared_format("住民番号"))[1]
    settings.MADOGUCHI_ID_WIDTHS = {}
    assert declared_format("認定番号").width == 0 and check_identifier("123", declared_format("認定番号"))[1] == ""


def test_padded_width_needs_a_leading_zero() -> None:
    assert padded_width(["000012", "123456", "12"]) == 6
    assert padded_width(["12", "345", "100000001"]) == 0
    assert padded_width(["A0001", "0", ""]) == 0


@given(st.integers(1, 12), st.integers(0, 10**12), st.integers(1, 12))
def test_any_value_shorter_than_the_width_is_refused_and_the_padded_one_passes(width: int, number: int,
                                                                               cut: int) -> None:
    number %= 10**width
    padded = f"{number:0{width}d}"
    fmt = IdFormat("認定番号", width)
    assert check_identifier(padded, fmt) == (padded, "")
    stripped = padded[min(cut, width):]
    if stripped:
        assert "先頭の0" in check_identifier(stripped, fmt)[1]


def test_sheet_signs_messages() -> None:
    signs = SheetSigns()
    assert signs.messages() == [] and not signs.edited
    signs.see_date("生年月日", "2025/9/30")
    signs.see_date("生年月日", "2025/09/30")  # zero-padded: not how a spreadsheet writes it back
    signs.see_date("生年月日", "令和7年9月30日")
    signs.see_identifier("住民番号", "住民番号は6桁の数字です（この値は2桁: 12）。先頭の0が消えていませんか。")
    text = "\n".join(signs.messages())
    assert signs.sheet_dates["生年月日"] == 1 and "「住民番号」列の 1行で先頭の0" in text and signs.edited
