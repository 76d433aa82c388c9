"""Checking an uploaded file before anything is stored: not empty, not too large, and of a permitted type
by its first bytes (magic), with a name whose extension agrees.  The FAC validators' habit (STYLE.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from madoguchi.core.errors import BusinessRuleError


@dataclass(frozen=True)
class FileFormat:
    label: str
    magic: bytes
    extensions: tuple[str, ...]


PDF = FileFormat("PDF", b"%PDF-", (".pdf",))
JPEG = FileFormat("JPEG", b"\xff\xd8\xff", (".jpg", ".jpeg"))
PNG = FileFormat("PNG", b"\x89PNG\r\n\x1a\n", (".png",))
# Office Open XML files are ZIP archives; the extension tells which.
XLSX = FileFormat("Excel（xlsx）", b"PK\x03\x04", (".xlsx",))
DOCX = FileFormat("Word（docx）", b"PK\x03\x04", (".docx",))


def check_upload(name: str, data: bytes, *, formats: tuple[FileFormat, ...], max_bytes: int) -> FileFormat:
    """The format of ``data`` (one of ``formats``).

    Raises :class:`BusinessRuleError` with the reason in Japanese when the file is empty, larger than
    ``max_bytes`` bytes, not of a permitted format by its content, or named with another extension.
    """
    if not data:
        raise BusinessRuleError("ファイルが空です。")
    if len(data) > max_bytes:
        raise BusinessRuleError(f"ファイルが大きすぎます（{len(data) / 1024 / 1024:.1f} MB）。"
                                f"{max_bytes // 1024 // 1024} MB 以下にしてください。")
    ext = os.path.splitext(name or "")[1].lower()
    by_content = [f for f in formats if data.startswith(f.magic)]
    if not by_content:
        labels = "・".join(f.label for f in formats)
        raise BusinessRuleError(f"{labels} のファイルだけを登録できます（ファイルの中身がこれらの形式ではありません）。")
    for fmt in by_content:
        if ext in fmt.extensions:
            return fmt
    fmt = by_content[0]
    exts = "・".join(e for f in by_content for e in f.extensions)
    raise BusinessRuleError(f"ファイル名の拡張子（{ext or 'なし'}）と中身（{fmt.label}）が一致しません。"
                            f"{exts} のファイル名で登録してください。")
