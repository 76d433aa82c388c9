"""One rule for console operators (issue 16 item 9; madoguchi.accounts.operators): every madoguchi command that
acts on data needs ``--as LOGIN`` naming an active user, and says so in Japanese, before reading or changing
anything.  This test walks every command the project ships, so a new command must take a side here."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from madoguchi.accounts.operators import MISSING
from madoguchi.audit.models import AccessLog
from tests.factories import UserFactory

# Commands that touch no residents' data, no register and no access log (the reason is in accounts/operators.py).
# simulate_amount reads no one's data; the demo commands make and show dummies; worker and sweep_jobs are the
# infrastructure that runs jobs queued (and logged) by a named user, and record no access of their own.
# restore writes into an empty database, where no user exists yet to name (it logs the restore itself).
# serve starts the web server and the worker (infrastructure, like worker).
EXEMPT = {"simulate_amount", "seed_demo", "demo_logins", "serve_demo", "worker", "sweep_jobs", "restore", "serve"}


def _arguments(tmp: Path) -> dict[str, list[str]]:
    """The smallest arguments each command's parser accepts (besides --as)."""
    csv = tmp / "in.csv"
    if tmp.is_dir():
        csv.write_text("x\n", encoding="utf-8")
    out = str(tmp / "out.bin")
    return {
        "verify_audit": [],
        "analyze_audit": ["--from", "2026-11-01", "--to", "2026-11-30"],
        "import_applications": ["--program", "p", "--profile", "x", str(csv)],
        "import_past_grantees": ["--program", "p", str(csv)],
        "render_notices": ["--program", "p", "--out", out],
        "find_duplicates": ["--left", str(csv), "--right", str(csv), "--out", out],
        "rotate_field_keys": [],
        "payment_batch": ["create", "--program", "p", "--date", "2026-12-01"],
        "council_document": ["p", "--format", "pdf", "--out", out],
        "file_register": ["--format", "csv", "--out", out],
        "import_residents": [str(csv)],
        "enrol": ["--program", "p", "--resident", "000001"],
        "rekey": [],
        "backup": [out],
        "audit_digest": ["--out", str(tmp)],
    }


def _ours() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app.startswith("madoguchi."))


def test_every_command_takes_a_side():
    assert set(_ours()) - EXEMPT == set(_arguments(Path("/nonexistent"))), \
        "a new command must be listed in EXEMPT (with a reason) or in _arguments (and need --as)"


@pytest.mark.parametrize("name", sorted(set(_arguments(Path("/nonexistent")))))
def test_a_command_without_a_named_operator_stops_with_a_clear_message(db, tmp_path, name):
    args = _arguments(tmp_path)[name]
    UserFactory(username="retired", is_active=False)
    rows = AccessLog.objects.count()
    # when run without --as, with an unknown name, or with a user who is not active
    for extra, words in ([[], MISSING], [["--as", "nobody-such"], "nobody-such"],
                         [["--as", "retired"], "retired"]):
        with pytest.raises(CommandError) as stopped:
            call_command(name, *args, *extra)
        # then it stops with a Japanese message naming the problem (no traceback, no data read)
        assert words in str(stopped.value)
        assert "--as" in str(stopped.value)
    # and nothing was written: no output file, no access-log row
    assert not (tmp_path / "out.bin").exists()
    assert AccessLog.objects.count() == rows
