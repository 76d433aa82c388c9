from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from madoguchi.audit.chain import GENESIS, KEYED_FIELDS, row_digest
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.keys import current_key
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access
from madoguchi.audit.services.verify import ProblemKind, verify_chain
from madoguchi.cli import main
from tests.audit.tamper import forged_row, insert_raw, set_head, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(staff_user, actor_for):
    """Five rows by department staff, chain 1, seq 1..5."""
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
    assert result.ok and result.rows_checked == 5 and result.last_id == chain[-1].id
    assert [(r.chain, r.seq) for r in chain] == [(1, s) for s in range(1, 6)]
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
        fields = {name: getattr(stored, name) for name in KEYED_FIELDS}
        assert row_digest(stored.prev_hash, fields, current_key().secret) == stored.row_hash
    # a timestamp exactly on a second still hashes with its microseconds written out
    whole = dt.datetime(2026, 11, 22, 1, 2, 3, tzinfo=dt.UTC)
    source = AccessLog.objects.get(pk=rows[-1].pk)
    forged = forged_row(source, row_id=rows[-1].id + 1, prev_hash=rows[-1].row_hash, at=whole, seq=3,
                        secret=current_key().secret)
    insert_raw(forged)
    set_head(1, 3, forged["row_hash"])
    result = verify_chain()
    assert result.ok, result.problem
    assert result.rows_checked == 3


def test_changed_row_is_named(chain):
    sql("UPDATE audit_accesslog SET username = %s WHERE id = %s", ["someone-else", chain[2].id])
    result = verify_chain()
    assert result.problem is not None
    assert (result.problem.kind, result.problem.row_id) == (ProblemKind.CHANGED, chain[2].id)
    assert result.rows_checked == 2
    with pytest.raises(CommandError, match=f"行 #{chain[2].id} が書き換えられています"):
        run_command()


def test_changed_residents_are_named(chain):
    sql("UPDATE audit_accesslog SET resident_ids = %s WHERE id = %s", ["[4]", chain[3].id])
    assert verify_chain().problem.row_id == chain[3].id


def _rewrite_from(chain, index: int, secret: bytes | None, key_id: str, **changes) -> None:
    """The attack of issue 16 item 3: rewrite one row and recompute every later hash (head moved along)."""
    prev = chain[index - 1].row_hash if index else GENESIS
    for n, row in enumerate(chain[index:]):
        forged = forged_row(row, row_id=row.id, prev_hash=prev, secret=secret, key_id=key_id,
                            **(changes if n == 0 else {}))
        sql("UPDATE audit_accesslog SET purpose = %s, key_id = %s, prev_hash = %s, row_hash = %s WHERE id = %s",
            [forged["purpose"], key_id, prev, forged["row_hash"], row.id])
        prev = forged["row_hash"]
    set_head(1, chain[-1].seq, prev)


def test_rewritten_row_with_recomputed_keyless_hashes_is_named(chain):
    """Recomputing with SHA-256 as before: the rewritten row is keyless where only keyed rows may be."""
    _rewrite_from(chain, 2, None, "", purpose="書換え")
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.UNKEYED, chain[2].id)


def test_rewritten_row_with_recomputed_hashes_under_a_guessed_key_is_named(chain):
    """Without the key (the database role does not hold it) the recomputed HMACs do not match."""
    _rewrite_from(chain, 2, b"\x00" * 32, current_key().key_id, purpose="書換え")
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.CHANGED, chain[2].id)
    with pytest.raises(CommandError, match=f"行 #{chain[2].id} が書き換えられています"):
        run_command()


def test_rewritten_row_with_an_unknown_key_id_is_named(chain):
    _rewrite_from(chain, 2, b"\x01" * 32, "stolen", purpose="書換え")
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.CHANGED, chain[2].id)
    assert "鍵ID「stolen」" in problem.message


