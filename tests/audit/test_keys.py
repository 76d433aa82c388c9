"""The chain key: where it comes from, production without one, and rotation (ADR 0019)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.keys import chain_keys, current_key, new_key_line
from madoguchi.audit.services import record_access
from madoguchi.audit.services.verify import ProblemKind, verify_chain

OLD, NEW = new_key_line("2026a"), new_key_line("2027a")


def test_production_without_a_key_refuses(settings):
    settings.PRODUCTION, settings.AUDIT_CHAIN_KEYS, settings.AUDIT_CHAIN_KEY_FILE = True, "", ""
    with pytest.raises(ImproperlyConfigured, match="MADOGUCHI_AUDIT_KEYS"):
        chain_keys()


def test_a_production_start_without_a_key_refuses():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MADOGUCHI_AUDIT_KEY")}
    env.update(MADOGUCHI_ENV="production", MADOGUCHI_SECRET_KEY="x" * 50, MADOGUCHI_ALLOWED_HOSTS="example.jp",
               MADOGUCHI_FIELD_KEYS="kr5sLI4sz0PQlvn8LhB7nsY6h9kJEPRSTi11T0w4o0o=",
               PYTHONPATH=str(django_settings.BASE_DIR))
    done = subprocess.run([sys.executable, "-c", "import madoguchi.settings"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode != 0 and "MADOGUCHI_AUDIT_KEY" in done.stderr


def test_keys_from_a_file_newest_first(settings, tmp_path: Path):
    path = tmp_path / "keys"
    path.write_text(f"# comment\n{NEW}\n{OLD}\n")
    settings.AUDIT_CHAIN_KEYS, settings.AUDIT_CHAIN_KEY_FILE = "", str(path)
    assert [k.key_id for k in chain_keys()] == ["2027a", "2026a"] and current_key().key_id == "2027a"


@pytest.mark.parametrize("bad", ["nocolon", "id:not-base64!", "id:QUJD", "bad id!:" + OLD.split(":")[1]])
def test_malformed_keys_are_refused(settings, bad):
    settings.AUDIT_CHAIN_KEYS = bad
    with pytest.raises(ImproperlyConfigured):
        chain_keys()


@pytest.mark.django_db
def test_rotation_keeps_old_rows_verifiable_until_their_key_is_removed(settings, staff_user, actor_for):
    settings.AUDIT_CHAIN_KEYS = OLD
    old = record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW)
    settings.AUDIT_CHAIN_KEYS = f"{NEW},{OLD}"
    new = record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW)
    assert (old.key_id, new.key_id) == ("2026a", "2027a")
    assert verify_chain().ok
    settings.AUDIT_CHAIN_KEYS = NEW  # removed too early
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.CHANGED, old.id) and "2026a" in problem.message
