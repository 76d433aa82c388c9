"""PDF names: pages/s with madoguchi's font class (UTF-16 ToUnicode, IVS, 外字 mapping) against ReportLab's
plain TTFont, in the same run (ADR 0016).

    .venv/bin/python -m bench.pdf_text_layer [--pages 500]

Each page draws 30 names (BMP, supplementary-plane and IVS kanji) with ``core.pdf.draw_string`` (ours) and
with ``canvas.drawString`` per face (baseline, as before).  Prints pages/s of each and the ratio, and the
load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import io
import os
import time

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from madoguchi.core import pdf

NAMES = ["山田 太郎", "𠮷田 一郎", "葛\U000E0100飾 花子", "髙橋 美咲", "渡邉\U000E0100 三郎", "𡈽屋 次郎"] * 5


def _ours(pages: int) -> bytes:
    pdf.register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf)
    for _ in range(pages):
        y = 800.0
        for name in NAMES:
            pdf.draw_string(c, 50, y, name, 12)
            y -= 24
        c.showPage()
    c.save()
    return buf.getvalue()


def _runs(text: str, main: dict[int, int]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for ch in text:
        face = "BaseMain" if ord(ch) in main or ch == " " else "BaseMj"
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + ch)
        else:
            out.append((face, ch))
    return out


def _baseline(pages: int) -> bytes:
    if "BaseMain" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BaseMain", str(pdf.font_path(pdf.MAIN))))
        pdfmetrics.registerFont(TTFont("BaseMj", str(pdf.font_path(pdf.FALLBACK))))
    main = pdfmetrics.getFont("BaseMain").face.charToGlyph
    buf = io.BytesIO()
    c = Canvas(buf)
    for _ in range(pages):
        y = 800.0
        for name in NAMES:
            x = 50.0
            for face, chunk in _runs(name, main):  # as core.pdf.draw_string did before ADR 0016
                c.setFont(face, 12)
                c.drawString(x, y, chunk)
                x += pdfmetrics.stringWidth(chunk, face, 12)
            y -= 24
        c.showPage()
    c.save()
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    _ours(1), _baseline(1)  # load the fonts outside the timing
    results = {}
    for label, fn in (("baseline (ReportLab TTFont)", _baseline), ("madoguchi (UnicodeTTFont)", _ours)):
        start = time.perf_counter()
        size = len(fn(args.pages))
        elapsed = time.perf_counter() - start
        results[label] = args.pages / elapsed
        print(f"{label:30s} {args.pages} pages in {elapsed:6.2f} s = {results[label]:7.1f} pages/s ({size:,} bytes)")
    ours, base = results["madoguchi (UnicodeTTFont)"], results["baseline (ReportLab TTFont)"]
    print(f"ratio madoguchi/baseline: {ours / base:.2f}   load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
