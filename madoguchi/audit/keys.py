"""The keys of the access-log chain (ADR 0019): an HMAC key the database role does not hold.

Where the keys come from, in this order:

1. ``MADOGUCHI_AUDIT_KEYS`` (setting ``AUDIT_CHAIN_KEYS``): ``id:base64key[,id:base64key…]``, newest first;
2. ``MADOGUCHI_AUDIT_KEY_FILE`` (setting ``AUDIT_CHAIN_KEY_FILE``): a file with one ``id:base64key`` a line,
   newest first (``#`` starts a comment);
3. outside production only: ``var/audit-chain.keys``, generated on first use (mode 0600) for the demo and tests.

A production start without 1 or 2 refuses to run (settings).  New rows are keyed with the first (newest) key;
older keys stay listed so that older rows still verify (rotation: docs/operations.md).  A key id is at most
16 characters of ``[A-Za-z0-9_-]``; a key is 32 random bytes.  The daily digest is signed with an Ed25519 key
derived from the chain key (HKDF), so that the auditor can check signatures with the public key alone.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
DEV_KEY_FILE = "audit-chain.keys"


@dataclass(frozen=True)
class ChainKey:
    key_id: str
    secret: bytes

    def signing_key(self) -> Ed25519PrivateKey:
        """The Ed25519 key that signs daily digests made while this key is the newest."""
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"madoguchi access-log digest signing").derive(self.secret)
        return Ed25519PrivateKey.from_private_bytes(seed)

    def public_key_b64(self) -> str:
        raw = self.signing_key().public_key().public_bytes(serialization.Encoding.Raw,
                                                           serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")


def new_key_line(key_id: str) -> str:
    """A fresh ``id:base64key`` line (32 random bytes) for a key file or ``MADOGUCHI_AUDIT_KEYS``."""
    if not KEY_ID.match(key_id):
        raise ValueError(f"key id must match {KEY_ID.pattern}: {key_id!r}")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode('ascii')}"


def _parse(text: str, source: str) -> tuple[ChainKey, ...]:
    keys: list[ChainKey] = []
    for raw in re.split(r"[,\n]", text):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key_id, sep, b64 = line.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(f"{source}: each key is id:base64key (id of 1-16 letters, digits, - or _)")
        try:
            secret = base64.b64decode(b64, validate=True)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{source}: key {key_id} is not base64") from exc
        if len(secret) < 32:
            raise ImproperlyConfigured(f"{source}: key {key_id} is shorter than 32 bytes")
        if any(k.key_id == key_id for k in keys):
            raise ImproperlyConfigured(f"{source}: key id {key_id} is given twice")
        keys.append(ChainKey(key_id, secret))
    if not keys:
        raise ImproperlyConfigured(f"{source}: no access-log chain key")
    return tuple(keys)


def _dev_key_file() -> Path:
    path = Path(settings.VAR_DIR) / DEV_KEY_FILE
    if not path.exists():
        write_new_file(path, "# access-log chain keys for the demo and tests (generated; never for production)\n"
                       + new_key_line("dev1") + "\n")
    return path


def write_new_file(path: Path, text: str) -> None:
    """Write a secret file (mode 0600) whole or not at all; if another process made it first, keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


@lru_cache(maxsize=8)
def _load(inline: str, file: str) -> tuple[ChainKey, ...]:
    if inline:
        return _parse(inline, "MADOGUCHI_AUDIT_KEYS")
    return _parse(Path(file).read_text(encoding="utf-8"), file)


def chain_keys() -> tuple[ChainKey, ...]:
    """All configured keys, newest first.  Raises ImproperlyConfigured when none is configured in production."""
    inline = getattr(settings, "AUDIT_CHAIN_KEYS", "") or ""
    file = getattr(settings, "AUDIT_CHAIN_KEY_FILE", "") or ""
    if not inline and not file:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("MADOGUCHI_AUDIT_KEYS or MADOGUCHI_AUDIT_KEY_FILE must be set in production.")
        file = str(_dev_key_file())
    return _load(inline, file)


def current_key() -> ChainKey:
    """The key new rows are written with (the first configured)."""
    return chain_keys()[0]


def key_by_id(key_id: str) -> ChainKey | None:
    return next((k for k in chain_keys() if k.key_id == key_id), None)
