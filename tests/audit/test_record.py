from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from madoguchi.audit.chain import GENESIS, KEYED_FIELDS, row_digest
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.keys import current_key
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access

pytestmark = pytest.mark.django_db


def test_rows_are_chained(staff_user, actor_for):
    actor = actor_for(staff_user)
    first = record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[3, 1])
    second = record_access(actor=actor, action=AuditEvent.RESIDENT_SEARCH, residents=[1, 2], purpose="検索")
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.row_hash
    assert first.resident_ids == [1, 3] and first.resident_count == 2
    fields = {name: getattr(second, name) for name in KEYED_FIELDS}
    assert row_digest(second.prev_hash, fields, current_key().secret) == second.row_hash
    assert second.key_id == current_key().key_id and (second.chain, second.seq) == (1, 2)
    assert second.organisation == "dept-test" and second.address == "127.0.0.1"


@pytest.mark.parametrize("statement", [
    "UPDATE audit_accesslog SET username = 'someone-else'",
    "DELETE FROM audit_accesslog",
])
def test_database_refuses_update_and_delete(staff_user, actor_for, statement):
    record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[1])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLog.objects.get().username == "staff"


def test_orm_update_is_refused_too(staff_user, actor_for):
    row = record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[1])
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(allowed=False)
    with pytest.raises(DatabaseError), transaction.atomic():
        row.delete()
    assert AccessLog.objects.filter(pk=row.pk, allowed=True).exists()


def test_async_commit_option_keeps_the_chain(staff_user, actor_for, settings):
    settings.AUDIT_ASYNC_COMMIT = True
    rows = [record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[i])
            for i in range(3)]
    from madoguchi.audit.services.verify import verify_chain
    assert verify_chain().ok and [r.seq for r in rows] == [1, 2, 3]
