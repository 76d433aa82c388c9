"""Backups: made encrypted, restored into an empty database (SQLite, or PostgreSQL when the tests run on
it), the access-log chains and every table's row count verified after the restore (issue 16, "Also")."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.audit.services.backups import back_up
from madoguchi.core.backup import BackupError, decrypt_chunks, read_header, table_counts
from tests.factories import ResidentFactory

KEY = "t1:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="  # 32 × "A", for the tests only
BASE = Path(settings.BASE_DIR)


@pytest.fixture
def backup_key(settings):
    settings.BACKUP_KEYS = KEY


@pytest.fixture
def data(staff_user, actor_for):
    ResidentFactory.create_batch(3)
    for i in range(5):
        record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[i])


def _restore_elsewhere(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py restore`` in a new process against a new, empty database of the same kind."""
    env = {**os.environ, "MADOGUCHI_BACKUP_KEYS": KEY, "PYTHONPATH": str(BASE)}
    created = None
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        s = connection.settings_dict
        created = f"{s['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{created}"')
        auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("PASSWORD") else f"{s['USER']}@"
        env["DATABASE_URL"] = f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{created}"
    try:
        return subprocess.run([sys.executable, str(BASE / "manage.py"), "restore", str(path)], cwd=BASE, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
    finally:
        if created:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_the_chain_and_counts_verified(data, backup_key, tmp_path,
                                                                                 actor_for):
    before = table_counts()
    out = tmp_path / "madoguchi.bak"
    header = back_up(actor=actor_for(None), out=out)
    assert header["kind"] == connection.vendor and header["counts"] == before
    assert header["counts"]["audit_accesslog"] == 5 and header["counts"]["residents_resident"] == 3
    raw = out.read_bytes()
    assert b"resident.view" not in raw and b"SQLite format" not in raw and b"PGDMP" not in raw  # encrypted
    done = _restore_elsewhere(out, tmp_path)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "チェーンは正常です" in done.stdout and "5 行" in done.stdout
    assert "件数が一致しました" in done.stdout


@pytest.mark.django_db(transaction=True)
def test_a_changed_or_cut_off_backup_is_refused_before_anything_is_restored(data, backup_key, tmp_path,
                                                                             actor_for):
    out = tmp_path / "madoguchi.bak"
    back_up(actor=actor_for(None), out=out)
    raw = bytearray(out.read_bytes())
    changed = tmp_path / "changed.bak"
    changed.write_bytes(bytes(raw[:-40]) + bytes([raw[-40] ^ 1]) + bytes(raw[-39:]))
    with pytest.raises(BackupError, match="復号できません"):
        list(decrypt_chunks(changed))
    cut = tmp_path / "cut.bak"
    cut.write_bytes(bytes(raw[:-10]))
    with pytest.raises(BackupError):
        list(decrypt_chunks(cut))
    done = _restore_elsewhere(changed, tmp_path)
    assert done.returncode != 0 and "復元できませんでした" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_backup_under_another_key_is_refused(data, settings, tmp_path, actor_for):
    settings.BACKUP_KEYS = "other:" + "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="
    out = tmp_path / "madoguchi.bak"
    back_up(actor=actor_for(None), out=out)
    assert read_header(out)["key_id"] == "other"
    settings.BACKUP_KEYS = KEY
    with pytest.raises(BackupError, match="鍵ID「other」"):
        list(decrypt_chunks(out))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(data, backup_key, tmp_path, actor_for):
    from madoguchi.core.backup import restore_backup

    out = tmp_path / "madoguchi.bak"
    back_up(actor=actor_for(None), out=out)
    with pytest.raises(BackupError, match="空ではありません"):
        restore_backup(out)
