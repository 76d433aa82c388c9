"""Render agenda blocks as DOCX (python-docx) for staff to edit.  Marked segments: bold + underline.

Fonts and sizes live in paragraph styles (Word's "Normal" plus a few of ours), so staff can restyle the
whole document at once and each run carries only what differs: bold and underline on changed parts.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from madoguchi.register.documents.blocks import (
    Block,
    Cell,
    Diagram,
    PageBreak,
    Para,
    Table,
    runs_of_equal_first_cells,
)
from madoguchi.register.documents.flow import to_png

FONT = "IPAexMincho"
GOTHIC = "IPAexGothic"
# style name, font, size, bold
STYLES = {"title": ("付議事項 表題", GOTHIC, 16, True), "h1": ("付議事項 見出し", GOTHIC, 13, True),
          "h2": ("付議事項 小見出し", GOTHIC, 11, True), "note": ("付議事項 注記", FONT, 9, False),
          "cell": ("付議事項 表", FONT, 9.5, False), "cellhead": ("付議事項 表見出し", GOTHIC, 9.5, True)}


def _font(style: ParagraphStyle, name: str, size: float, bold: bool) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _styles(doc: object) -> dict[str, ParagraphStyle]:
    """Add our paragraph styles; return them as objects (assigning by name scans every style each time)."""
    styles = doc.styles  # type: ignore[attr-defined]
    _font(styles["Normal"], FONT, 10.5, False)
    added = {}
    for key, (name, font, size, bold) in STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _font(style, font, size, bold)
        style.paragraph_format.space_after = Pt(2 if size < 10 else 6)
        added[key] = style
    return added


def _set_style(paragraph: Paragraph, style: ParagraphStyle | None) -> None:
    # Same XML as ``paragraph.style = style``, without python-docx's scan of every style for the default
    # (which made a 70-row checklist cost seconds).
    if style is not None:
        paragraph._p.style = style.style_id


def _runs(paragraph: Paragraph, segs: Cell) -> None:
    for seg in segs:
        for i, line in enumerate(seg.text.split("\n")):
            if i:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            if line:
                run = paragraph.add_run(line)
                if seg.marked:
                    run.bold = True
                    run.underline = True


def render_docx(blocks: list[Block], *, title: str) -> bytes:
    doc = Document()
    doc.core_properties.title = title
    styles = _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    text_width = Mm(174)
    for block in blocks:
        if isinstance(block, PageBreak):
            doc.add_page_break()
        elif isinstance(block, Para):
            paragraph = doc.add_paragraph()
            _set_style(paragraph, styles.get(block.style))
            _runs(paragraph, block.segs)
        elif isinstance(block, Table):
            cols = len(block.rows[0]) if block.rows else 1
            table = doc.add_table(rows=len(block.rows), cols=cols)
            table.style = "Table Grid"
            if block.widths:
                for c, column in enumerate(table.columns):
                    column.width = int(text_width * block.widths[c])
            runs = runs_of_equal_first_cells(block)
            continued = {r for first, last in runs for r in range(first + 1, last + 1)}
            for r, (row, cells) in enumerate(zip(block.rows, table.rows, strict=True)):
                for c, (segs, cell) in enumerate(zip(row, cells.cells, strict=True)):
                    if c == 0 and r in continued:
                        continue  # merged into the run's first cell below; left empty so nothing repeats
                    head = (block.header and r == 0) or (not block.header and c == 0)
                    paragraph = cell.paragraphs[0]
                    _set_style(paragraph, styles["cellhead" if head else "cell"])
                    if block.widths:
                        cell.width = int(text_width * block.widths[c])
                    _runs(paragraph, segs)
            for first, last in runs:
                table.cell(first, 0).merge(table.cell(last, 0))
            doc.add_paragraph()
        elif isinstance(block, Diagram):
            width = min(text_width, Mm(block.width * 0.35))
            doc.add_picture(io.BytesIO(to_png(block.layout)), width=width)  # type: ignore[arg-type]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
