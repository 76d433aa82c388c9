"""Render agenda blocks as DOCX (python-docx) for staff to edit.  Marked segments: bold + underline."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from madoguchi.register.documents.blocks import Block, Cell, Diagram, PageBreak, Para, Table

FONT = "IPAexMincho"
GOTHIC = "IPAexGothic"
SIZES = {"title": 16, "h1": 13, "h2": 11, "body": 10.5, "note": 9}


def _runs(paragraph: Paragraph, segs: Cell, size: float, font: str = FONT, bold: bool = False) -> None:
    for seg in segs:
        lines = seg.text.split("\n")
        for i, line in enumerate(lines):
            if i:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            if not line:
                continue
            run = paragraph.add_run(line)
            run.font.size = Pt(size)
            run.font.name = font
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
            if seg.marked:
                run.bold = True
                run.underline = True
            elif bold:
                run.bold = True


def _cell(cell: _Cell, segs: Cell, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    _runs(paragraph, segs, 9.5, bold=bold)


def render_docx(blocks: list[Block], *, title: str) -> bytes:
    doc = Document()
    doc.core_properties.title = title
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    text_width = Mm(174)
    for block in blocks:
        if isinstance(block, PageBreak):
            doc.add_page_break()
        elif isinstance(block, Para):
            paragraph = doc.add_paragraph()
            font = GOTHIC if block.style in ("title", "h1", "h2") else FONT
            _runs(paragraph, block.segs, SIZES.get(block.style, 10.5), font, bold=block.style in ("title", "h1", "h2"))
        elif isinstance(block, Table):
            cols = len(block.rows[0]) if block.rows else 1
            table = doc.add_table(rows=0, cols=cols)
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                cells = table.add_row().cells
                for c, segs in enumerate(row):
                    if block.widths:
                        cells[c].width = int(text_width * block.widths[c])
                    _cell(cells[c], segs, bold=(block.header and r == 0) or (not block.header and c == 0))
            doc.add_paragraph()
        elif isinstance(block, Diagram):
            width = min(text_width, Mm(block.width * 0.35))
            doc.add_picture(io.BytesIO(block.png), width=width)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
