"""A ReportLab TrueType font whose text layer is right for every code point, and that draws IVS sequences.

Two faults of ReportLab 5.1's ``TTFont`` (its ``makeToUnicodeCMap`` and ``splitString``) are fixed here,
at the font, so that every PDF drawn with our fonts is right whichever module draws it (ADR 0016):

1. **Supplementary-plane characters in the text layer.**  ReportLab writes each ToUnicode entry as
   ``<%04X>``: 𠮷 (U+20BB7) becomes ``<20BB7>``, which readers cut to 16 bits (``₻`` U+20BB) — copy, search,
   screen readers and electronic delivery get another character.  :func:`to_unicode_cmap` writes UTF-16BE
   (surrogate pairs), as the PDF specification (ISO 32000-1 §9.10.3) requires.
2. **Ideographic variation sequences (IVS).**  ReportLab maps one code point to one glyph and knows nothing of
   the cmap format 14 table, so 葛 + U+E0100 is drawn as 葛 followed by a .notdef box.  This font reads the
   format 14 table (fontTools) and gives each sequence the font knows a *virtual code* in plane 16, mapped to
   the variant glyph; a sequence the font does not know is drawn with the base glyph.  Either way the
   ToUnicode entry of the virtual code is the whole sequence (base + selector), so the text layer keeps what
   the register holds.

Virtual codes live only inside a PDF being drawn: :meth:`UnicodeTTFont.encode_sequences` turns text into
drawable text, :func:`madoguchi.core.pdf.runs` calls it, and nothing stores its result.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

# Variation selectors: standard (VS1–16) and ideographic (VS17–256).
VARIATION_SELECTORS = re.compile("[\uFE00-\uFE0F\U000E0100-\U000E01EF]")
_SEQUENCE = re.compile("(.)([\uFE00-\uFE0F\U000E0100-\U000E01EF])", re.DOTALL)
# Plane 16 (Supplementary Private Use Area-B): no font of ours maps it, no register should hold it.
VIRTUAL_FIRST = 0x100000
VIRTUAL_LAST = 0x10FFFD


def utf16_hex(text: str) -> str:
    """The UTF-16BE hex digits of text (surrogate pairs for planes 1–16): '𠮷' → 'D842DFB7'."""
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int], sequences: dict[int, str]) -> str:
    """A ToUnicode CMap for one ≤256-character subset: code i → the text of ``subset[i]``.

    ``sequences`` maps a virtual code to the text it stands for (base + variation selector).  Every
    destination is UTF-16BE, so supplementary-plane characters survive extraction (ISO 32000-1 §9.10.3).
    """
    entries = []
    for i, code in enumerate(subset):
        text = sequences.get(code) or chr(code)
        entries.append(f"<{i:02X}> <{utf16_hex(text)}>")
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    # at most 100 entries per bfchar block (PDF/PostScript implementation limit)
    for start in range(0, len(entries), 100):
        block = entries[start:start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


class UnicodeTTFont(TTFont):  # type: ignore[misc]
    """ReportLab's TTFont with a correct ToUnicode map and IVS glyphs (see the module docstring)."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._filename = filename
        self._lock = threading.Lock()
        self._uvs: dict[tuple[int, int], int] | None = None  # (base, selector) → glyph id
        self._virtual: dict[tuple[int, int], str] = {}  # (base, selector) → virtual character
        self.sequences: dict[int, str] = {}  # virtual code → base + selector
        self._next_virtual = VIRTUAL_FIRST

    # --- IVS -------------------------------------------------------------------------------------------

    def _load_uvs(self) -> dict[tuple[int, int], int]:
        if self._uvs is None:
            table: dict[tuple[int, int], int] = {}
            font = FontToolsFont(self._filename, lazy=True)
            try:
                order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
                for sub in font["cmap"].tables:
                    if sub.format != 14:
                        continue
                    for selector, pairs in sub.uvsDict.items():
                        for base, glyph_name in pairs:
                            # None: the default glyph of the base is the variant
                            gid = self.face.charToGlyph.get(base) if glyph_name is None else order.get(glyph_name)
                            if gid is not None:
                                table[(base, selector)] = gid
            finally:
                font.close()
            self._uvs = table
        return self._uvs

    def has_sequence(self, base: str, selector: str) -> bool:
        """Whether the font has a glyph for the variation sequence base + selector (cmap format 14)."""
        return (ord(base), ord(selector)) in self._load_uvs()

    def has_char(self, ch: str) -> bool:
        return ord(ch) in self.face.charToGlyph and not VIRTUAL_FIRST <= ord(ch) <= VIRTUAL_LAST

    def glyph_name_to_text(self) -> dict[str, str]:
        """Glyph name → the text that draws it (a code point, or base + selector): for MJ names in IPAmj."""
        font = FontToolsFont(self._filename, lazy=True)
        try:
            out: dict[str, str] = {}
            order = font.getGlyphOrder()
            for sub in font["cmap"].tables:
                if sub.format == 14:
                    for selector, pairs in sub.uvsDict.items():
                        for base, glyph_name in pairs:
                            if glyph_name is not None:
                                out.setdefault(glyph_name, chr(base) + chr(selector))
            for code, gid in self.face.charToGlyph.items():
                if not VIRTUAL_FIRST <= code <= VIRTUAL_LAST and gid < len(order):
                    out.setdefault(order[gid], chr(code))
            return out
        finally:
            font.close()

    def virtual_char(self, base: str, selector: str) -> str:
        """The virtual character that draws base + selector in this font: the variant glyph where the
        font has it, else the base glyph (never a .notdef box); its text layer is base + selector."""
        key = (ord(base), ord(selector))
        found = self._virtual.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._virtual.get(key)
            if found is not None:
                return found
            face: Any = self.face
            gid = self._load_uvs().get(key)
            if gid is None:
                gid = face.charToGlyph.get(key[0], 0)
            if self._next_virtual > VIRTUAL_LAST:  # pragma: no cover - 65,534 distinct sequences in one process
                raise RuntimeError("too many variation sequences for one font")
            code = self._next_virtual
            self._next_virtual += 1
            width_units = face.hmetrics[min(gid, len(face.hmetrics) - 1)][0]
            face.charToGlyph[code] = gid
            face.charWidths[code] = face._pdfScale(width_units)
            self.sequences[code] = base + selector
            found = chr(code)
            self._virtual[key] = found
            return found

    def encode_sequences(self, text: str) -> str:
        """Replace each variation sequence by its virtual character (drawing form; never stored)."""
        if not VARIATION_SELECTORS.search(text):
            return text
        return _SEQUENCE.sub(lambda m: self.virtual_char(m.group(1), m.group(2)), text)

    # --- PDF objects -----------------------------------------------------------------------------------

    def addObjects(self, doc: Any) -> None:
        """As ReportLab's, with :func:`to_unicode_cmap` for the ToUnicode stream of each subset."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_font_name = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_font_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            cmap_stream = pdfdoc.PDFStream()
            cmap_stream.content = to_unicode_cmap(base_font_name, subset, self.sequences)
            if doc.compression:
                cmap_stream.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(cmap_stream, "toUnicodeCMap:" + base_font_name)
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)
            doc.Reference(pdf_font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
        del self.state[doc]