def test_changed_row_with_recomputed_hash_is_caught_at_the_next_row(chain):
    """Whoever holds the key can recompute one row; the next row still links to the old hash."""
    forged = forged_row(chain[2], row_id=chain[2].id, prev_hash=chain[1].row_hash, purpose="書換え",
                        secret=current_key().secret)
    sql("UPDATE audit_accesslog SET purpose = %s, row_hash = %s WHERE id = %s", [forged["purpose"],
                                                                              forged["row_hash"], chain[2].id])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, chain[3].id)
    assert f"行 #{chain[3].id}" in problem.message


@pytest.mark.parametrize(("deleted", "seq"), [(2, 3), (0, 1)])
def test_removed_row_is_named(chain, deleted, seq):
    sql("DELETE FROM audit_accesslog WHERE id = %s", [chain[deleted].id])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id, problem.seq) == (ProblemKind.REMOVED, chain[deleted + 1].id, seq)
    assert f"チェーン1の第{seq}行が削除されています" in problem.message


def test_removed_rows_in_a_run_are_named(chain):
    sql("DELETE FROM audit_accesslog WHERE id IN (%s, %s)", [chain[1].id, chain[2].id])
    problem = verify_chain().problem
    assert problem.seq == 2 and "第2〜3行（2行）" in problem.message


def test_removed_last_row_is_caught_by_the_chain_head(chain):
    sql("DELETE FROM audit_accesslog WHERE id = %s", [chain[4].id])
    problem = verify_chain().problem
    assert (problem.kind, problem.seq) == (ProblemKind.REMOVED, 5)
    assert "チェーン先頭は第5行" in problem.message


def test_row_inserted_out_of_order_is_named(chain):
    # A row placed after row 5 but claiming to follow row 3, with the chain head moved along.
    forged = forged_row(chain[0], row_id=chain[4].id + 10, prev_hash=chain[2].row_hash, username="intruder",
                        seq=6, secret=current_key().secret)
    insert_raw(forged)
    set_head(1, 6, forged["row_hash"])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, forged["id"])


def test_row_slipped_in_by_replacing_a_deleted_one_is_named(chain):
    sql("DELETE FROM audit_accesslog WHERE id = %s", [chain[2].id])
    insert_raw(forged_row(chain[2], row_id=chain[2].id, prev_hash=chain[1].row_hash, resident_ids=[999],
                          secret=current_key().secret))
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, chain[3].id)


def test_row_appended_behind_the_chain_heads_back_is_named(chain):
    insert_raw(forged_row(chain[0], row_id=chain[4].id + 1, prev_hash=chain[4].row_hash, seq=6,
                          secret=current_key().secret))
    problem = verify_chain().problem
    assert (problem.kind, problem.seq) == (ProblemKind.OUT_OF_ORDER, 6)
    assert "チェーン先頭" in problem.message


def test_chain_head_with_a_wrong_hash_is_named(chain):
    sql("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", ["f" * 64])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.HEAD, chain[4].id)


def test_genesis_row_must_start_from_genesis(chain):
    forged = forged_row(chain[0], row_id=chain[0].id, prev_hash="a" * 64, secret=current_key().secret)
    sql("UPDATE audit_accesslog SET prev_hash = %s, row_hash = %s WHERE id = %s",
        [forged["prev_hash"], forged["row_hash"], chain[0].id])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, chain[0].id)


def test_from_id_trusts_the_row_before(chain):
    sql("UPDATE audit_accesslog SET username = 'x' WHERE id = %s", [chain[1].id])
    assert verify_chain(from_id=chain[2].id).ok
    assert f"#{chain[2].id}〜#{chain[4].id} の 3 行" in run_command("--from-id", str(chain[2].id))
    assert verify_chain(from_id=chain[1].id).problem.row_id == chain[1].id


def test_console_command_exits_non_zero_naming_the_row(chain, capsys):
    sql("DELETE FROM audit_accesslog WHERE id = %s", [chain[3].id])
    with pytest.raises(SystemExit) as exit_info:
        main(["madoguchi", "verify_audit", "--as", "staff"])
    assert exit_info.value.code == 1
    assert "チェーン1の第4行が削除されています" in capsys.readouterr().err


def test_tampering_really_bypasses_the_triggers_only_inside_the_helper(chain):
    from django.db import DatabaseError, transaction
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [chain[0].id])
    assert AccessLog.objects.count() == 5
