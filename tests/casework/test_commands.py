"""The casework commands: import_applications, import_past_grantees, render_notices."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import Case, NoticeJob, PastGrantee, Status
from tests.casework.conftest import csv_bytes, row
from tests.casework.factories import CODE, make_case


def test_import_applications_command(setup, profile, tmp_path, capsys):
    path = tmp_path / "logo.csv"
    path.write_bytes(csv_bytes(row(), encoding="cp932"))
    call_command("import_applications", "--program", CODE, "--user", "itaku", "--profile", profile.name, str(path))
    assert "新規 1 件" in capsys.readouterr().out and Case.objects.count() == 1


def test_import_applications_refuses_bad_rows_and_undeclared_users(setup, profile, tmp_path):
    path = tmp_path / "logo.csv"
    path.write_bytes(csv_bytes(row(cost="x")))
    with pytest.raises(CommandError, match="2行目"):
        call_command("import_applications", "--program", CODE, "--user", "itaku", "--profile", profile.name, str(path))
    path.write_bytes(csv_bytes(row()))
    with pytest.raises(CommandError):
        call_command("import_applications", "--program", CODE, "--user", "callcenter", "--profile", profile.name,
                     str(path))
    assert Case.objects.count() == 0
    assert AccessLog.objects.filter(action="policy.denied", username="callcenter").exists()


def test_import_past_grantees_command(setup, tmp_path):
    path = tmp_path / "past.csv"
    path.write_text("住所,氏名\n新宿区西新宿2-8-1,高橋一郎\n", encoding="utf-8")
    call_command("import_past_grantees", "--program", CODE, "--user", "tanto", "--name", "R7", str(path))
    assert PastGrantee.objects.count() == 1


def test_render_notices_command(setup, tmp_path):
    make_case(setup.program, status=Status.GRANTED, granted_amount=10000)
    out = tmp_path / "n.pdf"
    call_command("render_notices", "--program", CODE, "--user", "tanto", "--kind", "grant", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF") and NoticeJob.objects.get().status == "done"
