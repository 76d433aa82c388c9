"""Field encryption at rest (Fernet, AES-128-CBC + HMAC-SHA256) with key rotation.

Keys come from ``MADOGUCHI_FIELD_KEYS`` (comma-separated Fernet keys, newest first).  Values are
encrypted with the newest key and decrypted with any of them; ``rotate_field_keys`` re-encrypts
stored values with the newest key.  A lookup by an encrypted value is not possible: keep a separate
non-secret key (e.g. the last four digits) when a search is needed.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys if k.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("MADOGUCHI_FIELD_KEYS に正しい Fernet 鍵がありません。") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_KEYS))


def encrypt(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        return token  # stored before encryption was enabled
    try:
        return fernet().decrypt(token[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("暗号化された項目を復号できません（鍵が違います）。") from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token with the newest key."""
    if not token.startswith(PREFIX):
        return encrypt(token)
    return PREFIX + fernet().rotate(token[len(PREFIX):].encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text field stored encrypted.  Python code sees plain text; the database holds ``enc1:…``."""

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def encrypted_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and those fields' names (for key rotation)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found
