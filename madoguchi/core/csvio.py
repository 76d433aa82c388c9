"""Reading uploaded CSV files: size check, encoding detection, header check, rows with line numbers.

Encodings: UTF-8 with or without BOM, and CP932 (Shift_JIS with the Windows extensions).  A file that is
neither is refused with the line of the first undecodable byte.  Nothing here writes to the database;
callers parse every row first and then write in one transaction.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from madoguchi.core.errors import ImportRejected, RowError

MAX_BYTES_DEFAULT = 200 * 1024 * 1024


@dataclass(frozen=True)
class CsvRow:
    line: int  # 1-based physical line of the row (the header is line 1)
    values: dict[str, str]


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name).  Raises ImportRejected naming the line of a broken byte."""
    if not data.strip():
        raise ImportRejected([RowError(0, "", "ファイルが空です")])
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ImportRejected([RowError(_line_of_offset(data, exc.start + 3), "",
                                           "UTF-8 として読めない文字があります")]) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp932"), "cp932"
        except UnicodeDecodeError as exc:
            line = _line_of_offset(data, exc.start)
            raise ImportRejected([RowError(
                line, "", "文字コードを判別できません（UTF-8 でも Shift_JIS/CP932 でもない、または壊れたバイトがあります）"
            )]) from utf8_error


def normalise_header(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().replace(" ", "").replace("　", "")


def read_csv(
    data: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_bytes: int = MAX_BYTES_DEFAULT,
    allow_unknown: bool = True,
    shape_errors: list[RowError] | None = None,
    notes: list[str] | None = None,
) -> tuple[list[str], Iterator[CsvRow]]:
    """Check size, encoding and header; return the header and an iterator of rows.

    Header names are compared after NFKC and with spaces removed.  Empty unnamed columns at the end of the
    header (``,,`` at line ends, which spreadsheet programs add) are ignored, and so are empty values beyond
    the header's columns in any row; ``notes`` (when given) receives a line saying so.  A missing required
    column, an unknown column (when not allowed) or a duplicated column (named in the message, with both
    positions) refuses the whole file.  A row with the wrong number of columns (not counting empty trailing
    values) raises ImportRejected, or is appended to ``shape_errors`` (and skipped) when given.
    """
    if len(data) > max_bytes:
        raise ImportRejected([RowError(0, "", f"ファイルが大きすぎます（上限 {max_bytes // 1024 // 1024} MB）")])
    text, _encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        raw_header = next(reader)
    except StopIteration as exc:
        raise ImportRejected([RowError(0, "", "ファイルが空です")]) from exc
    header = [normalise_header(h) for h in raw_header]
    while len(header) > 1 and not header[-1]:
        header.pop()
    if len(header) < len(raw_header) and notes is not None:
        notes.append(f"行末に名前のない空の列が {len(raw_header) - len(header)} 列あります（表計算ソフトで保存したファイルに"
                     "よくあります）。この列は読み飛ばしました。")
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            label = f"「{name}」" if name else "（名前のない列）"
            errors.append(RowError(1, name, f"列名{label}が重複しています（{seen[name]}列目と{position}列目）"))
        else:
            seen[name] = position
    for name in required:
        if name not in seen:
            errors.append(RowError(1, name, "必須の列がありません"))
    if not allow_unknown:
        known = set(required) | set(optional)
        errors += [RowError(1, name, "想定していない列です") for name in header if name and name not in known]
    if errors:
        raise ImportRejected(errors)

    def rows() -> Iterator[CsvRow]:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and not any(v.strip() for v in values[len(header):]):
                values = values[:len(header)]
            if len(values) != len(header):
                error = RowError(line, "", f"列の数が見出しと違います（見出し {len(header)} 列、この行 {len(values)} 列）")
                if shape_errors is None:
                    raise ImportRejected([error])
                shape_errors.append(error)
                continue
            yield CsvRow(line, {h: v.strip() for h, v in zip(header, values, strict=True)})

    return header, rows()


def read_all_rows(data: bytes, **kwargs: object) -> tuple[list[str], list[CsvRow], list[RowError]]:
    """Like read_csv, but gathers rows and row-shape errors instead of stopping at the first one."""
    errors: list[RowError] = []
    header, iterator = read_csv(data, shape_errors=errors, **kwargs)  # type: ignore[arg-type]
    rows = list(iterator)
    return header, rows, errors
