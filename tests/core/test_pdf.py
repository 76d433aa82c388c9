"""PDF text: every name drawn extracts as the same code points; variation sequences draw a glyph, never a box.

Issue 15 §3 (IVS in notice PDFs) and §4 (𠮷田 extracted as ₻田); ADR 0016.
"""

from __future__ import annotations

import io
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from madoguchi.core import gaiji
from madoguchi.core.pdf import FALLBACK, MAIN, _font, draw_string, markup, register_fonts, runs
from madoguchi.core.pdffont import to_unicode_cmap, utf16_hex

IVS = "\U000E0100"
# BMP kanji, supplementary-plane kanji (𠮷 U+20BB7, 𡈽 U+2123D, 𩸽 U+29E3D) and ideographic variation
# sequences: one IPAex has (葛+E0100), one only IPAmj has (葛+E0102), one no font has (邉+E0100, drawn
# with the base glyph) and one on a supplementary-plane base.
NAMES = [
    "山田 太郎", "髙橋 美咲", "渡邊 健一",
    "𠮷田 一郎", "𡈽屋 花子", "𩸽川 次郎",
    f"葛{IVS}飾 花子", "葛\U000E0102西 良子", f"渡邉{IVS} 三郎", f"𠮷{IVS}野 翔", f"辻{IVS} 裕子",
]


def _canvas_pdf(lines: list[str]) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf)
    y = 800.0
    for line in lines:
        draw_string(c, 50, y, line, 12)
        y -= 24
    c.showPage()
    c.save()
    return buf.getvalue()


def _paragraph_pdf(lines: list[str]) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    style = ParagraphStyle("body", fontName=MAIN, fontSize=11, leading=16)
    SimpleDocTemplate(buf).build([Paragraph(markup(line), style) for line in lines])
    return buf.getvalue()


def pdftotext(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def pypdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("render", [_canvas_pdf, _paragraph_pdf], ids=["canvas", "paragraph"])
@pytest.mark.parametrize("extract", [pdftotext, pypdf_text], ids=["pdftotext", "pypdf"])
def test_every_name_extracts_as_the_same_code_points(render, extract):
    # given names with BMP and supplementary-plane kanji and variation sequences, when drawn and extracted
    text = extract(render(NAMES))
    # then each line is the name, code point for code point (𠮷 is not ₻, the selector is kept)
    assert _lines(text) == NAMES


def test_yoshida_is_not_cut_to_sixteen_bits():
    text = pdftotext(_canvas_pdf(["𠮷田"]))
    assert "𠮷田" in text
    assert "\u20bb" not in text  # ₻, what the 16-bit cut gave


def test_to_unicode_cmap_writes_surrogate_pairs_and_sequences():
    cmap = to_unicode_cmap("F", [0, 0x20BB7, 0x100000], {0x100000: f"葛{IVS}"})
    assert "<01> <D842DFB7>" in cmap
    assert f"<02> <{utf16_hex('葛' + IVS)}>" in cmap
    assert utf16_hex("𠮷") == "D842DFB7"


def test_variant_glyph_is_drawn_where_the_main_face_has_it():
    # IPAex明朝 has 葛+U+E0100 (cmap format 14): drawn with the variant glyph, in the main face, one glyph
    main = _font(MAIN)
    chunks = list(runs(f"葛{IVS}飾"))
    assert [face for face, _ in chunks] == [MAIN]
    drawn = chunks[0][1]
    assert len(drawn) == 2
    glyph = main.face.charToGlyph[ord(drawn[0])]
    assert glyph not in (0, main.face.charToGlyph[ord("葛")])


def test_variant_only_the_fallback_has_goes_to_the_fallback_face():
    chunks = list(runs("葛\U000E0102飾"))
    assert [face for face, _ in chunks] == [FALLBACK, MAIN]
    fallback = _font(FALLBACK)
    glyph = fallback.face.charToGlyph[ord(chunks[0][1])]
    assert glyph not in (0, fallback.face.charToGlyph[ord("葛")])


def test_unknown_sequence_draws_the_base_glyph_never_a_box():
    main = _font(MAIN)
    chunks = list(runs(f"渡邉{IVS}"))
    assert [face for face, _ in chunks] == [MAIN]
    glyphs = [main.face.charToGlyph.get(ord(ch), 0) for ch in chunks[0][1]]
    assert glyphs == [main.face.charToGlyph[ord("渡")], main.face.charToGlyph[ord("邉")]]  # no .notdef (0)


def test_a_selector_alone_draws_nothing():
    assert "".join(chunk for _, chunk in runs(f"{IVS}山田")) == "山田"


def test_unmapped_gaiji_is_drawn_as_geta_and_a_mapped_one_as_its_character():
    gaiji.set_mapping_provider(lambda: {"\ue001": "髙"})
    try:
        assert "".join(chunk for _, chunk in runs("\ue000田\ue001橋")) == "〓田髙橋"
        assert _lines(pdftotext(_canvas_pdf(["\ue001橋 一郎"]))) == ["髙橋 一郎"]
    finally:
        gaiji.set_mapping_provider(None)


_KANJI = st.sampled_from(list("山田川村吉葛飾辻高髙橋渡辺邉邊斎齋齊崎﨑") + ["𠮷", "𡈽", "𩸽", "𠀋", "𪚲"])
_SEL = st.sampled_from(["", "", IVS, "\U000E0101", "\U000E0102", "\ufe00"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_KANJI, _SEL), min_size=1, max_size=8))
def test_property_any_name_extracts_as_written(parts):
    name = "".join(ch + sel for ch, sel in parts)
    assert _lines(pypdf_text(_canvas_pdf([name]))) == [name]


def test_weasyprint_with_the_same_fonts_extracts_supplementary_and_known_sequences():
    # no madoguchi document uses WeasyPrint today (ADR 0002, 0016); should one print names, this is what holds:
    # supplementary-plane kanji and sequences the font has extract as written
    from weasyprint import HTML

    faces = "".join(f"@font-face{{font-family:f{i};src:url(file://{pdf_font})}}"
                    for i, pdf_font in enumerate([_font(MAIN)._filename, _font(FALLBACK)._filename]))
    names = ["𠮷田 一郎", f"葛{IVS}飾 花子", "𩸽川 次郎"]
    html = (f"<html><head><style>{faces} body{{font-family:f0,f1}}</style></head><body>"
            + "".join(f"<p>{n}</p>" for n in names) + "</body></html>")
    assert _lines(pdftotext(HTML(string=html).write_pdf())) == names
