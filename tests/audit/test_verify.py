from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from madoguchi.audit.chain import CHAINED_FIELDS, GENESIS, row_digest
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog, ChainHead
from madoguchi.audit.services import record_access
from madoguchi.audit.services.verify import ProblemKind, verify_chain
from madoguchi.cli import main
from tests.audit.tamper import forged_row, insert_raw, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(staff_user, actor_for):
    """Five rows by department staff, ids 1..5."""
    actor = actor_for(staff_user)
    return [record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[i, i + 100], program="p")
            for i in range(1, 6)]


def run_command(*args: str) -> str:
    from io import StringIO
    out = StringIO()
    call_command("verify_audit", "--as", "staff", *args, stdout=out)
    return out.getvalue()


def test_intact_chain_passes_with_a_summary(chain):
    result = verify_chain(chunk=2)  # several chunks
    assert result.ok and result.rows_checked == 5 and result.last_id == 5
    assert result.last_hash == chain[-1].row_hash
    output = run_command()
    assert "チェーンは正常です" in output and "5 行" in output and chain[-1].row_hash in output
    # the verification itself is logged (after the check)
    assert AccessLog.objects.filter(action=AuditEvent.AUDIT_VERIFY, channel="cli", username="staff").count() == 1


def test_empty_log_is_intact(db):
    result = verify_chain()
    assert result.ok and result.rows_checked == 0


def test_values_read_back_hash_as_written(auditor_user, actor_for):
    """Japanese text, big ids, no user, denied, break glass, a timestamp on a whole second: the values read
    back from this database (SQLite or PostgreSQL) give the hash computed from the values written."""
    rows = [
        record_access(actor=actor_for(auditor_user), action=AuditEvent.BREAK_GLASS, residents=[2**40, 7, 7],
                      target="髙橋 﨑 𠮷野家「テスト」", purpose="緊急 \"引用\" \\ バックスラッシュ", break_glass=True,
                      reason="理由\n改行"),
        record_access(actor=actor_for(None, address="2001:db8::1"), action=AuditEvent.ACCESS_DENIED,
                      allowed=False, reason="拒否"),
    ]
    for row in rows:
        stored = AccessLog.objects.get(pk=row.pk)
        fields = {name: getattr(stored, name) for name in CHAINED_FIELDS}
        assert row_digest(stored.prev_hash, fields) == stored.row_hash
    # a timestamp exactly on a second still hashes with its microseconds written out
    whole = dt.datetime(2026, 11, 22, 1, 2, 3, tzinfo=dt.UTC)
    source = AccessLog.objects.get(pk=rows[-1].pk)
    insert_raw(forged_row(source, row_id=3, prev_hash=rows[-1].row_hash, at=whole))
    ChainHead.objects.filter(id=1).update(last_id=3, last_hash=AccessLog.objects.get(pk=3).row_hash)
    result = verify_chain()
    assert result.ok, result.problem
    assert result.rows_checked == 3


def test_changed_row_is_named(chain):
    sql("UPDATE audit_accesslog SET username = %s WHERE id = 3", ["someone-else"])
    result = verify_chain()
    assert result.problem is not None
    assert (result.problem.kind, result.problem.row_id) == (ProblemKind.CHANGED, 3)
    assert result.rows_checked == 2
    with pytest.raises(CommandError, match="行 #3 が書き換えられています"):
        run_command()


def test_changed_residents_are_named(chain):
    sql("UPDATE audit_accesslog SET resident_ids = %s WHERE id = 4", ["[4]"])
    assert verify_chain().problem.row_id == 4


def test_changed_row_with_recomputed_hash_is_caught_at_the_next_row(chain):
    forged = forged_row(chain[2], row_id=3, prev_hash=chain[1].row_hash, purpose="書換え")
    sql("UPDATE audit_accesslog SET purpose = %s, row_hash = %s WHERE id = 3", [forged["purpose"],
                                                                             forged["row_hash"]])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, 4)
    assert "行 #3" in problem.message


@pytest.mark.parametrize(("deleted", "named"), [(3, 3), (1, 1)])
def test_removed_row_is_named(chain, deleted, named):
    sql("DELETE FROM audit_accesslog WHERE id = %s", [deleted])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.REMOVED, named)
    assert f"行 #{named} が削除されています" in problem.message


def test_removed_rows_in_a_run_are_named(chain):
    sql("DELETE FROM audit_accesslog WHERE id IN (2, 3)")
    problem = verify_chain().problem
    assert problem.row_id == 2 and "#2〜#3（2行）" in problem.message


def test_removed_last_row_is_caught_by_the_chain_head(chain):
    sql("DELETE FROM audit_accesslog WHERE id = 5")
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.REMOVED, 5)
    assert "チェーン先頭は #5" in problem.message


def test_row_inserted_out_of_order_is_named(chain):
    # A row placed after row 5 but claiming to follow row 3, with the chain head moved along.
    forged = forged_row(chain[0], row_id=6, prev_hash=chain[2].row_hash, username="intruder")
    insert_raw(forged)
    ChainHead.objects.filter(id=1).update(last_id=6, last_hash=forged["row_hash"])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, 6)


def test_row_slipped_in_by_replacing_a_deleted_one_is_named(chain):
    sql("DELETE FROM audit_accesslog WHERE id = 3")
    insert_raw(forged_row(chain[2], row_id=3, prev_hash=chain[1].row_hash, resident_ids=[999]))
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, 4)


def test_row_appended_behind_the_chain_heads_back_is_named(chain):
    insert_raw(forged_row(chain[0], row_id=6, prev_hash=chain[4].row_hash))
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, 6)
    assert "チェーン先頭" in problem.message


def test_chain_head_with_a_wrong_hash_is_named(chain):
    ChainHead.objects.filter(id=1).update(last_hash="f" * 64)
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.HEAD, 5)


def test_genesis_row_must_start_from_genesis(chain):
    forged = forged_row(chain[0], row_id=1, prev_hash="a" * 64)
    sql("UPDATE audit_accesslog SET prev_hash = %s, row_hash = %s WHERE id = 1",
        [forged["prev_hash"], forged["row_hash"]])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, 1)
    assert forged["prev_hash"] != GENESIS


def test_from_id_trusts_the_row_before(chain):
    sql("UPDATE audit_accesslog SET username = 'x' WHERE id = 2")
    assert verify_chain(from_id=3).ok
    assert "#3〜#5 の 3 行" in run_command("--from-id", "3")
    assert verify_chain(from_id=2).problem.row_id == 2


def test_console_command_exits_non_zero_naming_the_row(chain, capsys):
    sql("DELETE FROM audit_accesslog WHERE id = 4")
    with pytest.raises(SystemExit) as exit_info:
        main(["madoguchi", "verify_audit", "--as", "staff"])
    assert exit_info.value.code == 1
    assert "行 #4 が削除されています" in capsys.readouterr().err


def test_tampering_really_bypasses_the_triggers_only_inside_the_helper(chain):
    from django.db import DatabaseError, transaction
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE id = 1")
    assert AccessLog.objects.count() == 5
