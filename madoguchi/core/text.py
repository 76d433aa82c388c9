"""Match keys for Japanese names, kana and addresses.

The keys are for **searching and matching only**: they are stored beside the name as written in the
register and are never shown or written back into a name (storage keeps every character as written,
ideographic variation selectors included).  Every function is idempotent (``key(key(s)) == key(s)``) so a
stored key can be compared with the key of a query.  Staff's account of what is treated as the same:
docs/guide/spellings.md; the design: docs/adr/0014-match-keys-from-standard-sources.md.

- :func:`name_key` — NFKC (width), letter case folded (SMITH = Smith = ＳＭＩＴＨ), spaces (also U+3000)
  and 中黒 removed, ideographic variation selectors (U+E0100–E01EF) and variation selectors
  (U+FE00–FE0F) removed, and the old/new forms of ``data/kanji_variants.tsv`` folded (齊→斉, 廣→広, 髙→高).
  The table is generated from Unicode's Unihan database (the 常用漢字表 and 人名用漢字 correspondences
  and its Japanese semantic/Z variants) by ``data/build_kanji_variants.py``; 斎 and 斉 stay different.
- :func:`kana_key` — NFKC (half-width → full-width), hiragana → katakana, small kana enlarged, long-vowel
  and hyphen variants unified to ー, spaces and 中黒 removed, Latin case folded: ﾔﾏﾀﾞ ﾀﾛｳ = やまだ　たろう.
- :func:`address_key` — NFKC, spaces anywhere, a leading 〒 postal code, prefecture (any of the 47) and the
  ward's own municipality removed (also when spaced: ``東京都 新宿区``), the linking kana ケ/ヶ/が/ヵ and
  ツ/ッ between two kanji left out (霞が関 = 霞ヶ関 = 霞ケ関, 市ヶ谷 = 市谷, 四ツ谷 = 四谷), every dash look-alike (Unicode Pd, minus signs, ⁃, ー after a digit, box
  lines) as ``-``, kanji numerals before 丁目/番/号 → Arabic, 丁目/番地/番/号/の → ``-``:
  ``東京都 新宿区西新宿二丁目8番1号`` = ``西新宿2-8-1`` = ``西新宿２⁃８⁃１``.
- :func:`split_address` — (the address up to its 丁目・番・号, at most three numbers; the rest: building
  and room).  A fourth number is the room: ``西新宿2-8-1-304`` → (``西新宿2-8-1``, ``304``).
- :func:`household_key` — one key per dwelling: the address and the room number if there is one
  (``304号室``, a trailing ``-304``, ``ハイツ西新宿 304``), otherwise the building part.
- :func:`within_area` — is the address inside an area written as its head (``東京都新宿区``)?
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import kanjize

# --- the variant table ----------------------------------------------------------------------------

VARIANTS_FILE = Path(__file__).resolve().parent / "data" / "kanji_variants.tsv"


def load_variants(path: Path = VARIANTS_FILE) -> dict[str, str]:
    """{variant: standard} from the generated TSV (columns variant, standard, Unihan field, value)."""
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            variant, standard = line.split("\t")[:2]
            table[variant] = standard
    return table


# variant → the form used in match keys.  Characters that NFKC already folds (compatibility ideographs
# such as 塚 U+FA10) are folded before the table is applied.
_NAME_VARIANTS: dict[str, str] = {
    unicodedata.normalize("NFKC", k): unicodedata.normalize("NFKC", v)
    for k, v in load_variants().items()
    if unicodedata.normalize("NFKC", k) != unicodedata.normalize("NFKC", v)
}
_NAME_TABLE = str.maketrans(_NAME_VARIANTS)

# Ideographic variation selectors (U+E0100–E01EF), standard variation selectors (U+FE00–FE0F),
# Mongolian free variation selectors, zero-width characters and the BOM: all dropped from keys.
_DROP = re.compile("[\uFE00-\uFE0F\U000E0100-\U000E01EF\u180B-\u180D\u200B-\u200D\u2060\uFEFF]")
_SPACES = re.compile(r"[\s\u3000]+")
_NAME_PUNCT = str.maketrans("", "", "・･·.,、，")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _renormalise(text: str) -> str:
    """Removing characters can join a letter and a combining mark; normalise again so keys are stable."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


