"""The bank and branch master (全銀協 codes) from the ``zengin_code`` package, and account validation.

``zengin_code`` loads about 8 MB of JSON when it is imported, so it is imported on first use and kept
(:func:`_banks`).  Its kana are full-width with ``－`` for long vowels (facts §1.5); the half-width names
for Zengin files go through :func:`madoguchi.core.bankkana.to_bank_kana`.

ゆうちょ銀行 (9900) accounts are usually known by 記号・番号; :func:`yucho_to_zengin` gives the
Zengin 店番 and 口座番号.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from madoguchi.core.bankkana import BankKanaError, to_bank_kana

YUCHO_BANK_CODE = "9900"

ACCOUNT_TYPES: dict[str, str] = {"1": "普通", "2": "当座", "4": "貯蓄", "9": "その他"}

_DIGITS = re.compile(r"[0-9]+")


class AccountError(ValueError):
    """One or more fields of an account are wrong.  ``errors`` maps a field name to a Japanese reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("、".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class BankInfo:
    code: str
    name: str
    kana: str  # full-width, as in the master
    kana_half: str  # for Zengin files


@dataclass(frozen=True)
class BranchInfo:
    bank_code: str
    code: str
    name: str
    kana: str
    kana_half: str


@dataclass(frozen=True)
class Account:
    bank: BankInfo
    branch: BranchInfo
    account_type: str
    account_number: str
    holder_kana: str  # bank kana, half-width


@functools.cache
def _banks() -> dict[str, Any]:
    from zengin_code import Bank  # ~8 MB of JSON: loaded on first use only

    return dict(Bank.all)


def half_width(kana: str) -> str:
    """Half-width bank kana for a master name; characters banks do not take become spaces."""
    try:
        return to_bank_kana(kana)
    except BankKanaError:
        cleaned = []
        for ch in kana:
            try:
                cleaned.append(to_bank_kana(ch))
            except BankKanaError:
                cleaned.append(" ")
        return " ".join("".join(cleaned).split())


def _digits(value: str) -> str:
    return (value or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def normalise_code(value: str, width: int) -> str:
    """'9' → '0009' for codes written without their zeros; anything not digits is returned unchanged."""
    v = _digits(value)
    return v.zfill(width) if v.isdigit() and len(v) <= width else v


@functools.lru_cache(maxsize=4096)
def lookup_bank(code: str) -> BankInfo:
    code = _digits(code)
    if not (len(code) == 4 and code.isdigit()):
        raise AccountError({"bank_code": "金融機関コードは4桁の数字で入力してください"})
    bank = _banks().get(code)
    if bank is None:
        raise AccountError({"bank_code": f"金融機関コード「{code}」は全銀協の金融機関一覧にありません"})
    return BankInfo(code, str(bank.name), str(bank.kana), half_width(str(bank.kana)))


@functools.lru_cache(maxsize=65536)
def lookup_branch(bank_code: str, branch_code: str) -> BranchInfo:
    bank = lookup_bank(bank_code)
    branch_code = _digits(branch_code)
    if not (len(branch_code) == 3 and branch_code.isdigit()):
        raise AccountError({"branch_code": "支店コードは3桁の数字で入力してください"})
    branch = _banks()[bank.code].branches.get(branch_code)
    if branch is None:
        raise AccountError({"branch_code": f"支店コード「{branch_code}」は{bank.name}の支店一覧にありません"})
    return BranchInfo(bank.code, branch_code, str(branch.name), str(branch.kana), half_width(str(branch.kana)))


def search_banks(text: str, *, limit: int = 20) -> list[BankInfo]:
    """Banks whose code starts with, or whose name or kana contains, the text (for pickers)."""
    text = (text or "").strip()
    found: list[BankInfo] = []
    for code, bank in _banks().items():
        if code.startswith(text) or text in str(bank.name) or text in str(bank.kana):
            found.append(lookup_bank(code))
            if len(found) >= limit:
                break
    return found


_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮ", "アイウエオツヤユヨワ")


def kana_query(text: str) -> str:
    """A typed search text in the form of the master's kana: full-width katakana, large kana, ``－`` for
    long vowels ("じんぼうちょう" → "ジンボウチヨウ"); kanji and digits are kept."""
    text = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "").replace("\u3000", "")
    text = "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)
    return text.translate(_SMALL_KANA).replace("ー", "－").replace("-", "－")


def find_banks(text: str, *, limit: int = 20) -> list[BankInfo]:
    """Banks by code, name or kana, typed as people type (hiragana, half-width, small kana): for pickers."""
    text = (text or "").strip()
    if not text:
        return []
    found = {b.code: b for b in search_banks(text, limit=limit)}
    query = kana_query(text)
    if query and query != text:
        for bank in search_banks(query, limit=limit):
            found.setdefault(bank.code, bank)
    return sorted(found.values(), key=lambda b: b.code)[:limit]


def search_branches(bank_code: str, text: str, *, limit: int = 20) -> list[BranchInfo]:
    """Branches of one bank whose code starts with, or whose name or kana contains, the text (typed as
    people type, see :func:`kana_query`).  An unknown bank raises :class:`AccountError`."""
    bank = lookup_bank(bank_code)
    raw = (text or "").strip()
    if not raw:
        return []
    query = kana_query(raw)
    found: list[BranchInfo] = []
    for code, branch in sorted(_banks()[bank.code].branches.items()):
        name, kana = str(branch.name), str(branch.kana)
        if code.startswith(raw) or raw in name or query in name or query in kana:
            found.append(lookup_branch(bank.code, code))
            if len(found) >= limit:
                break
    return found


def validate_account_number(number: str) -> str:
    number = _digits(number)
    if not (len(number) == 7 and number.isdigit()):
        raise AccountError({"account_number": "口座番号は7桁の数字で入力してください（7桁に満たない番号は先頭を0で埋めます）"})
    return number


def validate_account(*, bank_code: str, branch_code: str, account_type: str, account_number: str,
                     holder_kana: str, extra_symbols: str = "") -> Account:
    """Check every field against the master and the rules; collect all errors into one AccountError."""
    errors: dict[str, str] = {}
    bank: BankInfo | None = None
    branch: BranchInfo | None = None
    try:
        bank = lookup_bank(bank_code)
    except AccountError as exc:
        errors.update(exc.errors)
    if bank is not None:
        try:
            branch = lookup_branch(bank.code, branch_code)
        except AccountError as exc:
            errors.update(exc.errors)
    account_type = (account_type or "").strip()
    if account_type not in ACCOUNT_TYPES:
        errors["account_type"] = "預金種目は 1（普通）、2（当座）、4（貯蓄）、9（その他）のいずれかです"
    number = ""
    try:
        number = validate_account_number(account_number)
    except AccountError as exc:
        errors.update(exc.errors)
    holder = ""
    try:
        holder = to_bank_kana(holder_kana or "", extra=extra_symbols)
    except BankKanaError as exc:
        errors["holder_kana"] = f"口座名義（カナ）: {exc.reason}"
    if errors or bank is None or branch is None:
        raise AccountError(errors)
    return Account(bank, branch, account_type, number, holder)


@dataclass(frozen=True)
class YuchoAccount:
    branch_code: str
    account_type: str
    account_number: str


def yucho_to_zengin(kigo: str, bango: str) -> YuchoAccount:
    """ゆうちょ 記号（5桁）・番号（8桁まで）→ Zengin 店番・預金種目・口座番号 (facts §1.5).

    通常貯金 (記号 1xxxx): 店番 = 記号の2–3桁目 + 8, 普通, 口座番号 = 8桁の番号から末尾の 1 を除いた7桁.
    振替口座 (記号 0xxxx): 店番 = 記号の2–3桁目 + 9, 当座, 番号を右詰め7桁（当座とする点は未確認:
    ゆうちょ銀行の公式変換で確かめること）.
    """
    kigo = _digits(kigo)
    bango = _digits(bango)
    errors: dict[str, str] = {}
    if not (len(kigo) == 5 and kigo.isdigit() and kigo[0] in "01"):
        errors["kigo"] = "ゆうちょの記号は 0 または 1 で始まる5桁の数字です"
    if not (bango.isdigit() and 1 <= len(bango) <= 8):
        errors["bango"] = "ゆうちょの番号は8桁までの数字です"
    if errors:
        raise AccountError(errors)
    if kigo[0] == "1":
        padded = bango.zfill(8)
        if not padded.endswith("1"):
            raise AccountError({"bango": "通常貯金の番号（8桁）は末尾が 1 です。通帳の番号をもう一度確かめてください"})
        return YuchoAccount(kigo[1:3] + "8", "1", padded[:7])
    if len(bango) > 7:
        raise AccountError({"bango": "振替口座の番号は7桁までです"})
    return YuchoAccount(kigo[1:3] + "9", "2", bango.zfill(7))
