"""Fixed-width identifiers in imported files, and the signs that a file went through a spreadsheet program.

A spreadsheet program (Excel, LibreOffice Calc) that opens a CSV and saves it again reads every column that
looks like a number as a number: 住民番号 ``000012`` becomes ``12``, 郵便番号 ``0600001`` becomes ``600001``,
口座番号 ``0012345`` becomes ``12345``, long numbers become ``1.23457E+11``, ``2025-09-30`` becomes
``2025/9/30``, and empty columns (``,,``) appear at line ends.  An identifier that lost its zeros is another
identifier: imported silently it creates a second person or pays another account.  So each identifier
column has a declared format (:data:`FORMATS`: digits and width) and a value that does not fit is refused
with the line, the column and the reason, while :class:`SheetSigns` gathers what the import screen says
about the file as a whole.

Widths: 郵便番号 7 digits (日本郵便 郵便番号の桁数), 口座番号 7 digits (全銀協 全銀フォーマット), fixed.  住民番号,
世帯番号 and 認定番号 depend on the ward's system: the operator declares them in the setting
``MADOGUCHI_ID_WIDTHS`` (e.g. ``{"住民番号": 6}``); where nothing is declared, a number written with leading
zeros (in the master or the file) shows that the column is zero-padded and gives its width
(:func:`padded_width`), and a number without any leading zero anywhere is taken as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class IdFormat:
    """The format of one identifier column: ``width`` digits (0: not fixed).  ``digits_only`` False: the
    column may also hold letters (an inferred width applies to its digit-only values only)."""

    column: str
    width: int
    example: str = ""
    digits_only: bool = True


FORMATS: dict[str, IdFormat] = {
    "郵便番号": IdFormat("郵便番号", 7, "160-0023"),
    "口座番号": IdFormat("口座番号", 7, "0012345"),
    "住民番号": IdFormat("住民番号", 0),
    "世帯番号": IdFormat("世帯番号", 0),
    "認定番号": IdFormat("認定番号", 0),
}
_EXPONENT = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)
_SHEET_DATE = re.compile(r"^\d{4}/\d{1,2}/\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
LOST_ZEROS_HINT = "表計算ソフトで開いて保存すると先頭の0が消えます。元のファイルから取り込み直してください"


def declared_format(column: str) -> IdFormat:
    """The format of an identifier column: ``MADOGUCHI_ID_WIDTHS`` overrides the width in :data:`FORMATS`."""
    base = FORMATS.get(column, IdFormat(column, 0))
    widths: dict[str, int] = getattr(settings, "MADOGUCHI_ID_WIDTHS", {}) or {}
    return IdFormat(column, int(widths[column]), base.example) if column in widths else base


def padded_width(values: Iterable[str]) -> int:
    """The width shown by zero-padded numbers among ``values`` (the most common length of the digit-only
    values that start with 0), or 0 when none is zero-padded."""
    lengths = Counter(len(v) for v in values if len(v) > 1 and v[0] == "0" and v.isdigit())
    return lengths.most_common(1)[0][0] if lengths else 0


def check_identifier(value: str, fmt: IdFormat, *, hyphen_at: int = 0) -> tuple[str, str]:
    """(normalised value, reason it is refused) for one identifier; the reason is "" when it fits.

    Full-width digits are read as half width; ``hyphen_at`` allows one hyphen after that many digits
    (郵便番号 160-0023).  A digit-only value shorter than the width is refused as lost leading zeros, an
    exponent form (1.2E+11) as a number a spreadsheet rewrote."""
    text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()
    if hyphen_at and len(text) > hyphen_at and text[hyphen_at] == "-":
        text = text[:hyphen_at] + text[hyphen_at + 1:]
    if text.isascii() and text.isdigit() and (not fmt.width or len(text) == fmt.width):
        return text, ""  # the common case, checked first: a register's numbers are mostly well formed
    if _EXPONENT.match(text):
        return text, (f"{fmt.column}が数値の指数表記（{text}）になっています。表計算ソフトが数字を数値に変えたためです。"
                      "元のファイルから取り込み直してください")
    if not fmt.width or (not fmt.digits_only and not text.isdigit()):
        return text, ""
    example = f"（例 {fmt.example}）" if fmt.example else ""
    if not text.isdigit() or not text.isascii():
        return text, f"{fmt.column}は{fmt.width}桁の数字です{example}: {value}"
    if len(text) < fmt.width:
        return text, (f"{fmt.column}は{fmt.width}桁の数字です（この値は{len(text)}桁: {value}）。"
                      f"先頭の0が消えていませんか。{LOST_ZEROS_HINT}")
    if len(text) > fmt.width:
        return text, f"{fmt.column}は{fmt.width}桁の数字です（この値は{len(text)}桁: {value}）"
    return text, ""


@dataclass
class SheetSigns:
    """What suggests that a file was opened and saved in a spreadsheet program (shown on the import screen)."""

    lost_zeros: Counter[str] = field(default_factory=Counter)  # column → rows
    exponents: Counter[str] = field(default_factory=Counter)
    sheet_dates: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # e.g. from core.csvio.read_csv (trailing empty columns)

    def see_identifier(self, column: str, reason: str) -> None:
        if "先頭の0" in reason:
            self.lost_zeros[column] += 1
        elif "指数表記" in reason:
            self.exponents[column] += 1

    def see_date(self, column: str, text: str) -> None:
        """Count a date written the way a Japanese-locale spreadsheet writes it back (2025/9/30)."""
        if _SHEET_DATE.match(text) and not re.match(r"^\d{4}/\d{2}/\d{2}", text):
            self.sheet_dates[column] += 1

    @property
    def edited(self) -> bool:
        return bool(self.lost_zeros or self.exponents or self.sheet_dates or self.notes)

    def messages(self) -> list[str]:
        """Japanese lines for the import screen; empty when nothing suggests a spreadsheet."""
        out = list(self.notes)
        for column, count in self.lost_zeros.items():
            out.append(f"「{column}」列の {count}行で先頭の0が消えているようです。")
        for column, count in self.exponents.items():
            out.append(f"「{column}」列の {count}行が数値の指数表記（1.2E+11 など）になっています。")
        for column, count in self.sheet_dates.items():
            out.append(f"「{column}」列の {count}行の日付が 2025/9/30 の形に書き換えられています（日付としては読めます）。")
        if out:
            out.insert(0, "このファイルは表計算ソフト（Excel など）で開いて保存されたようです。")
        return out
