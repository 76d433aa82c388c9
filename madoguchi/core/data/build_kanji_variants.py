"""Build ``kanji_variants.tsv``, the old/new (異体字) table of the name keys, from Unicode's Unihan database.

Run on demand, never at run time (the keys read only the TSV)::

    python -m madoguchi.core.data.build_kanji_variants [UNIHAN_DIR]

UNIHAN_DIR holds Unihan_*.txt(.bz2) (default ``/usr/share/unicode``, Debian's ``unicode-data`` package).
Source: the Unicode Character Database, Unihan (UAX #38), © Unicode, Inc., the Unicode License (Unicode Data Files and Software).

Rules (each entry keeps the Unihan field and value that justify it, so a test can check it):

1. **常用漢字表 and 人名用漢字 correspondences** — ``kJoyoKanji`` / ``kJinmeiyoKanji`` values of the form
   ``U+XXXX`` or ``2010:U+XXXX``: the character is a listed variant (旧字体・許容字体・異体字) of that
   standard character (齊 → 斉, 廣 → 広, 剥 → 剝).  Every such pair is taken.
2. **Unihan variants that hold in Japanese** — a character used in Japan (it has a J source, a JIS or an
   IBM Japan code) that is not itself 常用・人名用 is folded to a 常用・人名用 character with the **same
   radical** (``kRSUnicode``) when Unihan gives that character as
   a. its ``kZVariant`` (the same character, another glyph), or
   b. its ``kSemanticVariant`` on the authority of 大漢和辞典 (the value is tagged ``kMorohashi``):
      﨑 → 崎, or
   c. its one and only ``kSemanticVariant``, for the IBM extension kanji of CP932 (``kIBMJapan``, added to
      the code page for personal and place names): 髙 → 高, 栁 → 柳.
   When this leads to more than one character, the character is left unfolded.  Other semantic variants
   are not used (they record Chinese usage: 鯰 → 鮎, 濵 → 瀕), nor ``kSpecializedSemanticVariant`` (it
   links 齋 to 齊 and so to 斉) or ``kSpoofingVariant`` (妺 → 妹).

Two standard characters are never folded into one another except by rule 1 (which is the lists' own word),
so 斎 and 斉, 崎 and 埼 stay apart.  Each variant is folded to the end of its chain (a standard character).
"""

from __future__ import annotations

import bz2
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent / "kanji_variants.tsv"
FIELDS_STANDARD = ("kJoyoKanji", "kJinmeiyoKanji")
FIELDS_VARIANT = ("kSemanticVariant", "kZVariant")
FIELDS_JAPAN = ("kIRG_JSource", "kJis0", "kJis1", "kJIS0213", "kIBMJapan")


def _lines(directory: Path, name: str) -> list[list[str]]:
    plain = directory / f"{name}.txt"
    if plain.exists():
        text = plain.read_text(encoding="utf-8")
    else:
        text = bz2.decompress((directory / f"{name}.txt.bz2").read_bytes()).decode("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.startswith("U+")]


def _ch(code: str) -> str:
    return chr(int(code.split("<")[0][2:], 16))


def load(directory: Path) -> dict[str, dict[str, str]]:
    """Unihan as {character: {field: value}} for the fields the rules use."""
    wanted = set(FIELDS_STANDARD) | set(FIELDS_VARIANT) | set(FIELDS_JAPAN) | {"kRSUnicode", "kUnihanVersion"}
    data: dict[str, dict[str, str]] = defaultdict(dict)
    for name in ("Unihan_OtherMappings", "Unihan_Variants", "Unihan_IRGSources"):
        for cp, field, value in _lines(directory, name):
            if field in wanted:
                data[_ch(cp)][field] = value.strip()
    return data


def _radical(data: dict[str, dict[str, str]], c: str) -> str:
    return data.get(c, {}).get("kRSUnicode", "").split(" ")[0].split(".")[0].rstrip("'")


def build(data: dict[str, dict[str, str]]) -> list[tuple[str, str, str, str]]:
    """[(variant, standard, field, value)] by the module's rules, sorted by code point of the variant."""
    standard = {c for c, f in data.items() if any(k in f for k in FIELDS_STANDARD)}
    edges: dict[str, tuple[str, str, str]] = {}
    for c, fields in data.items():
        for field in FIELDS_STANDARD:
            value = fields.get(field, "")
            if "U+" in value:
                edges[c] = (_ch(value.split(":")[-1]), field, value)
    japan = {c for c, f in data.items() if any(k in f for k in FIELDS_JAPAN)}
    official = dict(edges)
    for c, fields in data.items():
        if c in standard or c in edges or c not in japan:
            continue
        leads: dict[str, tuple[str, str]] = {}
        semantic = fields.get("kSemanticVariant", "").split()
        chosen = [("kZVariant", code) for code in fields.get("kZVariant", "").split()]
        chosen += [("kSemanticVariant", code) for code in semantic if "kMorohashi" in code]
        if "kIBMJapan" in fields and len(semantic) == 1:
            chosen.append(("kSemanticVariant", semantic[0]))
        for field, code in chosen:
            target = _ch(code)
            end = official[target][0] if target in official else target
            if end != c and _radical(data, end) == _radical(data, c):
                leads.setdefault(end, (field, fields[field]))
        if len(leads) == 1:
            target, (field, value) = next(iter(leads.items()))
            if target in standard:
                edges[c] = (target, field, value)
    rows = []
    for c, (target, field, value) in edges.items():
        seen = {c}
        while target in edges and target not in seen:  # fold to the end of the chain
            seen.add(target)
            target = edges[target][0]
        if target != c:
            rows.append((c, target, field, value))
    return sorted(rows, key=lambda r: ord(r[0]))


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/unicode")
    data = load(directory)
    rows = build(data)
    version = (directory / "ReadMe.txt").read_text(encoding="utf-8").split("Version ")[-1].split()[0] \
        if (directory / "ReadMe.txt").exists() else "?"
    header = [
        "# Old/new and variant kanji folded by the name keys (madoguchi.core.text).",
        f"# Source: Unicode Character Database {version}, Unihan (UAX #38) — © Unicode, Inc.,",
        "# the Unicode License (Unicode Data Files and Software) (https://www.unicode.org/license.txt).  Generated by",
        "# madoguchi/core/data/build_kanji_variants.py; do not edit by hand.",
        "# columns: variant, standard (the form used in keys), Unihan field of the variant, its value",
    ]
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(header) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"{len(rows)} entries → {OUT}")


if __name__ == "__main__":
    main()