_LATIN_ACCENTED = re.compile("[\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]")
_LATIN_MARKS = re.compile("(?<=[a-z])[\u0300-\u036f]+")


def _fold_case(text: str) -> str:
    """Latin (and Greek, Cyrillic) letters in one case, Latin letters without accents (José = JOSE,
    Nguyễn = NGUYEN); a no-op for kana and kanji (their voicing marks are kept)."""
    folded = text.casefold()
    if not folded.isascii() and _LATIN_ACCENTED.search(folded):
        folded = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", folded))
        return unicodedata.normalize("NFKC", folded)
    return text if folded == text else _renormalise(folded)


def fold_variants(text: str) -> str:
    """Fold the old/new forms of the table (齊→斉, 髙→高 …); nothing else."""
    return text.translate(_NAME_TABLE)


def name_key(text: str) -> str:
    """The match key of a name written in kanji, kana or Latin letters: see the module docstring.

    ``name_key("齊藤　一郎") == name_key("斉藤一郎")``; ``name_key("SMITH JOHN") == "smithjohn"``.
    """
    s = _DROP.sub("", _nfkc(text))
    s = _SPACES.sub("", s).translate(_NAME_PUNCT)
    return fold_variants(_fold_case(_renormalise(s)))


# --- kana -----------------------------------------------------------------------------------------

_SMALL = {
    "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ", "ッ": "ツ", "ャ": "ヤ", "ュ": "ユ",
    "ョ": "ヨ", "ヮ": "ワ", "ヵ": "カ", "ヶ": "ケ",
    "ㇰ": "ク", "ㇱ": "シ", "ㇲ": "ス", "ㇳ": "ト", "ㇴ": "ヌ", "ㇵ": "ハ", "ㇶ": "ヒ", "ㇷ": "フ",
    "ㇸ": "ヘ", "ㇹ": "ホ", "ㇺ": "ム", "ㇻ": "ラ", "ㇼ": "リ", "ㇽ": "ル", "ㇾ": "レ", "ㇿ": "ロ",
    "ヰ": "イ", "ヱ": "エ",
}
# Long vowel marks, hyphens, dashes, minus signs and waves all become ー.
_LONG = "ー‐‑‒–—―−-－~〜～ｰ─━⁃"
_KANA_TABLE: dict[int, str | None] = {}
for _c in range(0x3041, 0x3097):  # ぁ..ゖ → ァ..ヶ
    _KANA_TABLE[_c] = chr(_c + 0x60)
_KANA_TABLE[ord("ゝ")] = "ヽ"
_KANA_TABLE[ord("ゞ")] = "ヾ"
_KANA_TABLE.update({ord(k): v for k, v in _SMALL.items()})
# hiragana small forms map through katakana small forms to the large katakana
for _c in range(0x3041, 0x3097):
    _kata = chr(_c + 0x60)
    if _kata in _SMALL:
        _KANA_TABLE[_c] = _SMALL[_kata]
_KANA_TABLE.update({ord(c): "ー" for c in _LONG})
_KANA_TABLE.update({ord(c): None for c in "・･·.,、，=＝"})


def to_katakana(text: str) -> str:
    """Hiragana → katakana (full-width); other characters unchanged."""
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def kana_key(text: str) -> str:
    """The match key of a kana name: ﾔﾏﾀﾞ ﾀﾛｳ = やまだ　たろう = ヤマダタロウ; small kana enlarged."""
    s = _DROP.sub("", _nfkc(text))
    s = _SPACES.sub("", s).translate(_KANA_TABLE)
    return _fold_case(_renormalise(s))


# --- addresses ------------------------------------------------------------------------------------

DEFAULT_MUNICIPALITY_PREFIXES: tuple[str, ...] = ("東京都新宿区", "新宿区")

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)


_POSTAL = re.compile(r"^(?:〒\s*)?[0-9]{3}\s*-?\s*[0-9]{4}\s+|^〒\s*[0-9]{3}\s*-?\s*[0-9]{4}\s*")

