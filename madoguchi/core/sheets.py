"""Writing spreadsheets safely: every CSV and XLSX cell the project writes passes through here.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and
LibreOffice as a formula (CSV injection, also called formula injection): ``=HYPERLINK("http://…","…")``
typed as a user name or an applicant's address becomes a live link or a DDE call when the privacy office
opens the access-log CSV.  The rule applied is OWASP's "CSV Injection" guidance
(https://owasp.org/www-community/attacks/CSV_Injection): prefix such a cell with a single quote so that
the spreadsheet shows it as text.  The same rule is applied to XLSX cells, which are moreover always
written as text (never as formulas).

Only text is changed.  Numbers (``int``, ``float``, ``Decimal``), dates and ``None`` keep their type, so a
negative amount stays a number.  Fixed-width bank files (Zengin) are not spreadsheets and do not use
this module.

Use :func:`csv_writer` in place of :func:`csv.writer`, and :func:`append_row` (or :func:`safe_row`) in
place of ``worksheet.append``.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

#: Leading characters that make a spreadsheet treat a cell as a formula (OWASP CSV Injection).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_PASS_THROUGH = (int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def neutralise(value: str) -> str:
    """Return ``value`` prefixed with ``'`` when it begins with a formula trigger, else unchanged.

    ``"=HYPERLINK(…)"`` → ``"'=HYPERLINK(…)"``; ``"山田"`` → ``"山田"``.  Idempotent for safe text.
    """
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_cell(value: Any) -> Any:
    """One cell made safe: text through :func:`neutralise`; numbers, dates, booleans and None unchanged;
    anything else (enum labels, lazy strings, …) converted with ``str`` and neutralised."""
    if value is None or isinstance(value, (bool, *_PASS_THROUGH)):
        return value
    return neutralise(str(value))


def safe_row(row: Iterable[Any]) -> list[Any]:
    """A row of cells made safe with :func:`safe_cell`."""
    return [safe_cell(v) for v in row]


def is_formula_text(value: str) -> bool:
    """True when text, as written, would be read as a formula (used by the tests of every writer)."""
    return value.startswith(FORMULA_TRIGGERS)


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeCsvWriter:
    """A :func:`csv.writer` whose rows pass through :func:`safe_row`.  ``writerow`` returns what the
    underlying writer returns (the written text for an ``Echo`` buffer used in streaming)."""

    def __init__(self, fileobj: _Writable, **kwargs: Any) -> None:
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self._writer.writerow(safe_row(row))


def csv_writer(fileobj: _Writable, **kwargs: Any) -> SafeCsvWriter:
    """The only way the project writes CSV rows: ``csv.writer(fileobj, **kwargs)`` with safe cells."""
    return SafeCsvWriter(fileobj, **kwargs)


def append_row(worksheet: Any, row: Iterable[Any]) -> None:
    """Append a row to an openpyxl worksheet (normal or write-only) with safe cells.

    Control characters that XLSX cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``, e.g. U+001F) are
    removed first — they would otherwise stop the whole export — and the result is neutralised.  openpyxl
    stores a string beginning with ``=`` as a formula; after :func:`safe_cell` no string does, so every
    text cell is stored as text.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
    worksheet.append(safe_row(cells))
