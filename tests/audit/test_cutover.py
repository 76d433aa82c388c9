"""The cut-over from the keyless chain (before ADR 0019) to keyed chains: migration audit.0003 on a log
that already has rows, and the attacks on the keyless part afterwards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from madoguchi.accounts.context import Actor
from madoguchi.audit.chain import GENESIS, digest_values
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access
from madoguchi.audit.services.cutover import cut_over_to_keyed
from madoguchi.audit.services.verify import ProblemKind, verify_chain
from tests.audit.tamper import forged_row, set_head, sql

pytestmark = pytest.mark.django_db


def _to_keyless(rows: list[AccessLog]) -> list[AccessLog]:
    """Rewrite rows (chain 1, seq 1..n) as the keyless SHA-256 chain of before the cut-over."""
    prev = GENESIS
    for row in rows:
        forged = forged_row(row, row_id=row.id, prev_hash=prev, secret=None)
        sql("UPDATE audit_accesslog SET key_id = '', prev_hash = %s, row_hash = %s WHERE id = %s",
            [prev, forged["row_hash"], row.id])
        prev = forged["row_hash"]
    set_head(1, rows[-1].seq, prev)
    return list(AccessLog.objects.filter(chain=1).order_by("seq"))


@pytest.fixture
def legacy(staff_user, actor_for):
    """Four keyless rows as written before the cut-over, then the cut-over row and one keyed row."""
    rows = [record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[i])
            for i in range(1, 5)]
    rows = _to_keyless(rows)
    assert verify_chain().problem.kind == ProblemKind.UNKEYED  # keyless rows without the cut-over row
    rekey = cut_over_to_keyed()
    assert rekey is not None and rekey.action == AuditEvent.AUDIT_REKEY and rekey.prev_hash == rows[-1].row_hash
    assert f"#1〜#{rows[-1].id}" in rekey.target or f"#{rows[-1].id}" in rekey.target
    after = record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[9])
    return [*rows, rekey, after]


def test_keyless_rows_followed_by_the_cut_over_verify(legacy):
    result = verify_chain()
    assert result.ok, result.problem
    assert result.rows_checked == 6
    assert cut_over_to_keyed() is None  # once only


def test_rewriting_a_keyless_row_and_recomputing_the_keyless_hashes_is_caught_at_the_cut_over(legacy):
    prev = legacy[0].row_hash
    for n, row in enumerate(legacy[1:4]):
        forged = forged_row(row, row_id=row.id, prev_hash=prev, secret=None,
                            **({"purpose": "書換え"} if n == 0 else {}))
        sql("UPDATE audit_accesslog SET purpose = %s, prev_hash = %s, row_hash = %s WHERE id = %s",
            [forged["purpose"], prev, forged["row_hash"], row.id])
        prev = forged["row_hash"]
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.OUT_OF_ORDER, legacy[4].id)


def test_rewriting_every_row_as_keyless_is_caught(legacy):
    _to_keyless(legacy)
    problem = verify_chain().problem
    assert problem.kind == ProblemKind.UNKEYED
    # and the next keyed row written by the application is no cut-over row
    record_access(actor=Actor.cli(None), action=AuditEvent.RESIDENT_VIEW)
    problem = verify_chain().problem
    assert problem.kind == ProblemKind.UNKEYED and "切替の記録ではありません" in problem.message


def test_a_keyless_row_after_keyed_rows_is_caught(legacy):
    row = legacy[-1]
    forged = forged_row(row, row_id=row.id, prev_hash=row.prev_hash, secret=None)
    sql("UPDATE audit_accesslog SET key_id = '', row_hash = %s WHERE id = %s", [forged["row_hash"], row.id])
    problem = verify_chain().problem
    assert (problem.kind, problem.row_id) == (ProblemKind.UNKEYED, row.id)


@pytest.mark.django_db(transaction=True)
def test_migration_numbers_existing_rows_and_writes_the_cut_over_row():
    """Migrate the log back to before 0003, write keyless rows as the old code did, migrate forward."""
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_append_only_triggers")])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_chainhead")  # (no guard before 0003)
        prev = GENESIS
        for row_id in (1, 2, 3):
            values = [row_id, "2026-11-01T00:00:00.000000+00:00", None, "(cli)", "", "", "cli", "cli",
                      "resident.view", "", [row_id], 1, "", "", True, "", False]
            digest = digest_values(prev, values)
            cursor.execute(
                "INSERT INTO audit_accesslog (id, at, user_id_ref, username, role, organisation, address, channel,"
                " action, target, resident_ids, resident_count, program, purpose, allowed, reason, break_glass,"
                " prev_hash, row_hash) VALUES (%s, '2026-11-01 00:00:00', NULL, '(cli)', '', '', 'cli', 'cli',"
                " 'resident.view', '', %s, 1, '', '', %s, '', %s, %s, %s)",
                [row_id, f"[{row_id}]", True, False, prev, digest])
            prev = digest
        cursor.execute("INSERT INTO audit_chainhead (id, last_id, last_hash) VALUES (1, 3, %s)", [prev])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = list(AccessLog.objects.order_by("chain", "seq").values_list("id", "seq", "key_id", "action"))
    assert [r[:3] for r in rows[:3]] == [(1, 1, ""), (2, 2, ""), (3, 3, "")]
    assert rows[3][1:] == (4, rows[3][2], AuditEvent.AUDIT_REKEY) and rows[3][2]
    assert verify_chain().ok
    new = record_access(actor=Actor.cli(None), action=AuditEvent.RESIDENT_VIEW)
    assert new.id > rows[3][0] and verify_chain().ok
