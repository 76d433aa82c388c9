"""Render agenda blocks as PDF (ReportLab, embedded IPAex fonts per ADR 0002).  Marked: <b><u>…</u></b>."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable as _Flowable

from madoguchi.core.pdf import GOTHIC, MAIN, markup, register_fonts
from madoguchi.register.documents.blocks import (
    Block,
    Cell,
    Diagram,
    PageBreak,
    Para,
    Table,
    runs_of_equal_first_cells,
)
from madoguchi.register.documents.flow import to_drawing

TEXT_WIDTH = A4[0] - 36 * mm
# A merged cell cannot be split across pages, so the PDF merges at most this many rows at a time (a
# checklist's rows are at most a few lines each; five of them always fit on an A4 page).
MERGE_LIMIT = 5
# Changed parts are set in bold Gothic and underlined, as the council's documents do.  The Gothic face is
# registered once more under its own name so that the marked text can be told apart (and found by tests).
MARKED = "IPAexGothic-Marked"


def _register_marked() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont

    from madoguchi.core.pdf import font_path

    if MARKED in pdfmetrics.getRegisteredFontNames():
        return
    font = TTFont(MARKED, str(font_path(GOTHIC)))
    font.face.name = TTFNameBytes(MARKED.encode("ascii"))  # its own BaseFont name in the PDF
    pdfmetrics.registerFont(font)
    for family in (MAIN, GOTHIC):
        addMapping(family, 0, 0, family)
        addMapping(family, 1, 0, MARKED)
        addMapping(family, 0, 1, family)
        addMapping(family, 1, 1, MARKED)


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    _register_marked()
    base = ParagraphStyle("body", fontName=MAIN, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=12),
        "cellhead": ParagraphStyle("cellhead", parent=base, fontName=GOTHIC, fontSize=8.5, leading=12),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=12),
        "h2": ParagraphStyle("h2", parent=base, fontName=GOTHIC, fontSize=10.5, leading=15, spaceBefore=4),
        "h1": ParagraphStyle("h1", parent=base, fontName=GOTHIC, fontSize=13, leading=19, spaceAfter=6),
        "title": ParagraphStyle("title", parent=base, fontName=GOTHIC, fontSize=16, leading=24, spaceAfter=10,
                                alignment=1),
    }


def _markup(segs: Cell, font: str) -> str:
    parts = []
    for seg in segs:
        body = markup(seg.text, font).replace("\n", "<br/>")
        parts.append(f"<b><u>{body}</u></b>" if seg.marked and body else body)
    return "".join(parts)


class _DrawingFlowable(_Flowable):
    def __init__(self, drawing: object, width: float, height: float) -> None:
        super().__init__()
        self.drawing = drawing
        self.scale = min(1.0, TEXT_WIDTH / width)
        self.width, self.height = width * self.scale, height * self.scale

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        self.drawing.transform = (self.scale, 0, 0, self.scale, 0, 0)  # type: ignore[attr-defined]
        renderPDF.draw(self.drawing, self.canv, 0, 0)  # type: ignore[arg-type]


def render_pdf(blocks: list[Block], *, title: str) -> bytes:
    styles = _styles()
    story: list[Flowable] = []
    for block in blocks:
        if isinstance(block, PageBreak):
            if story:
                story.append(RLPageBreak())
        elif isinstance(block, Para):
            style = styles.get(block.style, styles["body"])
            story.append(RLParagraph(_markup(block.segs, style.fontName), style))
        elif isinstance(block, Table):
            data = []
            runs = runs_of_equal_first_cells(block, limit=MERGE_LIMIT)
            continued = {r for first, last in runs for r in range(first + 1, last + 1)}
            for r, row in enumerate(block.rows):
                cells: list[object] = []
                for c, segs in enumerate(row):
                    if c == 0 and r in continued:
                        cells.append("")
                        continue
                    head = (block.header and r == 0) or (not block.header and c == 0)
                    style = styles["cellhead"] if head else styles["cell"]
                    cells.append(RLParagraph(_markup(segs, style.fontName), style))
                data.append(cells)
            widths = [TEXT_WIDTH * w for w in block.widths] if block.widths else None
            table = RLTable(data, colWidths=widths, repeatRows=1 if block.header else 0)
            commands: list[tuple[object, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]
            commands += [("SPAN", (0, first), (0, last)) for first, last in runs]
            if block.header:
                commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")))
            else:
                commands.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")))
            table.setStyle(TableStyle(commands))
            story += [table, Spacer(1, 4 * mm)]
        elif isinstance(block, Diagram):
            drawing = to_drawing(block.layout)  # type: ignore[arg-type]
            story.append(KeepTogether([_DrawingFlowable(drawing, block.width, block.height), Spacer(1, 4 * mm)]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=title, author="madoguchi")

    def footer(canvas: object, document: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(MAIN, 8)  # type: ignore[attr-defined]
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{title}  {document.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
