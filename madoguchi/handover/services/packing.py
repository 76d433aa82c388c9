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
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyzipper

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
               progress: Callable[[int], None] | None = None, every: int = 2000) -> EncodedCsv:
    """Encode rows to CSV bytes (CRLF line ends).  Raises :class:`UnencodableText` listing every bad field."""
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
    for n, (resident_id, values) in enumerate(rows, start=1):
        line = n + 1
        cells = ["" if values.get(k) is None else str(values.get(k)) for k in keys]
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
