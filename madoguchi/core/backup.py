"""Encrypted database backups: the file format, the key, and the dump/restore of SQLite and PostgreSQL.

A backup file is::

    MADOBAK1\\n  <header JSON>\\n  chunk*    chunk = 4-byte big-endian length + AES-256-GCM ciphertext

The header (plain JSON, authenticated as associated data of every chunk) names the database kind, the key id,
the time, a random nonce prefix and the row counts of every table at the moment of the dump.  Each chunk
(≤ 1 MiB of plaintext) is sealed with nonce = prefix (8 bytes) + chunk number (4 bytes) and associated data =
header + chunk number + a final flag, so that a changed, reordered, dropped or truncated chunk is refused.
The payload is SQLite's online backup (a consistent copy of the database file) or ``pg_dump --format=custom``
taken in an exported snapshot, the same snapshot the counts were read in.

Keys: ``MADOGUCHI_BACKUP_KEYS`` (setting ``BACKUP_KEYS``), ``id:base64key[,…]`` of 32 bytes, newest first (older
keys restore older backups); outside production ``var/backup.keys`` is generated on first use.  The key is not
the database's and is kept apart from the backups (docs/operations.md).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

MAGIC = b"MADOBAK1\n"
CHUNK = 1 << 20
DEV_KEY_FILE = "backup.keys"


class BackupError(Exception):
    """A backup cannot be read (wrong key, changed or cut-off file) or cannot be restored here."""


@dataclass(frozen=True)
class BackupKey:
    key_id: str
    secret: bytes



def _tool(name: str) -> str:
    """The absolute path of a PostgreSQL client program (pg_dump, pg_restore) on PATH.

    Raises :class:`BackupError` when it is not installed (Debian: postgresql-client)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} が見つかりません。PostgreSQL のクライアント（postgresql-client）を入れてください。")
    return path

def backup_keys() -> list[BackupKey]:
    """Configured backup keys, newest first.  Raises ImproperlyConfigured in production without any."""
    text = getattr(settings, "BACKUP_KEYS", "") or ""
    if not text:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("MADOGUCHI_BACKUP_KEYS must be set to make or restore backups in production.")
        path = Path(settings.VAR_DIR) / DEV_KEY_FILE
        if not path.exists():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(f"dev1:{base64.b64encode(secrets.token_bytes(32)).decode()}\n")
            try:
                os.link(tmp, path)  # whole or not at all; another process's file wins
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        text = path.read_text()
    keys = []
    for item in text.replace("\n", ",").split(","):
        key_id, _, b64 = item.strip().partition(":")
        if not key_id:
            continue
        secret = base64.b64decode(b64)
        if len(secret) != 32:
            raise ImproperlyConfigured(f"backup key {key_id} must be 32 bytes (base64)")
        keys.append(BackupKey(key_id, secret))
    if not keys:
        raise ImproperlyConfigured("no backup key configured")
    return keys


def table_counts() -> dict[str, int]:
    """Rows in every table of the project's models, on the default connection."""
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                table = model._meta.db_table
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = int(cursor.fetchone()[0])
    return dict(sorted(counts.items()))


def _aad(header: bytes, number: int, final: bool) -> bytes:
    return header + struct.pack(">I?", number, final)


def _encrypt(source: IO[bytes], out: IO[bytes], header: dict[str, Any], key: BackupKey) -> None:
    prefix = secrets.token_bytes(8)
    header = {**header, "key_id": key.key_id, "nonce_prefix": prefix.hex()}
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    out.write(MAGIC + head + b"\n")
    aes = AESGCM(key.secret)
    number = 0
    block = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if block else b""
        final = not following
        sealed = aes.encrypt(prefix + struct.pack(">I", number), block, _aad(head, number, final))
        out.write(struct.pack(">I", len(sealed)) + sealed)
        if final:
            return
        number, block = number + 1, following


