"""The hash of one access-log row over the previous hash and the row's canonical fields.

Rows written since ADR 0019 are keyed: HMAC-SHA256 with the chain key named by the row's ``key_id``, over
:data:`KEYED_FIELDS` (which add the row's chain and its place in it).  Rows written before (``key_id`` empty)
keep their keyless SHA-256 over :data:`CHAINED_FIELDS`; they are protected by the keyed rows after them.

The canonical form must be the same for the values the writer had in hand and for the values read back
from SQLite or PostgreSQL: datetimes are written as UTC with microseconds, resident ids as a list of
ints, booleans as JSON booleans.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from json import encoder as json_encoder
from typing import Any

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "id", "at", "user_id_ref", "username", "role", "organisation", "address", "channel", "action", "target",
    "resident_ids", "resident_count", "program", "purpose", "allowed", "reason", "break_glass",
)
KEYED_FIELDS = (*CHAINED_FIELDS, "chain", "seq")
_AT = CHAINED_FIELDS.index("at")
_RESIDENTS = CHAINED_FIELDS.index("resident_ids")
_ALLOWED = CHAINED_FIELDS.index("allowed")
_BREAK_GLASS = CHAINED_FIELDS.index("break_glass")
_dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _no_default(value: Any) -> Any:
    raise TypeError(f"not JSON serialisable in an access-log row: {type(value).__name__}")


# The C encoder built once (JSONEncoder.encode builds it on every call): ~25 % faster over a million rows.
# Same output as the JSONEncoder above (compact separators, non-ASCII kept); flat rows, so no cycle markers.
_c_make_encoder: Any = getattr(json_encoder, "c_make_encoder", None)
_c_encode_basestring: Any = getattr(json_encoder, "c_encode_basestring", None)
if _c_make_encoder is not None and _c_encode_basestring is not None:
    _iterencode = _c_make_encoder(None, _no_default, _c_encode_basestring, None, ":", ",", False, False, True)

    def _dumps(value: Any) -> str:
        return "".join(_iterencode(value, 0))


def _canonical_at(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "+00:00"
    return value


def canonical_values(values: list[Any]) -> list[Any]:
    """Normalise one row's values, given in the order of :data:`CHAINED_FIELDS` (changed in place)."""
    values[_AT] = _canonical_at(values[_AT])
    residents = values[_RESIDENTS]
    if isinstance(residents, str):  # a JSON column read without its converter
        residents = json.loads(residents)
    values[_RESIDENTS] = [int(r) for r in residents or ()]
    values[_ALLOWED] = bool(values[_ALLOWED])
    values[_BREAK_GLASS] = bool(values[_BREAK_GLASS])
    return values


def digest_values(prev_hash: str, values: list[Any]) -> str:
    """The hash of a row whose values are already canonical (see :func:`canonical_values`)."""
    return hashlib.sha256(_dumps([prev_hash, values]).encode("utf-8")).hexdigest()


def keyed_digest_values(mac: Any, prev_hash: str, values: list[Any]) -> str:
    """The HMAC of a keyed row whose values (in the order of :data:`KEYED_FIELDS`) are already canonical.

    ``mac`` is ``hmac.new(secret, digestmod=hashlib.sha256)``, made once and copied per row (cheaper)."""
    h = mac.copy()
    h.update(_dumps([prev_hash, values]).encode("utf-8"))
    return str(h.hexdigest())


def new_mac(secret: bytes) -> Any:
    return hmac.new(secret, digestmod=hashlib.sha256)


def row_digest(prev_hash: str, fields: dict[str, Any], secret: bytes | None = None) -> str:
    """The hash of one row: keyless SHA-256 over :data:`CHAINED_FIELDS` (rows before ADR 0019) when
    ``secret`` is None, else the HMAC over :data:`KEYED_FIELDS` (``chain`` and ``seq`` as ints)."""
    if secret is None:
        return digest_values(prev_hash, canonical_values([fields[name] for name in CHAINED_FIELDS]))
    values = canonical_values([fields[name] for name in KEYED_FIELDS])
    values[-2], values[-1] = int(values[-2]), int(values[-1])
    return keyed_digest_values(new_mac(secret), prev_hash, values)
