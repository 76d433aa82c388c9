"""The neutral document model both writers render.  A segment marked ``True`` is a change against the
approved revision: bold and underlined in DOCX and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Seg:
    text: str
    marked: bool = False


Cell = list[Seg]


@dataclass
class Para:
    segs: list[Seg]
    style: str = "body"  # title, h1, h2, body, note


@dataclass
class Table:
    rows: list[list[Cell]]
    widths: list[float] = field(default_factory=list)  # fractions of the text width
    header: bool = False
    merge_first_column: bool = False  # equal first cells of consecutive rows become one (a category label)


def cell_text(cell: Cell) -> str:
    return "".join(seg.text for seg in cell)


def runs_of_equal_first_cells(table: Table, limit: int = 0) -> list[tuple[int, int]]:
    """(first row, last row) of each run of two or more body rows whose first cells read the same.

    ``limit`` > 0 cuts a long run into runs of at most that many rows (a PDF page cannot split a merged
    cell, so the PDF writer merges at most a page's worth at a time).
    """
    if not table.merge_first_column:
        return []
    runs: list[tuple[int, int]] = []
    start = 1 if table.header else 0
    r = start
    while r < len(table.rows):
        end = r
        while end + 1 < len(table.rows) and cell_text(table.rows[end + 1][0]) == cell_text(table.rows[r][0]):
            end += 1
        first = r
        while first <= end:
            last = min(end, first + limit - 1) if limit > 0 else end
            if last > first:
                runs.append((first, last))
            first = last + 1
        r = end + 1
    return runs


@dataclass
class Diagram:
    """The flow diagram; each writer draws it its own way (PNG for DOCX, ReportLab graphics for PDF)."""

    layout: object  # madoguchi.register.documents.flow.FlowLayout
    width: float
    height: float


@dataclass
class PageBreak:
    pass


Block = Para | Table | Diagram | PageBreak


def text(value: str, marked: bool = False) -> Cell:
    return [Seg(value, marked)]


def joined(parts: list[Seg], sep: str = "、") -> Cell:
    out: Cell = []
    for i, part in enumerate(parts):
        if i:
            out.append(Seg(sep))
        out.append(part)
    return out
