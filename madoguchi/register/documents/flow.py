"""The data-flow diagram (個人情報の流れ): one layout, drawn as SVG (screen), ReportLab (PDF) and PNG (DOCX).

The layout is a sequence diagram: one column per party (resident, department, system, contractor, post
office …) in order of first appearance, one numbered arrow per step from top to bottom.  Steps that are new
or changed against the approved revision are drawn as red dashed arrows with bold labels.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

COL = 150
HEAD_Y = 10
HEAD_H = 44
ROW = 52
TOP = HEAD_Y + HEAD_H + 34
FONT_SIZE = 11
CHANGED = "#d00000"
KIND_FILL = {"resident": "#fff4d6", "department": "#e8f1fe", "system": "#eef7ee", "contractor": "#f6ecfb",
             "subcontractor": "#fbecf3", "post_office": "#f2f2f2", "other": "#ffffff"}


def circled(n: int) -> str:
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


@dataclass(frozen=True)
class Node:
    label: str
    kind: str
    x: float  # centre


@dataclass(frozen=True)
class Arrow:
    number: int
    x1: float
    x2: float
    y: float
    label: str
    items: str
    changed: bool


@dataclass(frozen=True)
class FlowLayout:
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    width: float
    height: float


def _fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    limit = max(4, int(width / size))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def layout(steps: list[dict[str, object]], changed: set[int], item_names: dict[str, str],
           medium_names: dict[str, str]) -> FlowLayout:
    nodes: dict[str, Node] = {}

    def node(label: str, kind: str) -> Node:
        if label not in nodes:
            nodes[label] = Node(label, kind, 10 + COL * len(nodes) + COL / 2)
        return nodes[label]

    arrows = []
    for i, step in enumerate(steps):
        src = node(str(step["source"]), str(step["source_kind"]))
        dst = node(str(step["target"]), str(step["target_kind"]))
        number = int(step["number"])  # type: ignore[call-overload]
        medium = medium_names.get(str(step["medium"]), "")
        label = f"{circled(number)} {step['note']}" + (f"（{medium}）" if medium else "")
        keys = step["items"]
        assert isinstance(keys, list)
        items = "、".join(item_names.get(str(k), str(k)) for k in keys)
        arrows.append(Arrow(number, src.x, dst.x, TOP + ROW * i, label, items, number in changed))
    width = 20 + COL * max(len(nodes), 2)
    fitted = []
    for arrow in arrows:
        lx = _label_x(arrow, width)
        span = 2 * min(lx - 6, width - 6 - lx)
        fitted.append(Arrow(arrow.number, arrow.x1, arrow.x2, arrow.y, _fit(arrow.label, span),
                            _fit(arrow.items, span, 9.5), arrow.changed))
    return FlowLayout(tuple(nodes.values()), tuple(fitted), width, TOP + ROW * max(len(arrows), 1))


def _label_x(a: Arrow, width: float) -> float:
    mid = (a.x1 + a.x2) / 2
    return min(max(mid, 90.0), width - 90.0)


def to_svg(flow: FlowLayout, *, title: str = "個人情報の流れ") -> str:
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {flow.width:.0f} {flow.height:.0f}" '
           f'width="{flow.width:.0f}" height="{flow.height:.0f}" role="img" aria-label="{escape(title)}" '
           'font-family="IPAexGothic, Noto Sans CJK JP, sans-serif" data-testid="flow-diagram">',
           f"<title>{escape(title)}</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1a1a1a"/></marker>'
           f'<marker id="arrow-changed" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{CHANGED}"/></marker></defs>']
    for n in flow.nodes:
        out.append(f'<line x1="{n.x}" y1="{HEAD_Y + HEAD_H}" x2="{n.x}" y2="{flow.height - 6}" stroke="#949494" '
                   'stroke-dasharray="2 4"/>')
        out.append(f'<rect x="{n.x - COL / 2 + 8}" y="{HEAD_Y}" width="{COL - 16}" height="{HEAD_H}" rx="6" '
                   f'fill="{KIND_FILL.get(n.kind, "#fff")}" stroke="#1a1a1a"/>')
        out.append(f'<text x="{n.x}" y="{HEAD_Y + HEAD_H / 2 + 4}" text-anchor="middle" font-size="12" '
                   f'font-weight="bold">{escape(_fit(n.label, COL - 20, 12))}</text>')
    for a in flow.arrows:
        colour = CHANGED if a.changed else "#1a1a1a"
        marker = "arrow-changed" if a.changed else "arrow"
        dash = ' stroke-dasharray="6 4"' if a.changed else ""
        cls = ' class="flow-step flow-step--changed"' if a.changed else ' class="flow-step"'
        out.append(f'<g{cls} data-step="{a.number}">')
        if a.x1 == a.x2:
            out.append(f'<path d="M{a.x1},{a.y} h30 v14 h-30" fill="none" stroke="{colour}"{dash} '
                       f'marker-end="url(#{marker})"/>')
        else:
            end = a.x2 - 4 if a.x2 > a.x1 else a.x2 + 4
            out.append(f'<line x1="{a.x1}" y1="{a.y}" x2="{end}" y2="{a.y}" stroke="{colour}" stroke-width="1.6"'
                       f'{dash} marker-end="url(#{marker})"/>')
        weight = ' font-weight="bold"' if a.changed else ""
        lx = _label_x(a, flow.width)
        out.append(f'<text x="{lx}" y="{a.y - 6}" text-anchor="middle" font-size="{FONT_SIZE}" '
                   f'fill="{colour}"{weight}>{escape(a.label)}</text>')
        out.append(f'<text x="{lx}" y="{a.y + 14}" text-anchor="middle" font-size="9" fill="#595959">'
                   f'{escape(a.items)}</text></g>')
    out.append("</svg>")
    return "\n".join(out)


def to_drawing(flow: FlowLayout, scale: float = 1.0) -> object:
    """A ReportLab Drawing (fonts registered by :mod:`madoguchi.core.pdf`)."""
    from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, Rect, String
    from reportlab.lib import colors

    from madoguchi.core.pdf import GOTHIC, register_fonts

    register_fonts()
    h = flow.height
    d = Drawing(flow.width * scale, h * scale)
    g = Group()
    g.scale(scale, scale)
    black, red, grey = colors.HexColor("#1a1a1a"), colors.HexColor(CHANGED), colors.HexColor("#595959")
    for n in flow.nodes:
        g.add(Line(n.x, h - HEAD_Y - HEAD_H, n.x, 6, strokeColor=colors.HexColor("#949494"), strokeDashArray=[2, 4]))
        g.add(Rect(n.x - COL / 2 + 8, h - HEAD_Y - HEAD_H, COL - 16, HEAD_H, rx=6, ry=6,
                   fillColor=colors.HexColor(KIND_FILL.get(n.kind, "#ffffff")), strokeColor=black))
        g.add(String(n.x, h - HEAD_Y - HEAD_H / 2 - 4, _fit(n.label, COL - 20, 12), fontName=GOTHIC, fontSize=11,
                     textAnchor="middle"))
    for a in flow.arrows:
        colour = red if a.changed else black
        y = h - a.y
        dash = [6, 4] if a.changed else None
        x2 = a.x2 if a.x1 != a.x2 else a.x1 + 30
        g.add(Line(a.x1, y, x2, y, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash))
        tip = -1 if x2 > a.x1 else 1
        g.add(Polygon([x2, y, x2 + tip * 8, y + 3.5, x2 + tip * 8, y - 3.5], fillColor=colour, strokeColor=colour))
        lx = _label_x(a, flow.width)
        g.add(String(lx, y + 6, a.label, fontName=GOTHIC, fontSize=FONT_SIZE, fillColor=colour, textAnchor="middle"))
        g.add(String(lx, y - 14, a.items, fontName=GOTHIC, fontSize=8, fillColor=grey, textAnchor="middle"))
    d.add(g)
    return d


def to_png(flow: FlowLayout, scale: float = 2.0) -> bytes:
    """A PNG for the DOCX (Word cannot take the SVG through python-docx)."""
    from PIL import Image, ImageDraw, ImageFont

    from madoguchi.core.pdf import GOTHIC, font_path

    path = str(font_path(GOTHIC))
    fonts = {size: ImageFont.truetype(path, int(size * scale)) for size in (9, 11, 12)}
    img = Image.new("RGB", (int(flow.width * scale), int(flow.height * scale)), "white")
    draw = ImageDraw.Draw(img)

    def s(*values: float) -> list[float]:
        return [v * scale for v in values]

    for n in flow.nodes:
        draw.line(s(n.x, HEAD_Y + HEAD_H, n.x, flow.height - 6), fill="#949494", width=1)
        draw.rounded_rectangle(s(n.x - COL / 2 + 8, HEAD_Y, n.x + COL / 2 - 8, HEAD_Y + HEAD_H), radius=int(6 * scale),
                               fill=KIND_FILL.get(n.kind, "#ffffff"), outline="#1a1a1a", width=2)
        draw.text((n.x * scale, (HEAD_Y + HEAD_H / 2) * scale), _fit(n.label, COL - 20, 12), font=fonts[12], fill="#1a1a1a",
                  anchor="mm")
    for a in flow.arrows:
        colour = CHANGED if a.changed else "#1a1a1a"
        x2 = a.x2 if a.x1 != a.x2 else a.x1 + 30
        if a.changed:
            x, step = a.x1, 10 if x2 > a.x1 else -10
            while (x - x2) * step < 0:
                nxt = x + step * 0.6
                draw.line(s(x, a.y, nxt if (nxt - x2) * step < 0 else x2, a.y), fill=colour, width=int(2 * scale))
                x += step
        else:
            draw.line(s(a.x1, a.y, x2, a.y), fill=colour, width=int(1.6 * scale))
        tip = -1 if x2 > a.x1 else 1
        draw.polygon(s(x2, a.y, x2 + tip * 8, a.y - 3.5, x2 + tip * 8, a.y + 3.5), fill=colour)
        lx = _label_x(a, flow.width)
        draw.text((lx * scale, (a.y - 8) * scale), a.label, font=fonts[11], fill=colour, anchor="mb")
        draw.text((lx * scale, (a.y + 6) * scale), a.items, font=fonts[9], fill="#595959", anchor="mt")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
