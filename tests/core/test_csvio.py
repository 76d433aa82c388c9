"""Reading uploaded CSV files (madoguchi.core.csvio)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.csvio import decode, read_all_rows, read_csv
from madoguchi.core.errors import ImportRejected

CSV = "住民番号,氏名\r\n1,髙橋　一郎\r\n2,渡邉　花子\r\n"


def rows_of(data: bytes) -> list[tuple[int, dict[str, str]]]:
    _header, rows = read_csv(data, required=["住民番号", "氏名"])
    return [(r.line, r.values) for r in rows]


@pytest.mark.parametrize(("data", "encoding"), [
    (CSV.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + CSV.encode("utf-8"), "utf-8-sig"),
    (CSV.encode("cp932"), "cp932"),
])
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    assert decode(data)[1] == encoding
    assert rows_of(data) == [(2, {"住民番号": "1", "氏名": "髙橋　一郎"}), (3, {"住民番号": "2", "氏名": "渡邉　花子"})]


def test_cp932_extensions_are_read() -> None:
    data = "住民番号,氏名\n1,①髙﨑\n".encode("cp932")
    assert rows_of(data)[0][1]["氏名"] == "①髙﨑"


def test_a_broken_cp932_byte_names_its_line() -> None:
    data = "住民番号,氏名\n1,山田\n".encode("cp932") + b"2,\x82\xff\n"
    with pytest.raises(ImportRejected) as exc:
        read_csv(data, required=["住民番号"])
    assert [e.line for e in exc.value.errors] == [3]
    assert "文字コード" in str(exc.value)


def test_a_broken_byte_after_a_bom_names_its_line() -> None:
    data = b"\xef\xbb\xbf" + "住民番号\n1\n".encode() + b"\xff\n"
    with pytest.raises(ImportRejected) as exc:
        read_csv(data, required=["住民番号"])
    assert exc.value.errors[0].line == 3


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(ImportRejected, match="空"):
        read_csv(data, required=["住民番号"])


def test_a_missing_required_column_is_named() -> None:
    with pytest.raises(ImportRejected) as exc:
        read_csv("住民番号,氏名\n1,a\n".encode(), required=["住民番号", "氏名", "生年月日"])
    assert [(e.line, e.column) for e in exc.value.errors] == [(1, "生年月日")]


def test_header_names_are_compared_after_nfkc_and_without_spaces() -> None:
    header, _ = read_csv("住民番号 ,ｼﾒｲ\n1,a\n".encode(), required=["住民番号", "シメイ"])
    assert header == ["住民番号", "シメイ"]


def test_duplicate_and_unknown_columns() -> None:
    with pytest.raises(ImportRejected) as exc:
        read_csv("住民番号,住民番号,謎\n".encode(), required=["住民番号"], allow_unknown=False)
    assert {e.reason for e in exc.value.errors} == {"列名「住民番号」が重複しています（1列目と2列目）", "想定していない列です"}


def test_too_large_a_file_is_refused() -> None:
    with pytest.raises(ImportRejected, match="大きすぎます"):
        read_csv(b"a\n" * 100, required=[], max_bytes=10)


def test_blank_lines_are_skipped_and_line_numbers_stay_physical() -> None:
    assert [line for line, _ in rows_of("住民番号,氏名\n\n1,a\n,\n2,b\n".encode())] == [3, 5]


def test_quoted_newlines_keep_the_line_number_of_the_row_end() -> None:
    rows = rows_of('住民番号,氏名\n1,"a\nb"\n2,c\n'.encode())
    assert rows[0][1]["氏名"] == "a\nb"
    assert rows[1][0] == 4


def test_wrong_number_of_columns_is_reported_with_its_line() -> None:
    _header, rows, errors = read_all_rows("住民番号,氏名\n1,a\n2\n".encode(), required=["住民番号"])
    assert len(rows) == 1
    assert [(e.line, "列の数" in e.reason) for e in errors] == [(3, True)]


def test_every_row_of_the_wrong_shape_is_reported() -> None:
    _header, rows, errors = read_all_rows("住民番号,氏名\n1\n2,b\n3,c,d\n".encode(), required=["住民番号"])
    assert [r.line for r in rows] == [3]
    assert [e.line for e in errors] == [2, 4]


# --- files as spreadsheets save them (issue 19 item 2)

def test_excel_empty_trailing_columns_are_ignored() -> None:
    # given an extract whose every line ends in ",," (Excel adds them)
    data = "住民番号,氏名,,\r\n1,髙橋　一郎,,\r\n2,渡邉　花子,,\r\n".encode()
    notes: list[str] = []
    # when it is read
    header, rows = read_csv(data, required=["住民番号", "氏名"], notes=notes)
    # then the unnamed columns are gone and the rows are read, with a note for the screen
    assert header == ["住民番号", "氏名"]
    assert [(r.line, r.values) for r in rows] == [(2, {"住民番号": "1", "氏名": "髙橋　一郎"}),
                                                  (3, {"住民番号": "2", "氏名": "渡邉　花子"})]
    assert notes and "空の列が 2 列" in notes[0]


def test_trailing_empty_values_beyond_the_header_are_ignored_in_rows_too() -> None:
    _header, rows, errors = read_all_rows("住民番号,氏名\n1,a,,\n2,b\n".encode(), required=["住民番号"])
    assert [r.values["氏名"] for r in rows] == ["a", "b"] and errors == []


def test_a_value_beyond_the_header_is_still_an_error() -> None:
    _header, rows, errors = read_all_rows("住民番号,氏名,,\n1,a,,x\n".encode(), required=["住民番号"])
    assert rows == [] and [(e.line, "列の数" in e.reason) for e in errors] == [(2, True)]


def test_a_truly_duplicated_header_is_named() -> None:
    with pytest.raises(ImportRejected) as exc:
        read_csv("住民番号,氏名,住民番号,,\n1,a,1,,\n".encode(), required=["住民番号"])
    assert [(e.line, e.column) for e in exc.value.errors] == [(1, "住民番号")]
    assert "「住民番号」が重複しています（1列目と3列目）" in str(exc.value)


def test_an_unnamed_column_between_named_ones_is_kept_and_a_second_one_is_named() -> None:
    with pytest.raises(ImportRejected, match="名前のない列"):
        read_csv("住民番号,,氏名,,x\n".encode(), required=["住民番号"])


@given(st.lists(st.sampled_from(["住民番号", "氏名", "生年月日", "住所"]), min_size=1, max_size=4, unique=True),
       st.integers(0, 5), st.integers(0, 5))
def test_any_number_of_trailing_empty_columns_reads_like_none(columns: list[str], head_extra: int,
                                                              row_extra: int) -> None:
    plain = ",".join(columns) + "\n" + ",".join(f"v{i}" for i in range(len(columns))) + "\n"
    padded = (",".join(columns) + "," * head_extra + "\n" + ",".join(f"v{i}" for i in range(len(columns)))
              + "," * row_extra + "\n")
    expected = read_all_rows(plain.encode(), required=columns)
    got = read_all_rows(padded.encode(), required=columns)
    assert got[0] == expected[0]
    assert [(r.line, r.values) for r in got[1]] == [(r.line, r.values) for r in expected[1]]
    assert got[2] == []