_KANJI_DIGITS = "〇一二三四五六七八九十百千"
# Every dash look-alike: Unicode's dash punctuation (Pd: ‐ ‑ ‒ – — ― ⸺ ⸻ ﹘ ﹣ － 〜 …), minus signs,
# the hyphen bullet ⁃, the modifier minus ˗, box-drawing lines, the heavy minus ➖ and the long vowel
# mark ー / ｰ (these last only where they follow a digit).
_DASHES = "".join(sorted(
    {chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Pd"}
    | set("\u2212\u2043\u02d7\u2796\u23af\u2500\u2501\u2574\u2576\u2578\u257a\u2015\u30fc\uff70\u2012\u207b\u208b")
))
_DASH_CLASS = "[" + re.escape(_DASHES) + "]"
# a run of kanji numerals that stands for a number of an address (followed by 丁目/番/号/の/a dash,
# or standing at the end or before a digit block); 四谷, 百人町, 三栄町, 八丁堀 stay as they are.
_KANJI_NUMBER = re.compile(
    rf"[{_KANJI_DIGITS}]+(?=丁目|番地|番(?!町)|号|の[{_KANJI_DIGITS}0-9]|{_DASH_CLASS}|\s*$|\s+[0-9])"
)
_KANJI_AFTER_SEP = re.compile(rf"(?<=[0-9\-])[{_KANJI_DIGITS}]+")
_UNITS = re.compile(r"(?<=[0-9])\s*(?:丁目|番地|番(?!町)|号(?![室棟館]))")
_DASH_AFTER_DIGIT = re.compile(rf"(?<=[0-9])\s*{_DASH_CLASS}+\s*")
_NO = re.compile(r"(?<=[0-9\-])[の之ノ](?=[0-9])")
_SPACE_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[\s\u3000]+(?=[0-9])")
_MULTI_DASH = re.compile(r"-{2,}")
_DASH_NOT_BEFORE_DIGIT = re.compile(r"-(?![0-9])")
_NUMBER_BLOCK = re.compile(r"[0-9]+(?:-[0-9]+)*")
# ケ・ヶ・が・ヵ (and け) and ツ・ッ・つ between two kanji link the parts of a place name and are written or
# not: 霞が関 = 霞ヶ関 = 霞ケ関, 市ヶ谷 = 市谷, 四ツ谷 = 四ッ谷 = 四谷.  They are left out of the key.
_KANJI = r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f々〆]"
_GA = re.compile(rf"(?<={_KANJI})\s*[ケヶがヵけツッつ]\s*(?={_KANJI})")
# の・ノ between two kanji in place names: 丸の内 = 丸ノ内.
_NO_KANJI = re.compile(rf"(?<={_KANJI})[のノ](?={_KANJI})")
_HAS_GA = re.compile("[ケヶがヵけツッつのノ]")
_HAS_DROP = _DROP
_HAS_KANJI_DIGIT = re.compile(f"[{_KANJI_DIGITS}]")
# spaces inside or before the words of an address number (一 丁 目, 8 番 地) or inside a kanji numeral (十 二)
_UNIT_SPACES = re.compile(rf"(?<=[{_KANJI_DIGITS}0-9丁番])\s+(?=丁目|目|番地|地|番|号|[{_KANJI_DIGITS}](?!\s*[^\s{_KANJI_DIGITS}丁番号の]))"
                          rf"|(?<=[{_KANJI_DIGITS}])\s+(?=[{_KANJI_DIGITS}])")
_ROOM_SUFFIX = re.compile(r"(?<=[0-9])(?:号室|号|室)$")
# a room number at the end of the building part, with the wing if one is named (a棟304 ≠ b棟304)
_ROOM = re.compile(r"(?:[a-z0-9]+(?:号棟|号館|棟|館)-?)?(?:[a-z]-?)?[0-9]+$")


@lru_cache(maxsize=4096)
def _kanji_number(run: str) -> str:
    try:
        return str(kanjize.kanji2number(run))
    except Exception:  # pragma: no cover - kanjize refuses odd runs such as 十十; keep them as written
        return run


def _kanji_to_int(match: re.Match[str]) -> str:
    return _kanji_number(match.group(0))


