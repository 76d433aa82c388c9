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
