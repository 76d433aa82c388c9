"""BASELINE ONLY (bench/duplicates.py --baseline): the key functions before issue 15, kept verbatim to
compare speed and accuracy in the same run.  Not used by the product.

Match keys for Japanese names, kana and addresses.

The keys are for **searching and matching only**: they are stored beside the name as written in the
register and are never shown or written back into a name.  Every function is idempotent
(``key(key(s)) == key(s)``) so a stored key can be compared with the key of a query.

- :func:`name_key` — NFKC, spaces (also U+3000) and 中黒 removed, ideographic variation selectors (IVS)
  removed, and a hand-curated table of variant characters folded (髙→高, 﨑→崎, 邊/邉→辺, 齋/齊→斎 …).
  NFKC alone folds most CJK compatibility ideographs but not these (japan-domain-facts.md §4.1).
- :func:`kana_key` — NFKC (half-width → full-width), hiragana → katakana, small kana enlarged, long-vowel
  and hyphen variants unified to ー, spaces and 中黒 removed: ﾔﾏﾀﾞ ﾀﾛｳ = やまだ　たろう = ヤマダタロウ.
- :func:`address_key` — NFKC, spaces removed, kanji numerals before 丁目/番/号 → Arabic, 丁目/番地/番/号/の
  and dash variants → ``-``: 二丁目8番1号 = 2-8-1 = ２丁目８−１ = 2丁目8-1.  A leading municipality
  (東京都新宿区 by default) is left out of the key.  :func:`split_address` separates the 方書 (building).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import kanjize

# --- names ----------------------------------------------------------------------------------------

# variant → the form used in match keys.  Characters that NFKC already folds (compatibility ideographs
# such as 塚 U+FA10) need no entry.  Keep one entry per line group, sorted by the target.
_NAME_VARIANTS: dict[str, str] = {
    # 高 崎 辺 斎 (the common ones on every register)
    "髙": "高", "﨑": "崎", "嵜": "崎", "碕": "崎",
    "邊": "辺", "邉": "辺",
    "齋": "斎", "齊": "斎",
    # 浜 沢 島 広 桜 国 真 徳 恵 槙 竜 富 篭 髪 昇 渕 瀬 村
    "濵": "浜", "濱": "浜",
    "澤": "沢",
    "嶋": "島", "嶌": "島", "嶹": "島",
    "廣": "広",
    "櫻": "桜",
    "國": "国", "圀": "国",
    "眞": "真",
    "德": "徳",
    "惠": "恵",
    "槇": "槙",
    "龍": "竜",
    "冨": "富",
    "籠": "篭",
    "髮": "髪",
    "曻": "昇",
    "淵": "渕",
    "瀨": "瀬",
    "邨": "村",
    # further old/variant forms common in 住民記録
    "𠮷": "吉",  # 吉 with a longer lower stroke (U+20BB7)
    "𡈽": "土",  # 土 with a dot (U+2123D)
    "實": "実", "榮": "栄", "藏": "蔵", "壽": "寿", "與": "与", "黑": "黒", "圓": "円", "澁": "渋",
    "會": "会", "鐵": "鉄", "彌": "弥", "勳": "勲", "淺": "浅", "條": "条", "增": "増", "兒": "児",
    "萬": "万", "戶": "戸", "靜": "静", "顯": "顕", "爲": "為", "亞": "亜", "恆": "恒", "巖": "巌",
    "嶽": "岳", "劔": "剣", "劍": "剣", "覺": "覚", "禮": "礼", "禰": "祢", "彥": "彦", "靑": "青",
    "檜": "桧", "蘆": "芦", "竈": "竃", "鷗": "鴎", "莊": "荘", "乘": "乗", "來": "来", "關": "関",
    "學": "学", "寶": "宝", "壹": "壱", "鹽": "塩", "濟": "済", "瀧": "滝", "豐": "豊", "舘": "館",
    "峯": "峰", "埜": "野", "栁": "柳", "桒": "桑", "驒": "騨", "廐": "厩", "晄": "晃", "苅": "刈",
    "傳": "伝", "縣": "県", "聰": "聡", "穗": "穂", "繪": "絵", "絲": "糸", "凛": "凜", "遙": "遥",
    "堯": "尭",
}
_NAME_TABLE = str.maketrans({k: v for k, v in _NAME_VARIANTS.items() if k != v})

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


def fold_variants(text: str) -> str:
    """Fold the variant characters of the table (髙→高 …); nothing else."""
    return text.translate(_NAME_TABLE)


def name_key(text: str) -> str:
    """The match key of a name written in kanji (or anything else): see the module docstring."""
    s = _DROP.sub("", _nfkc(text))
    s = _SPACES.sub("", s).translate(_NAME_PUNCT)
    return fold_variants(_renormalise(s))


# --- kana -----------------------------------------------------------------------------------------

_SMALL = {
    "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ", "ッ": "ツ", "ャ": "ヤ", "ュ": "ユ",
    "ョ": "ヨ", "ヮ": "ワ", "ヵ": "カ", "ヶ": "ケ",
    "ㇰ": "ク", "ㇱ": "シ", "ㇲ": "ス", "ㇳ": "ト", "ㇴ": "ヌ", "ㇵ": "ハ", "ㇶ": "ヒ", "ㇷ": "フ",
    "ㇸ": "ヘ", "ㇹ": "ホ", "ㇺ": "ム", "ㇻ": "ラ", "ㇼ": "リ", "ㇽ": "ル", "ㇾ": "レ", "ㇿ": "ロ",
    "ヰ": "イ", "ヱ": "エ",
}
# Long vowel marks, hyphens, dashes, minus signs and waves all become ー.
_LONG = "ー‐‑‒–—―−-－~〜～ｰ─━"
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
    return _renormalise(s)


# --- addresses ------------------------------------------------------------------------------------

DEFAULT_MUNICIPALITY_PREFIXES: tuple[str, ...] = ("東京都新宿区", "新宿区")

_KANJI_DIGITS = "〇一二三四五六七八九十百千"
_DASHES = "‐‑‒–—―−-－ー─━ｰ"
# a run of kanji numerals that stands for a number of an address (followed by 丁目/番/号/の/a dash,
# or standing at the end or before a digit block); 四谷, 百人町, 三栄町 stay as they are.
_KANJI_NUMBER = re.compile(
    rf"[{_KANJI_DIGITS}]+(?=丁目|番地|番(?!町)|号|の[{_KANJI_DIGITS}0-9]|[{re.escape(_DASHES)}]|$|\s)"
)
_KANJI_AFTER_SEP = re.compile(rf"(?<=[0-9\-])[{_KANJI_DIGITS}]+")
_UNITS = re.compile(r"(?<=[0-9])(?:丁目|番地|番(?!町)|号(?![室棟館]))")
_DASH_AFTER_DIGIT = re.compile(rf"(?<=[0-9])[{re.escape(_DASHES)}]")
_NO = re.compile(r"(?<=[0-9\-])[の之ノ](?=[0-9])")
_SPACE_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[\s\u3000]+(?=[0-9])")
_MULTI_DASH = re.compile(r"-{2,}")
_DASH_NOT_BEFORE_DIGIT = re.compile(r"-(?![0-9])")
_NUMBER_BLOCK = re.compile(r"[0-9]+(?:-[0-9]+)*")


def _kanji_to_int(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        return str(kanjize.kanji2number(run))
    except Exception:  # pragma: no cover - kanjize refuses odd runs such as 十十; keep them as written
        return run


def _address_normal(text: str, prefixes: Sequence[str]) -> str:
    """NFKC, municipality prefix removed, numbers and separators unified; spaces kept as '␣' boundaries."""
    s = _DROP.sub("", _nfkc(text)).strip()
    s = _SPACES.sub(" ", s)
    for prefix in prefixes:
        if s.startswith(prefix):
            s = s[len(prefix):].lstrip()
            break
    s = _KANJI_NUMBER.sub(_kanji_to_int, s)
    s = _KANJI_AFTER_SEP.sub(_kanji_to_int, s)
    s = _UNITS.sub("-", s)
    s = _DASH_AFTER_DIGIT.sub("-", s)
    s = _NO.sub("-", s)
    s = _SPACE_BETWEEN_DIGITS.sub("-", s)
    s = _MULTI_DASH.sub("-", s)
    return s


def _squeeze(s: str) -> str:
    s = _SPACES.sub("", s)
    s = _MULTI_DASH.sub("-", s)
    return _renormalise(_DASH_NOT_BEFORE_DIGIT.sub("", s))


def address_key(text: str, *, prefixes: Sequence[str] = DEFAULT_MUNICIPALITY_PREFIXES) -> str:
    """The match key of an address as written (including any building name in it)."""
    return fold_variants(_squeeze(_address_normal(text, prefixes)))


def split_address(text: str, *, prefixes: Sequence[str] = DEFAULT_MUNICIPALITY_PREFIXES) -> tuple[str, str]:
    """(key of the address up to its 丁目・番・号 block, key of the rest: the building / 方書).

    The building part is what follows the first number block (西新宿2-8-1 | 新宿マンション101号室); an
    address without numbers is all base.
    """
    s = _address_normal(text, prefixes)
    match = _NUMBER_BLOCK.search(s)
    if match is None:
        return fold_variants(_squeeze(s)), ""
    base = _squeeze(s[: match.end()])
    rest = s[match.end():]
    return fold_variants(base), building_key(rest)


def building_key(text: str) -> str:
    """The match key of a building name / 方書 (マンション名 号室): width, spaces, variants."""
    s = _DROP.sub("", _nfkc(text))
    s = _SPACES.sub("", s).lstrip("".join(_DASHES))
    return fold_variants(_renormalise(s))
