"""The database's own guards on the log and its chain heads (ADR 0019), per statement an attacker with the
application's database role could send."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog, ChainHead
from madoguchi.audit.services import record_access
from madoguchi.audit.services.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(staff_user, actor_for):
    return [record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[i])
            for i in range(3)]


def _refused(statement: str, params: list[object] | None = None) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@pytest.mark.parametrize("table", ["audit_accesslog", "audit_chainhead"])
def test_truncate_is_refused(rows, table):
    if connection.vendor == "postgresql":
        _refused(f"TRUNCATE {table}")
    else:  # SQLite has no TRUNCATE; its unqualified DELETE is the same statement and fires the row triggers
        _refused(f"DELETE FROM {table}")
    assert AccessLog.objects.count() == 3 and ChainHead.objects.filter(id=1, last_seq=3).exists()


def test_head_cannot_be_moved_back_or_forward_by_hand(rows):
    _refused("UPDATE audit_chainhead SET last_seq = 2, last_hash = %s WHERE id = 1", [rows[1].row_hash])
    _refused("UPDATE audit_chainhead SET last_seq = 4, last_hash = %s WHERE id = 1", ["f" * 64])
    _refused("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", ["f" * 64])
    assert ChainHead.objects.get(id=1).last_hash == rows[-1].row_hash


def test_head_cannot_be_deleted_or_created_mid_chain(rows):
    _refused("DELETE FROM audit_chainhead WHERE id = 1")
    _refused("INSERT INTO audit_chainhead (id, last_seq, last_hash) VALUES (99, 5, %s)", [rows[-1].row_hash])
    assert verify_chain().ok


def test_a_row_that_does_not_continue_its_head_is_refused(rows):
    """Inserting behind record_access: the insert trigger refuses a row that is not the head's next."""
    row = rows[-1]
    columns = ("id", "at", "username", "action", "resident_ids", "resident_count", "allowed", "break_glass",
               "chain", "seq", "key_id", "prev_hash", "row_hash")
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    marks = ", ".join(f"%s{cast}" if c == "resident_ids" else "%s" for c in columns)
    statement = f"INSERT INTO audit_accesslog ({', '.join(columns)}) VALUES ({marks})"
    at = connection.ops.adapt_datetimefield_value(row.at)
    for seq, prev in ((5, row.row_hash), (4, rows[0].row_hash)):  # a gap; a wrong predecessor
        _refused(statement, [row.id + 100 + seq, at, "x", "resident.view", "[]", 0, True, False, 1, seq,
                             row.key_id, prev, "e" * 63 + str(seq)])
    assert AccessLog.objects.count() == 3 and verify_chain().ok
