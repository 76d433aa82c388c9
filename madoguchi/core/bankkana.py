"""口座名義カナ: account-holder names as banks take them (japan-domain-facts §2).

:func:`to_bank_kana` turns what an applicant wrote (full-width or half-width katakana, hiragana,
full-width letters and digits) into the half-width form of a Zengin file:

- hiragana and full-width katakana become half-width katakana; ヴ becomes ``ｳﾞ``;
- small kana are enlarged (キュウ → ｷﾕｳ);
- the long vowel ー (and ｰ, －, ‐ …) becomes ``-`` (0x2D), never ``ｰ`` (0xB0), which banks reject;
- 中黒 ・ becomes a space; runs of spaces become one; lower-case a–z becomes A–Z;
- the result holds only ``ｱ``–``ﾝ`` (no ``ｦ``), ``ﾞ ﾟ``, A–Z, 0–9, space and ``( ) - .``; ``/`` and
  ``,`` only when the bank allows them (``extra``).

Anything else — kanji above all, since a kanji's reading cannot be guessed (東 = ヒガシ/トウ/アズマ) —
is refused with :class:`BankKanaError` and a reason in Japanese.  Every output character is one byte in
CP932, so byte length equals character length; :func:`truncate` cuts to N bytes without separating a
kana from its ﾞ/ﾟ.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = [
    "BASE_ALLOWED",
    "LEGAL_ABBREVIATIONS",
    "BankKanaError",
    "corporate_name",
    "is_bank_kana",
    "to_bank_kana",
    "truncate",
]

# Half-width katakana ｱ (0xFF71) … ﾝ (0xFF9D), the voiced marks, and the safe symbols.
_HALF_KANA = "".join(chr(c) for c in range(0xFF71, 0xFF9E))
_MARKS = "\uff9e\uff9f"  # ﾞ ﾟ
BASE_ALLOWED = frozenset(_HALF_KANA + _MARKS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ()-.")
OPTIONAL_SYMBOLS = frozenset("/,")

_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_DASHES = "ー－ｰ‐‑‒–—―−﹣"

# Full-width katakana (after NFKC everything is full-width) → half-width.
_FULL_TO_HALF: dict[str, str] = {}
for _half in _HALF_KANA:
    _FULL_TO_HALF[unicodedata.normalize("NFKC", _half)] = _half
for _base in "カキクケコサシスセソタチツテトハヒフヘホ":
    _h = _FULL_TO_HALF[_base]
    _FULL_TO_HALF[unicodedata.normalize("NFC", _base + "\u3099")] = _h + "ﾞ"
for _base in "ハヒフヘホ":
    _FULL_TO_HALF[unicodedata.normalize("NFC", _base + "\u309a")] = _FULL_TO_HALF[_base] + "ﾟ"
_FULL_TO_HALF["ヴ"] = "ｳﾞ"
_FULL_TO_HALF["\u3099"] = "ﾞ"  # a combining mark NFKC could not compose (e.g. after ア): kept as ﾞ
_FULL_TO_HALF["\u309a"] = "ﾟ"

_REFUSED_KANA = {
    "ヲ": "「ヲ」は使えません（「オ」と書いてください）",
    "ヰ": "「ヰ」は使えません（「イ」と書いてください）",
    "ヱ": "「ヱ」は使えません（「エ」と書いてください）",
    "ヷ": "「ヷ」は使えません",
    "ヺ": "「ヺ」は使えません",
}


class BankKanaError(ValueError):
    """The name cannot be written in bank kana.  ``reason`` is shown to staff as is."""

    def __init__(self, reason: str, *, char: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.char = char


def _hira_to_kata(ch: str) -> str:
    code = ord(ch)
    if 0x3041 <= code <= 0x3096 or code in (0x309D, 0x309E):
        return chr(code + 0x60)
    return ch


def _describe(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        name = f"U+{ord(ch):04X}"
    if name.startswith("CJK"):
        return f"漢字「{ch}」はカナに直せません（読みは申請者が書いたカナを使ってください）"
    if ch.isspace():
        return "使えない空白文字があります"
    return f"「{ch}」は口座名義に使えない文字です"


@functools.lru_cache(maxsize=65536)
def to_bank_kana(text: str, *, extra: str = "") -> str:
    """Convert a holder name to bank kana, or raise :class:`BankKanaError`.

    ``extra`` lists additional symbols the receiving bank accepts (only ``/`` and ``,`` are possible).
    The function is idempotent: ``to_bank_kana(to_bank_kana(x)) == to_bank_kana(x)``.
    """
    allowed = BASE_ALLOWED | (frozenset(extra) & OPTIONAL_SYMBOLS)
    source = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for raw in source:
        ch = raw
        if ch in _DASHES:
            out.append("-")
            continue
        if ch in "・･":
            out.append(" ")
            continue
        if ch.isspace():
            out.append(" ")
            continue
        ch = _hira_to_kata(ch).translate(_SMALL)
        if ch in _REFUSED_KANA:
            raise BankKanaError(_REFUSED_KANA[ch], char=raw)
        if "a" <= ch <= "z":
            ch = ch.upper()
        half = _FULL_TO_HALF.get(ch)
        if half is not None:
            out.append(half)
            continue
        if ch in allowed:
            out.append(ch)
            continue
        raise BankKanaError(_describe(raw), char=raw)
    result = " ".join("".join(out).split())
    if not result:
        raise BankKanaError("口座名義（カナ）が空です")
    for i, ch in enumerate(result):
        if ch in _MARKS and (i == 0 or result[i - 1] not in _HALF_KANA):
            raise BankKanaError("カナに付いていない濁点・半濁点があります")
    return result


def is_bank_kana(text: str, *, extra: str = "") -> bool:
    allowed = BASE_ALLOWED | (frozenset(extra) & OPTIONAL_SYMBOLS)
    return bool(text) and all(ch in allowed for ch in text)


def truncate(kana: str, max_bytes: int) -> str:
    """Cut bank kana to ``max_bytes`` bytes (one byte a character), never between a kana and its ﾞ/ﾟ."""
    if len(kana) <= max_bytes:
        return kana
    cut = max_bytes
    while cut > 0 and kana[cut] in _MARKS:
        cut -= 1  # the character after the cut is a mark: keep its kana with it, i.e. drop both
    return kana[:cut].rstrip(" ")


# 法人略語 (facts §2): placed at the start ``ｶ)ﾔﾏﾀﾞ``, the end ``ﾔﾏﾀﾞ(ｶ`` or the middle ``ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ``.
LEGAL_ABBREVIATIONS: dict[str, str] = {
    "株式会社": "カ", "有限会社": "ユ", "合名会社": "メ", "合資会社": "シ", "合同会社": "ド",
    "医療法人": "イ", "社会医療法人": "イ", "一般財団法人": "ザイ", "公益財団法人": "ザイ", "財団法人": "ザイ",
    "一般社団法人": "シヤ", "公益社団法人": "シヤ", "社団法人": "シヤ", "宗教法人": "シユウ",
    "学校法人": "ガク", "社会福祉法人": "フク", "相互会社": "ソ", "特定非営利活動法人": "トクヒ",
    "独立行政法人": "ドク", "地方独立行政法人": "チドク", "弁護士法人": "ベン", "司法書士法人": "シホウ",
    "行政書士法人": "ギヨ", "税理士法人": "ゼイ", "国立大学法人": "ダイ", "公立大学法人": "ダイ",
    "農事組合法人": "ノウ", "更生保護法人": "ホゴ", "社会保険労務士法人": "ロウム", "管理組合法人": "カンリ",
    "営業所": "エイ", "出張所": "シユツ",
}


def corporate_name(name_kana: str, form: str, *, position: str = "start", rest: str = "", extra: str = "") -> str:
    """A corporate holder name with its abbreviation: ``corporate_name("ヤマダ", "株式会社")`` → ``ｶ)ﾔﾏﾀﾞ``.

    ``position`` is ``start`` (カ)ヤマダ), ``end`` (ヤマダ(カ) or ``middle`` (ヤマダ(カ)トウキヨウ, with ``rest``).
    """
    try:
        abbr = LEGAL_ABBREVIATIONS[form]
    except KeyError as exc:
        raise BankKanaError(f"法人の種類「{form}」の略語が分かりません") from exc
    if position == "start":
        text = f"{abbr}){name_kana}"
    elif position == "end":
        text = f"{name_kana}({abbr}"
    elif position == "middle":
        text = f"{name_kana}({abbr}){rest}"
    else:
        raise BankKanaError(f"略語の位置「{position}」が分かりません（start / end / middle）")
    return to_bank_kana(text, extra=extra)
