"""Where uploaded registry extracts wait for their import job (``MEDIA_ROOT/private/``, never served).

Kept apart from the services so that the job row (models) can remove its file without importing them.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from madoguchi.core.errors import BusinessRuleError
from madoguchi.core.uploads import too_large_message


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "residents-imports"


def store_upload(chunks: Iterable[bytes], *, max_bytes: int | None = None) -> tuple[str, int]:
    """Write the upload with owner-only permissions; returns its name under upload_root() and its size
    in bytes.  Beyond ``max_bytes`` (default ``IMPORT_MAX_BYTES``) the partial file is removed and
    BusinessRuleError is raised."""
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.csv"
    size = 0
    fd = os.open(root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise BusinessRuleError(too_large_message(limit))
                fh.write(chunk)
    except BaseException:
        remove_upload(name)
        raise
    return name, size


def remove_upload(name: str) -> None:
    """Delete a stored upload (a name from store_upload; anything else is ignored)."""
    if name and "/" not in name and "\\" not in name and name not in (".", ".."):
        (upload_root() / name).unlink(missing_ok=True)


def remove_orphans(owned: set[str], *, older_than_seconds: float) -> int:
    """Delete stored uploads not in ``owned`` and last written more than ``older_than_seconds`` ago;
    returns how many were deleted."""
    root = upload_root()
    if not root.exists():
        return 0
    limit = time.time() - older_than_seconds
    removed = 0
    for path in root.iterdir():
        if path.name not in owned and path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
