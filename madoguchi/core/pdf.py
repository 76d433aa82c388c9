"""Japanese fonts for PDFs, embedded (never the viewer's substitute).

ReportLab (notices, certificates, password notices: fast, ADR 0002) embeds TrueType subsets.  IPAex
明朝 is the main face; IPAmj明朝 is the fallback for the MJ characters of residents' names that IPAex
lacks (𠮷 …).  :func:`markup` wraps such characters in ``<font>`` tags for ReportLab paragraphs, and
:func:`runs` splits a string for canvas drawing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
            pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    return MAIN, GOTHIC, FALLBACK


@functools.cache
def _covered(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph.keys())  # type: ignore[attr-defined]


def runs(text: str, font: str = MAIN) -> Iterator[tuple[str, str]]:
    """Split text into (font name, chunk) so that each chunk can be drawn by its font."""
    main = _covered(font)
    current_font = font
    chunk: list[str] = []
    for ch in text:
        wanted = font if ord(ch) in main or ch in "\n\r\t " else FALLBACK
        if wanted != current_font and chunk:
            yield current_font, "".join(chunk)
            chunk = []
        current_font = wanted
        chunk.append(ch)
    if chunk:
        yield current_font, "".join(chunk)


def markup(text: str, font: str = MAIN) -> str:
    """Escape text for a ReportLab Paragraph, switching to the fallback face where needed."""
    parts = []
    for face, chunk in runs(text, font):
        parts.append(escape(chunk) if face == font else f'<font name="{face}">{escape(chunk)}</font>')
    return "".join(parts)


def draw_string(canvas: object, x: float, y: float, text: str, size: float, font: str = MAIN) -> float:
    """Draw text at (x, y) with fallback; return the x after the text."""
    for face, chunk in runs(text, font):
        canvas.setFont(face, size)  # type: ignore[attr-defined]
        canvas.drawString(x, y, chunk)  # type: ignore[attr-defined]
        x += pdfmetrics.stringWidth(chunk, face, size)
    return x
