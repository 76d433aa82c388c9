"""Vendor 外字 (user-defined characters in the Private Use Area) and the ward's mapping of them.

A vendor's 住基 system writes its own 外字 as user-defined characters: CP932 rows F0–F9 (F040–F9FC), which
Unicode converters put at U+E000–U+E757; other systems use the rest of the BMP Private Use Area
(U+E000–U+F8FF) or the supplementary ones (planes 15 and 16).  The same code is a different kanji in each
municipality, so such a character means nothing outside the vendor's table (issue 19 §4): madoguchi keeps
it as written, flags the resident, and uses the ward's mapping (``residents.GaijiMapping``, a ward-kept
table from the code to a standard character) wherever the character must mean something — match keys,
PDFs and hand-overs.  ADR 0016.

The table lives in the residents app; this module holds the rules and a hook
(:func:`set_mapping_provider`) so that core functions (PDF drawing) can use it without importing upward.

The key functions here (:func:`name_key` …) are :mod:`madoguchi.core.text`'s, called on the mapped text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from madoguchi.core import text as _text

PRIVATE_USE = re.compile("[\uE000-\uF8FF\U000F0000-\U000FFFFD\U00100000-\U0010FFFD]")
GETA = "〓"

MappingProvider = Callable[[], Mapping[str, str]]
_provider: list[MappingProvider] = []


def set_mapping_provider(provider: MappingProvider | None) -> None:
    """Register the function that returns the ward's table {外字 character: standard text} (or clear it)."""
    _provider[:] = [provider] if provider is not None else []


def current_mapping() -> Mapping[str, str]:
    """The ward's table as the registered provider gives it (empty when none is registered)."""
    return _provider[0]() if _provider else {}


def is_private_use(ch: str) -> bool:
    return bool(PRIVATE_USE.fullmatch(ch))


def vendor_code(ch: str) -> str:
    """How staff know the character: ``F040`` for U+E000 (the CP932 user-defined area), else ``U+XXXX``."""
    if "\ue000" <= ch <= "\ue757":
        return ch.encode("cp932").hex().upper()
    return f"U+{ord(ch):04X}"


def char_for_code(code: str) -> str:
    """The character of a code as staff type it: ``F040`` (CP932 user-defined), ``U+E000`` or ``E000``.

    Raises ValueError when the code is not a Private Use Area character.
    """
    s = code.strip().upper().replace("０", "0")
    if s.startswith("U+"):
        ch = chr(int(s[2:], 16))
    elif re.fullmatch(r"F[0-9][4-9A-F][0-9A-F]", s):
        try:
            ch = bytes.fromhex(s).decode("cp932")
        except UnicodeDecodeError:
            raise ValueError(f"外字のコード「{code}」は Shift_JIS の外字の範囲（F040〜F9FC）にありません") from None
    elif re.fullmatch(r"[0-9A-F]{4,6}", s):
        ch = chr(int(s, 16))
    else:
        raise ValueError(f"外字のコード「{code}」が読めません（F040 や U+E000 の形で入力してください）")
    if not is_private_use(ch):
        raise ValueError(f"「{code}」は外字（私用領域）のコードではありません")
    return ch


def find_private_use(text: str) -> list[str]:
    """The distinct Private Use Area characters in text, in order of first appearance."""
    return list(dict.fromkeys(PRIVATE_USE.findall(text or "")))


def unmapped(text: str, mapping: Mapping[str, str] | None = None) -> list[str]:
    """The 外字 of text that the table does not map (the table of the provider when none is given)."""
    table = current_mapping() if mapping is None else mapping
    return [ch for ch in find_private_use(text) if not table.get(ch)]


def apply_mapping(text: str, mapping: Mapping[str, str] | None = None, *, missing: str | None = None) -> str:
    """Replace each mapped 外字 by its standard text; an unmapped one is kept (or becomes ``missing``)."""
    if not text or not PRIVATE_USE.search(text):
        return text
    table = current_mapping() if mapping is None else mapping

    def one(match: re.Match[str]) -> str:
        found = table.get(match.group(0))
        if found:
            return found
        return match.group(0) if missing is None else missing

    return PRIVATE_USE.sub(one, text)


# --- match keys on the mapped text (core.text's functions; apply the table first) -------------------------

def name_key(text: str) -> str:
    return _text.name_key(apply_mapping(text))


def kana_key(text: str) -> str:
    return _text.kana_key(apply_mapping(text))


def address_key(text: str, **options: Any) -> str:
    return _text.address_key(apply_mapping(text), **options)


def split_address(text: str, **options: Any) -> tuple[str, str]:
    return _text.split_address(apply_mapping(text), **options)


def building_key(text: str) -> str:
    return _text.building_key(apply_mapping(text))