def _municipality_heads(prefixes: Sequence[str]) -> tuple[str, ...]:
    heads: list[str] = []
    for prefix in prefixes:
        head = _SPACES.sub("", _nfkc(prefix))
        for p in _PREFECTURE_HEADS:
            if head.startswith(p):
                head = head[len(p):]
                break
        if head and head not in heads:
            heads.append(head)
    return tuple(sorted(heads, key=len, reverse=True))


_HEADS_CACHE: dict[tuple[str, ...], tuple[str, ...]] = {}
_FIRST_DIGIT = re.compile(r"[0-9]")
_POSTAL_FIRST = frozenset("〒0123456789")


_PREFECTURE_HEADS = tuple(sorted(PREFECTURES, key=len, reverse=True))
_PREFECTURE_SET = frozenset(PREFECTURES)  # 3 or 4 characters each


def _head_stripped(s: str, prefixes: Sequence[str]) -> str:
    """``s`` (NFKC, spaces collapsed) without a leading postal code, prefecture and ward municipality.

    Spaces before the first digit are dropped first (they never separate numbers there), so the head is
    recognised however it is spaced (東京都 新宿区, 東 京 都)."""
    if s[:1] in _POSTAL_FIRST:
        s = _POSTAL.sub("", s, count=1)
    if " " in s:
        m = _FIRST_DIGIT.search(s)
        cut = m.start() if m else len(s)
        s = s[:cut].replace(" ", "") + s[cut:]
    if s[:3] in _PREFECTURE_SET:
        s = s[3:]
    elif s[:4] in _PREFECTURE_SET:
        s = s[4:]
    heads = _HEADS_CACHE.get(tuple(prefixes))
    if heads is None:
        heads = _HEADS_CACHE.setdefault(tuple(prefixes), _municipality_heads(prefixes))
    for head in heads:
        if s.startswith(head):
            return s[len(head):]
    return s


def _address_normal(text: str, prefixes: Sequence[str]) -> str:
    """NFKC, head removed, numbers and separators unified; spaces kept as ' ' boundaries."""
    # each step is skipped when a cheap test shows it has nothing to do (350,000 addresses per import)
    s = _nfkc(text)
    if not s.isascii() and _HAS_DROP.search(s):
        s = _DROP.sub("", s)
    s = _SPACES.sub(" ", s.strip())
    s = _fold_case(_head_stripped(s, prefixes).lstrip())
    spaced = " " in s
    if _HAS_GA.search(s):
        s = _NO_KANJI.sub("ノ", _GA.sub("", s))
    if spaced:
        s = _UNIT_SPACES.sub("", _UNIT_SPACES.sub("", s))  # twice: 一 丁 目
    if _HAS_KANJI_DIGIT.search(s):
        s = _KANJI_NUMBER.sub(_kanji_to_int, s)
        s = _KANJI_AFTER_SEP.sub(_kanji_to_int, s)
    if "丁" in s or "番" in s or "号" in s:
        s = _UNITS.sub("-", s)
    s = _DASH_AFTER_DIGIT.sub("-", s)
    if "の" in s or "ノ" in s or "之" in s:
        s = _NO.sub("-", s)
    if spaced:
        s = _SPACE_BETWEEN_DIGITS.sub("-", s)
    if "--" in s:
        s = _MULTI_DASH.sub("-", s)
    return s


def _squeeze(s: str) -> str:
    if " " in s:
        s = s.replace(" ", "")
        if "--" in s:
            s = _MULTI_DASH.sub("-", s)
    if "-" in s:
        s = _DASH_NOT_BEFORE_DIGIT.sub("", s)
    return _renormalise(s)


def address_key(text: str, *, prefixes: Sequence[str] = DEFAULT_MUNICIPALITY_PREFIXES) -> str:
    """The match key of an address as written (including any building name in it).

    ``address_key("東京都 新宿区西新宿二丁目8番1号") == address_key("西新宿2⁃8⁃1") == "西新宿2-8-1"``.
    ``prefixes``: the ward's own municipality as written at the head of addresses (default 東京都新宿区,
    新宿区); any prefecture is removed in any case, so other municipalities keep their name (渋谷区神南1-1).
    """
    return fold_variants(_fold_case(_squeeze(_address_normal(text, prefixes))))


