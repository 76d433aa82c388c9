"""Files of the hand-over area under ``MEDIA_ROOT/handover/`` (never served as static media)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "handover"


def write(folder: str, name: str, data: bytes) -> str:
    """Write atomically; returns the path relative to the hand-over root."""
    directory = root() / folder
    directory.mkdir(parents=True, exist_ok=True)
    relative = f"{folder}/{secrets.token_hex(8)}_{name}"
    target = root() / relative
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return relative


def read(relative: str) -> bytes:
    return (root() / relative).read_bytes()


def path(relative: str) -> Path:
    return root() / relative


def remove(relative: str) -> bool:
    """Delete a file (overwriting it first); True when there was one."""
    if not relative:
        return False
    target = root() / relative
    if not target.exists():
        return False
    size = target.stat().st_size
    with open(target, "r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    target.unlink()
    return True
