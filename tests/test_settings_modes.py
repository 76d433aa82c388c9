"""Unsafe defaults (issue 16 item 4): DEBUG only when asked for; no usable key in the repository."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINT = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'madoguchi.settings'); "
         "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY, settings.FIELD_KEYS[0])")


def _settings(var: Path, **env: str) -> tuple[str, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MADOGUCHI_", "DJANGO_"))}
    clean.update({"MADOGUCHI_VAR_DIR": str(var), "PYTHONPATH": str(ROOT), **env})
    out = subprocess.run([sys.executable, "-c", PRINT], cwd=ROOT, env=clean, capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    return out[0], out[1], out[2]


def test_without_madoguchi_env_debug_is_off_and_secrets_are_generated_into_var(tmp_path):
    debug, secret, field_key = _settings(tmp_path / "a")
    assert debug == "False"
    files = sorted((tmp_path / "a" / "secrets").iterdir())
    assert [f.name for f in files] == ["madoguchi_field_keys", "madoguchi_secret_key"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert len(secret) >= 50 and (tmp_path / "a" / "secrets" / "madoguchi_secret_key").read_text().strip() == secret
    # the same folder gives the same keys (the demo database stays readable); another folder other keys
    assert _settings(tmp_path / "a") == (debug, secret, field_key)
    other = _settings(tmp_path / "b")
    assert other[1] != secret and other[2] != field_key


def test_only_development_turns_debug_on(tmp_path):
    assert _settings(tmp_path, MADOGUCHI_ENV="development")[0] == "True"
    for mode in ("demo", "test", "local", "Production", "dev"):
        assert _settings(tmp_path, MADOGUCHI_ENV=mode)[0] == "False", mode


def test_no_secret_or_fernet_key_is_in_the_code():
    fernet = re.compile(r"['\"][A-Za-z0-9_-]{43}=['\"]")
    found = [str(p) for p in (ROOT / "madoguchi").rglob("*.py") if fernet.search(p.read_text(encoding="utf-8"))]
    assert found == []
    settings_text = (ROOT / "madoguchi" / "settings.py").read_text(encoding="utf-8")
    assert "insecure" not in settings_text and not re.search(r"SECRET_KEY\s*=\s*['\"]", settings_text)