@lru_cache(maxsize=200_000)
def _split_cached(text: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    s = _address_normal(text, prefixes)
    match = _NUMBER_BLOCK.search(s)
    if match is None:
        return fold_variants(_fold_case(_squeeze(s))), ""
    numbers = match.group(0).split("-")
    base = _squeeze(s[: match.start()] + "-".join(numbers[:3]))
    rest = "-".join(numbers[3:]) + s[match.end():]
    return fold_variants(_fold_case(base)), building_key(rest)


def split_address(text: str, *, prefixes: Sequence[str] = DEFAULT_MUNICIPALITY_PREFIXES) -> tuple[str, str]:
    """(key of the address up to its 丁目・番・号 block, key of the rest: the building / 方書 / room).

    The block is at most three numbers (丁目-番-号); a fourth is the room (西新宿2-8-1-304 | 304).  The
    building part is what follows (西新宿2-8-1 | 新宿マンション101); an address without numbers is all base.
    """
    return _split_cached(text or "", tuple(prefixes))


def building_key(text: str) -> str:
    """The match key of a building name / 方書 (マンション名 号室): width, case, spaces, variants;
    a room's 号室/号/室 after its number left out (``新宿ハイツ304号室`` = ``新宿ハイツ 304``)."""
    if not text:
        return ""
    s = _nfkc(text)
    if not s.isascii() and _HAS_DROP.search(s):
        s = _DROP.sub("", s)
    s = _fold_case(_SPACES.sub("", s).lstrip(_DASHES + "-"))
    if _HAS_GA.search(s):
        s = _GA.sub("", s)
    s = _DASH_AFTER_DIGIT.sub("-", s)
    if "号" in s or "室" in s:
        s = _ROOM_SUFFIX.sub("", s)
    if "-" in s:
        s = _DASH_NOT_BEFORE_DIGIT.sub("", s)
    return fold_variants(_fold_case(_renormalise(s)))


def room_of(building: str) -> str:
    """The room number at the end of a building key (``新宿ハイツ304`` → ``304``, ``a-101`` → ``a101``)."""
    if not building or not building[-1].isdigit():
        return ""
    m = _ROOM.search(building)
    return m.group(0).replace("-", "") if m else ""


def household_key(address: str, address_extra: str = "", *,
                  prefixes: Sequence[str] = DEFAULT_MUNICIPALITY_PREFIXES) -> str:
    """One key per dwelling: ``<address key up to 号>|<room or building>``.

    Every written form of one flat gives one key: ``西新宿二丁目8番1号304号室``, ``西新宿2-8-1-304``,
    ``西新宿2-8-1 ハイツ西新宿304`` and ``西新宿2-8-1`` with 方書 ``ハイツ西新宿 304号室`` all give
    ``西新宿2-8-1|304`` (issue 19, one payment per household).  Without a room number the building part
    is kept as it is (``西新宿2-8-1|山田方``), and a house without one is ``西新宿2-8-1|``.
    """
    base, building = split_address(address, prefixes=prefixes)
    building += building_key(address_extra)
    room = room_of(building)
    return f"{base}|{room or building}"


def within_area(address: str, area: str) -> bool:
    """Whether ``address`` lies in ``area`` written as the head of an address (``東京都新宿区``).

    Width, spaces and a leading postal code do not count, and the prefecture may be left out on either
    side: ``新宿区新宿5-10-4`` and ``東京都 新宿区新宿5-10-4`` are both within ``東京都新宿区`` (issue 17).
    An empty area contains every address.
    """
    if not area.strip():
        return True

    def head(text: str) -> str:
        s = _SPACES.sub("", _DROP.sub("", _nfkc(text)))
        s = _POSTAL.sub("", s, count=1)
        for p in _PREFECTURE_HEADS:
            if s.startswith(p):
                s = s[len(p):]
                break
        return _GA.sub("", s)

    area_head = head(area)
    if not area_head:  # a prefecture alone: compare it as written
        return _SPACES.sub("", _nfkc(address)).startswith(_SPACES.sub("", _nfkc(area)))
    return head(address).startswith(area_head)
