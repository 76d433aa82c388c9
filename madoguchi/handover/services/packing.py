"""Writing a package: CSV in the recipient's encoding, inside an AES-256 encrypted ZIP, with a password.

Encoding (docs/guide/handover.md §文字コード):

- CP932 is the default (printers' Windows software).  Characters that Unicode and CP932 map differently
  but that are the same character on paper (− U+2212, 〜 U+301C, ‖ U+2016, — U+2014, ¢ £ ¬) are written as
  their CP932 counterparts first.
- Any other character CP932 cannot hold (e.g. 𠮷, 㐂) stops the package: :class:`UnencodableText` lists every
  such field with its line (the header is line 1) and column, and nothing is written.  The person making
  the package may instead choose "〓に置き換える": each such character becomes 〓 (ゲタ, the printers'
  mark for a missing glyph), the count is kept on the package and in the ledger's content, and the
  originals are handed to the printer separately as 外字 (outside madoguchi).
- Ideographic variation selectors (U+E0100–E01EF) and standard ones (U+FE00–FE0F) are dropped for CP932:
  the base character is in CP932 and is what the recipient can print (葛 + U+E0100 is written 葛, never
  葛〓).  The number dropped is kept on the package and in the ledger's content; storage keeps them.
  UTF-8 packages keep them.  Issue 15 §3, ADR 0016.
- Vendor 外字 (Private Use Area) are written as the ward's table maps them (:mod:`madoguchi.core.gaiji`),
  in every encoding; an unmapped one stops the package with its line and column (the recipient's own
  table would otherwise decide which kanji it becomes).  Issue 19 §4.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyzipper

from madoguchi.core import gaiji
from madoguchi.core.errors import BusinessRuleError, RowError
from madoguchi.core.sheets import csv_writer

ENCODINGS = {"cp932": "Shift_JIS（CP932）", "utf-8-sig": "UTF-8（BOM付き）", "utf-8": "UTF-8（BOMなし）"}
GETA = "〓"
CP932_EQUIVALENTS = str.maketrans({
    "\u2212": "\uff0d",  # − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
    "\u301c": "\uff5e",  # 〜 WAVE DASH → ～ FULLWIDTH TILDE
    "\u2016": "\u2225",  # ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
    "\u2014": "\u2015",  # — EM DASH → ― HORIZONTAL BAR
    "\u00a2": "\uffe0",  # ¢
    "\u00a3": "\uffe1",  # £
    "\u00ac": "\uffe2",  # ¬
})
# No 0/O, 1/l/I: the password is read from paper and typed by hand.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 20  # 20 × log2(56) ≈ 116 bits


class UnencodableText(BusinessRuleError):
    def __init__(self, errors: list[RowError], encoding: str) -> None:
        self.errors = errors
        self.encoding = encoding
        head = (f"{ENCODINGS.get(encoding, encoding)} で表せない文字が {len(errors)} か所あるため、"
                "受渡データを作成しませんでした（何も出力していません）。")
        super().__init__(head + "\n" + "\n".join(str(e) for e in errors[:200]))


class UnmappedGaiji(BusinessRuleError):
    """Vendor 外字 that the ward's table does not map: the package is not made (issue 19 §4)."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        head = (f"外字対応表にない外字が {len(errors)} か所あるため、受渡データを作成しませんでした（何も出力して"
                "いません）。受渡先の外字表で別の字になるのを防ぐためです。")
        super().__init__(head + "\n" + "\n".join(str(e) for e in errors[:200]))


def generate_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def format_password(password: str) -> str:
    """Groups of four for reading aloud and typing (the spaces are not part of the password)."""
    return " ".join(password[i:i + 4] for i in range(0, len(password), 4))


@dataclass
class EncodedCsv:
    data: bytes
    rows: int
    resident_ids: list[int] = field(default_factory=list)
    replaced: int = 0
    selectors_dropped: int = 0  # variation selectors left out of a CP932 file
    gaiji_mapped: int = 0  # vendor 外字 written as the ward's table maps them


_SELECTORS = re.compile("[\uFE00-\uFE0F\U000E0100-\U000E01EF]")
_SPECIAL = re.compile("[\uFE00-\uFE0F\U000E0100-\U000E01EF\uE000-\uF8FF\U000F0000-\U000FFFFD\U00100000-\U0010FFFD]")


