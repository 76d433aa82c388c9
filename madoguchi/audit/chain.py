"""The hash of one access-log row: sha256 over the previous hash and the row's canonical fields."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "id", "at", "user_id_ref", "username", "role", "organisation", "address", "channel", "action", "target",
    "resident_ids", "resident_count", "program", "purpose", "allowed", "reason", "break_glass",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def row_digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, [_canonical(fields[name]) for name in CHAINED_FIELDS]],
        ensure_ascii=False, separators=(",", ":"), sort_keys=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
