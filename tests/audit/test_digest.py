"""Signed daily digests: the attacks of issue 16 item 3 that the chains alone cannot see are caught against
the digests, naming the first row that disagrees."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from madoguchi.audit.chain import GENESIS
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.keys import current_key
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access
from madoguchi.audit.services import verify as verify_module
from madoguchi.audit.services.digest import DigestRefused, check_digests, make_digest
from madoguchi.audit.services.verify import ProblemKind, verify_chain
from tests.audit.tamper import forged_row, insert_raw, set_head, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(staff_user, actor_for, monkeypatch):
    monkeypatch.setattr(verify_module, "CHECKPOINT_EVERY", 2)
    return [record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[i])
            for i in range(1, 7)]


def _digest(actor_for, folder, second: int = 0):
    return make_digest(actor=actor_for(None), out_dir=folder, now=datetime(2026, 11, 30, 15, 0, second, tzinfo=UTC))


def _check(folder):
    return check_digests(verify_chain(), folder)


def test_digest_is_signed_and_the_log_agrees(rows, actor_for, tmp_path):
    path = _digest(actor_for, tmp_path)
    body = json.loads(path.read_text())["digest"]
    assert body["chains"]["1"]["seq"] == 6 and body["chains"]["1"]["hash"] == rows[-1].row_hash
    assert [c[0] for c in body["chains"]["1"]["checkpoints"]] == [2, 4, 6]
    assert body["public_key"] == current_key().public_key_b64()
    assert AccessLog.objects.filter(action=AuditEvent.AUDIT_DIGEST).count() == 1
    later = _digest(actor_for, tmp_path, 1)  # checkpoints only for rows since the previous digest
    assert [c[0] for c in json.loads(later.read_text())["digest"]["chains"]["1"]["checkpoints"]] == []
    assert _check(tmp_path).ok


def test_truncate_and_reinsert_all_but_the_newest_rows_is_caught(rows, actor_for, tmp_path, staff_user):
    """The second attack of the issue: with the triggers off (database owner), empty the log and insert again
    all rows but the newest two, head set back.  The chain itself verifies; the digest does not."""
    _digest(actor_for, tmp_path)
    kept = list(AccessLog.objects.filter(seq__lte=4).order_by("seq").values())
    sql("DELETE FROM audit_accesslog")
    sql("UPDATE audit_chainhead SET last_seq = 0, last_hash = %s", [GENESIS])
    for row in kept:
        insert_raw(row)
    set_head(1, 4, kept[-1]["row_hash"])
    assert verify_chain().ok  # what the issue found: the chain alone cannot tell
    problem = _check(tmp_path).problem
    assert problem.kind == ProblemKind.REMOVED and problem.seq == 6
    assert "チェーン1の第5〜6行が削除されています" in problem.message
    with pytest.raises(CommandError, match="第5〜6行が削除されています"):
        call_command("verify_audit", "--as", staff_user.username, "--digests", str(tmp_path), stdout=StringIO())


def test_rows_rebuilt_with_the_key_are_caught_naming_the_first_checkpoint_that_disagrees(rows, actor_for,
                                                                                          tmp_path):
    """The first attack, by someone who also stole the chain key: rewrite row 3, recompute every later HMAC."""
    _digest(actor_for, tmp_path)
    everything = list(AccessLog.objects.filter(chain=1).order_by("seq"))  # with the digest's own row
    prev = rows[1].row_hash
    for n, row in enumerate(everything[2:]):
        forged = forged_row(row, row_id=row.id, prev_hash=prev, secret=current_key().secret,
                            **({"purpose": "書換え"} if n == 0 else {}))
        sql("UPDATE audit_accesslog SET purpose = %s, prev_hash = %s, row_hash = %s WHERE id = %s",
            [forged["purpose"], prev, forged["row_hash"], row.id])
        prev = forged["row_hash"]
    set_head(1, everything[-1].seq, prev)
    assert verify_chain().ok
    problem = _check(tmp_path).problem
    assert (problem.kind, problem.row_id, problem.seq) == (ProblemKind.DIGEST, rows[3].id, 4)
    assert "第3〜4行の間が作り直されています" in problem.message


def test_a_forged_or_foreign_digest_is_refused(rows, actor_for, tmp_path):
    path = _digest(actor_for, tmp_path)
    data = json.loads(path.read_text())
    data["digest"]["chains"]["1"]["seq"] = 5
    path.write_text(json.dumps(data))
    assert "署名が正しくありません" in _check(tmp_path).problem.message
    data["digest"]["public_key"] = "A" * 43 + "="
    path.write_text(json.dumps(data))
    assert "設定された鍵のものではありません" in _check(tmp_path).problem.message


def test_no_digest_in_the_folder_is_a_problem(rows, tmp_path):
    assert "日次ダイジェストがありません" in _check(tmp_path).problem.message


def test_no_digest_is_signed_over_a_broken_chain(rows, actor_for, tmp_path, staff_user):
    sql("UPDATE audit_accesslog SET username = 'x' WHERE id = %s", [rows[1].id])
    with pytest.raises(DigestRefused):
        _digest(actor_for, tmp_path)
    with pytest.raises(CommandError, match="ダイジェストを作りませんでした"):
        call_command("audit_digest", "--as", staff_user.username, "--out", str(tmp_path), stdout=StringIO())
    assert list(tmp_path.iterdir()) == []


def test_commands_write_and_check_digests(rows, tmp_path, staff_user):
    out = StringIO()
    call_command("audit_digest", "--as", staff_user.username, "--out", str(tmp_path), stdout=out)
    assert "日次ダイジェストを書き出しました" in out.getvalue()
    out = StringIO()
    call_command("verify_audit", "--as", staff_user.username, "--digests", str(tmp_path), stdout=out)
    assert "チェーンは正常です" in out.getvalue()