def read_header(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise BackupError("バックアップファイルではありません。")
        return dict(json.loads(f.readline()))


def decrypt_chunks(path: Path) -> Iterator[bytes]:
    """The plaintext of a backup, chunk by chunk; raises BackupError on a wrong key or a changed file."""
    with path.open("rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise BackupError("バックアップファイルではありません。")
        head = f.readline().rstrip(b"\n")
        header = json.loads(head)
        key = next((k for k in backup_keys() if k.key_id == header["key_id"]), None)
        if key is None:
            raise BackupError(f"鍵ID「{header['key_id']}」の鍵が設定にありません。")
        aes, prefix = AESGCM(key.secret), bytes.fromhex(header["nonce_prefix"])
        number = 0
        while True:
            size = f.read(4)
            if len(size) < 4:
                raise BackupError("バックアップが途中で切れています。")
            sealed = f.read(struct.unpack(">I", size)[0])
            for final in (False, True):
                try:
                    block = aes.decrypt(prefix + struct.pack(">I", number), sealed, _aad(head, number, final))
                except InvalidTag:
                    continue
                break
            else:
                raise BackupError(f"バックアップの第{number + 1}ブロックを復号できません（鍵が違うか、ファイルが"
                                  f"変更されています）。")
            yield block
            if final:
                if f.read(1):
                    raise BackupError("バックアップの終わりのあとに余分なデータがあります。")
                return
            number += 1


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for var, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                      ("PGDATABASE", "NAME")):
        if s.get(name):
            env[var] = str(s[name])
    return env


def make_backup(out: Path) -> dict[str, Any]:
    """Write an encrypted backup of the default database to ``out`` (a new file); return its header.

    Raises BackupError when ``out`` exists or pg_dump fails; ImproperlyConfigured without a backup key."""
    key = backup_keys()[0]
    if connection.in_atomic_block:
        raise BackupError("トランザクションの中ではバックアップを取れません。")
    if out.exists():
        raise BackupError(f"{out} はすでにあります。")
    header: dict[str, Any] = {"format": 1, "kind": connection.vendor,
                              "made_at": datetime.now(UTC).isoformat(timespec="seconds")}
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as sink, tempfile.TemporaryDirectory(prefix="madoguchi-backup-") as tmp:
        if connection.vendor == "sqlite":
            copy = Path(tmp) / "db.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            connection.connection.backup(target)
            header["counts"] = {t: target.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                                for t in table_counts()}
            target.close()
            with copy.open("rb") as source:
                _encrypt(source, sink, header, key)
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # counts and dump from one snapshot
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                try:
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                    header["counts"] = table_counts()
                    dump = Path(tmp) / "db.dump"
                    done = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                           f"--snapshot={snapshot}", f"--file={dump}"],
                                          env=_pg_env(), capture_output=True, text=True, check=False)
                finally:
                    cursor.execute("COMMIT")
            if done.returncode:
                raise BackupError(f"pg_dump が失敗しました: {done.stderr.strip()[:500]}")
            with dump.open("rb") as source:
                _encrypt(source, sink, header, key)
        else:
            raise BackupError(f"{connection.vendor} のバックアップには対応していません。")
    return header


def restore_backup(path: Path) -> dict[str, Any]:
    """Restore ``path`` into the default database, which must be empty (no tables); return the header.

    Raises BackupError for a wrong key, a changed or cut-off file, another database kind, or a database that
    is not empty.  Nothing is written before the whole file has been authenticated."""
    header = read_header(path)
    if header.get("kind") != connection.vendor:
        raise BackupError(f"{header.get('kind')} のバックアップは {connection.vendor} には戻せません。")
    if connection.introspection.table_names():
        raise BackupError("戻し先のデータベースが空ではありません。新しい空のデータベースに戻してください。")
    with tempfile.TemporaryDirectory(prefix="madoguchi-restore-") as tmp:
        plain = Path(tmp) / "payload"
        with plain.open("wb") as out:  # authenticate everything before touching the database
            for block in decrypt_chunks(path):
                out.write(block)
        if connection.vendor == "sqlite":
            connection.close()
            name = str(connection.settings_dict["NAME"])
            for stale in (f"{name}-wal", f"{name}-shm"):  # of the empty database; would be replayed
                Path(stale).unlink(missing_ok=True)
            shutil.copyfile(plain, name)
        else:
            done = subprocess.run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                                   f"--dbname={connection.settings_dict['NAME']}", str(plain)],
                                  env=_pg_env(), capture_output=True, text=True, check=False)
            if done.returncode:
                raise BackupError(f"pg_restore が失敗しました: {done.stderr.strip()[:500]}")
    return header
