"""Secrets for local starts (demo, tests, development), generated once into the var/ folder.

Nothing usable is kept in the repository.  A production start (``MADOGUCHI_ENV=production``) never uses
this module: its settings refuse to start without the secrets in the environment.  This module imports
nothing from Django (settings use it before Django is set up).
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def django_secret_key() -> str:
    """A random Django SECRET_KEY: 64 URL-safe characters (``check --deploy`` asks for 50 or more)."""
    return secrets.token_urlsafe(48)


def fernet_key() -> str:
    """A random Fernet key (32 random bytes, URL-safe base64), as ``cryptography.fernet`` expects."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def audit_chain_key() -> str:
    """A fresh access-log chain key line ``local1:<base64 of 32 random bytes>`` (ADR 0019's format)."""
    return "local1:" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def local_secret(folder: Path, name: str, generate: Callable[[], str]) -> str:
    """The secret stored in ``folder/name``; generated with ``generate`` and written (mode 0600) on first use.

    Safe when several processes start at once (web server workers and the job worker): the file is created
    exclusively, and a process that loses the race reads the winner's value.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            value = path.read_text(encoding="ascii").strip()
            if value:
                return value
            import time

            time.sleep(0.02)  # the winner is still writing
        raise RuntimeError(f"{path} is empty; delete it to generate a new secret") from None
    value = generate()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value + "\n")
    return value


def main() -> None:
    """``python -m madoguchi.core.secrets [FOLDER]``: print ``NAME=value`` lines of the local secrets (for
    ``make serve``'s production-like start on one machine; generated into FOLDER, default var/secrets)."""
    import sys

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MADOGUCHI_VAR_DIR", "var")) / "secrets"
    print(f"MADOGUCHI_SECRET_KEY={local_secret(folder, 'madoguchi_secret_key', django_secret_key)}")
    print(f"MADOGUCHI_FIELD_KEYS={local_secret(folder, 'madoguchi_field_keys', fernet_key)}")
    print(f"MADOGUCHI_AUDIT_KEYS={local_secret(folder, 'madoguchi_audit_keys', audit_chain_key)}")


if __name__ == "__main__":
    main()