def _prepare(cells: list[str], header: Sequence[str], line: int, codec: str, tables: list[Mapping[str, str]],
             result: EncodedCsv, errors: list[RowError]) -> list[str]:
    """Map vendor 外字 (refusing unmapped ones) and drop variation selectors for CP932, counting both."""
    if not _SPECIAL.search("\x1f".join(cells)):
        return cells
    out = []
    for i, cell in enumerate(cells):
        found = gaiji.find_private_use(cell)
        if found:
            if not tables:
                tables.append(gaiji.current_mapping())
            table = tables[0]
            missing = [ch for ch in found if not table.get(ch)]
            if missing:
                shown = "、".join(f"「{gaiji.vendor_code(ch)}」" for ch in missing)
                errors.append(RowError(line, header[i], f"外字 {shown} が外字対応表にありません"
                                                         "（外字対応表に標準の文字を登録してから作成してください）"))
            result.gaiji_mapped += sum(1 for ch in cell if table.get(ch))
            cell = gaiji.apply_mapping(cell, table)
        if codec == "cp932" and _SELECTORS.search(cell):
            result.selectors_dropped += len(_SELECTORS.findall(cell))
            cell = _SELECTORS.sub("", cell)
        out.append(cell)
    return out


def _fix_field(value: str, encoding: str, replace: bool, line: int, column: str,
               errors: list[RowError]) -> tuple[str, int]:
    bad = []
    for ch in value:
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            bad.append(ch)
    if not bad:
        return value, 0
    if replace:
        fixed = "".join(GETA if ch in bad else ch for ch in value)
        return fixed, 1
    shown = "、".join(f"「{ch}」(U+{ord(ch):04X})" for ch in dict.fromkeys(bad))
    errors.append(RowError(line, column, f"{shown} は {ENCODINGS.get(encoding, encoding)} で表せません"))
    return value, 0


def encode_csv(header: Sequence[str], keys: Sequence[str], rows: Iterable[tuple[int | None, dict[str, Any]]], *,
               encoding: str = "cp932", replace_unencodable: bool = False,
               progress: Callable[[int], None] | None = None, every: int = 2000,
               gaiji_table: Mapping[str, str] | None = None) -> EncodedCsv:
    """Encode rows to CSV bytes (CRLF line ends).

    Raises :class:`UnmappedGaiji` (vendor 外字 the table ``gaiji_table`` — by default the ward's — does not
    map) or :class:`UnencodableText`, each listing every bad field (line, column)."""
    if encoding not in ENCODINGS:
        raise BusinessRuleError(f"文字コード「{encoding}」には対応していません。")
    codec = "cp932" if encoding == "cp932" else "utf-8"
    out = io.BytesIO()
    if encoding == "utf-8-sig":
        out.write("\ufeff".encode())
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    out.write(buffer.getvalue().encode(codec))
    errors: list[RowError] = []
    result = EncodedCsv(b"", 0)
    tables: list[Mapping[str, str]] = [] if gaiji_table is None else [gaiji_table]  # read on the first 外字
    gaiji_errors: list[RowError] = []
    for n, (resident_id, values) in enumerate(rows, start=1):
        line = n + 1
        cells = ["" if values.get(k) is None else str(values.get(k)) for k in keys]
        cells = _prepare(cells, header, line, codec, tables, result, gaiji_errors)
        if codec == "cp932":
            cells = [c.translate(CP932_EQUIVALENTS) for c in cells]
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        text = buffer.getvalue()
        try:
            encoded = text.encode(codec)
        except UnicodeEncodeError:
            replaced_here = 0
            for i, cell in enumerate(cells):
                cells[i], count = _fix_field(cell, codec, replace_unencodable, line, header[i], errors)
                replaced_here += count
            result.replaced += replaced_here
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(cells)
            encoded = buffer.getvalue().encode(codec, errors="replace")
        out.write(encoded)
        if resident_id is not None:
            result.resident_ids.append(int(resident_id))
        result.rows = n
        if progress and n % every == 0:
            progress(n)
    if gaiji_errors:
        raise UnmappedGaiji(gaiji_errors)
    if errors:
        raise UnencodableText(errors, encoding)
    result.data = out.getvalue()
    return result


def encrypted_zip(files: dict[str, bytes], password: str) -> bytes:
    """An AES-256 (WinZip AES, AE-2) encrypted ZIP holding the given files."""
    buf = io.BytesIO()
    with pyzipper.AESZipFile(buf, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(password.encode("ascii"))
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
