"""Japanese fonts for PDFs, embedded (never the viewer's substitute).

ReportLab (notices, certificates, password notices: fast, ADR 0002) embeds TrueType subsets.  IPAex
明朝 is the main face; IPAmj明朝 is the fallback for the MJ characters of residents' names that IPAex
lacks (𠮷 …).  :func:`markup` wraps such characters in ``<font>`` tags for ReportLab paragraphs, and
:func:`runs` splits a string for canvas drawing.

The fonts are :class:`madoguchi.core.pdffont.UnicodeTTFont` (ADR 0016): the text layer of every character
is its own code point (𠮷 extracts as 𠮷, not ₻), and an ideographic variation sequence (葛 + U+E0100) is
drawn with the variant glyph of whichever face has it, else with the base glyph — never a .notdef box.
Vendor 外字 (Private Use Area) are drawn as the ward's table maps them (:mod:`madoguchi.core.gaiji`); an
unmapped one is drawn as 〓, which the printers read as "a character is missing here".
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

from madoguchi.core import gaiji
from madoguchi.core.pdffont import VARIATION_SELECTORS, UnicodeTTFont

MAIN = "IPAexMincho"
GOTHIC = "IPAexGothic"
FALLBACK = "IPAmjMincho"

_CANDIDATES: dict[str, list[str]] = {
    MAIN: ["/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf", "/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf"],
    GOTHIC: ["/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"],
    FALLBACK: ["/usr/share/fonts/truetype/ipamj/ipamjm.ttf"],
}


class FontMissing(RuntimeError):
    pass


def font_path(name: str) -> Path:
    for candidate in _CANDIDATES[name]:
        path = Path(candidate)
        if path.exists():
            return path
    raise FontMissing(
        f"PDF 用のフォント {name} が見つかりません。Debian では fonts-ipaexfont と fonts-ipamj-mincho を入れてください。"
    )


@functools.cache
def register_fonts() -> tuple[str, str, str]:
    for name in (MAIN, GOTHIC, FALLBACK):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeTTFont(name, str(font_path(name))))
    return MAIN, GOTHIC, FALLBACK


def _font(name: str) -> UnicodeTTFont:
    register_fonts()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, UnicodeTTFont):  # pragma: no cover - registered under our name by someone else
        raise FontMissing(f"PDF 用のフォント {name} が別の形式で登録されています。")
    return font


def _clusters(text: str) -> Iterator[tuple[str, str]]:
    """(character, variation selector or '') pairs; a selector that follows no character is dropped."""
    i = 0
    while i < len(text):
        ch = text[i]
        if VARIATION_SELECTORS.fullmatch(ch):
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt and VARIATION_SELECTORS.fullmatch(nxt):
            yield ch, nxt
            i += 2
        else:
            yield ch, ""
            i += 1


def drawable(text: str) -> str:
    """Text as it is drawn: vendor 外字 mapped by the ward's table, an unmapped one as 〓."""
    return gaiji.apply_mapping(text or "", missing=gaiji.GETA)


def _plain_runs(text: str, font: str, cmap: dict[int, int]) -> Iterator[tuple[str, str]]:
    """runs() for text without variation selectors (the common case): the main face, else the fallback."""
    start = 0
    current = font
    for i, ch in enumerate(text):
        wanted = font if ord(ch) in cmap or ch in "\n\r\t " else FALLBACK
        if wanted != current:
            if i > start:
                yield current, text[start:i]
            start, current = i, wanted
    if start < len(text):
        yield current, text[start:]


def runs(text: str, font: str = MAIN) -> Iterator[tuple[str, str]]:
    """Split text into (font name, chunk) so that each chunk can be drawn by its font.

    A character the face lacks goes to IPAmj明朝; a variation sequence goes to the face that has its
    variant glyph (else to the face that has its base) and is drawn by a virtual character of that face
    (:meth:`UnicodeTTFont.virtual_char`), whose text layer is the whole sequence.
    """
    main, fallback = _font(font), _font(FALLBACK)
    text = drawable(text)  # no Private Use Area character is left, so no virtual code can be in the input
    if not VARIATION_SELECTORS.search(text):
        yield from _plain_runs(text, font, main.face.charToGlyph)
        return
    current_font = font
    chunk: list[str] = []
    for ch, selector in _clusters(text):
        if selector:
            if main.has_sequence(ch, selector) or (not fallback.has_sequence(ch, selector) and main.has_char(ch)):
                wanted, drawn = font, main.virtual_char(ch, selector)
            else:
                wanted, drawn = FALLBACK, fallback.virtual_char(ch, selector)
        else:
            wanted = font if main.has_char(ch) or ch in "\n\r\t " else FALLBACK
            drawn = ch
        if wanted != current_font and chunk:
            yield current_font, "".join(chunk)
            chunk = []
        current_font = wanted
        chunk.append(drawn)
    if chunk:
        yield current_font, "".join(chunk)


def markup(text: str, font: str = MAIN) -> str:
    """Escape text for a ReportLab Paragraph, switching to the fallback face where needed."""
    parts = []
    for face, chunk in runs(text, font):
        parts.append(escape(chunk) if face == font else f'<font name="{face}">{escape(chunk)}</font>')
    return "".join(parts)


def draw_string(canvas: object, x: float, y: float, text: str, size: float, font: str = MAIN) -> float:
    """Draw text at (x, y) with fallback; return the x after the text.

    One text object for the whole string (the faces change inside it), so that text extraction reads one
    run, not a line per face.
    """
    parts = list(runs(text, font))
    if not parts:
        return x
    text_object = canvas.beginText(x, y)  # type: ignore[attr-defined]
    for face, chunk in parts:
        text_object.setFont(face, size)
        text_object.textOut(chunk)
        x += pdfmetrics.stringWidth(chunk, face, size)
    canvas.drawText(text_object)  # type: ignore[attr-defined]
    canvas.setFont(parts[-1][0], size)  # type: ignore[attr-defined]  # left in the last face, as before
    return x


@functools.cache
def _mj_names() -> dict[str, str]:
    return _font(FALLBACK).glyph_name_to_text()


def text_for_mj_name(mj_name: str) -> str | None:
    """The text (a character, or base + ideographic variation selector) that IPAmj明朝 draws for an MJ
    character name such as ``MJ022335`` (its glyph names are the MJ names), or None when it has none."""
    return _mj_names().get(mj_name.strip().lower())
