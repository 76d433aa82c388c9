"""Writing participations in bulk (the rows that put residents into a program).

Callers check first (who may, which scope, which people: :mod:`madoguchi.programs.services.enrolment`);
this module only writes.  On PostgreSQL the rows go in as one ``INSERT … SELECT unnest(array)`` per 10,000
(two array parameters instead of three placeholders per row); elsewhere through ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from madoguchi.register.models import Participation, Program

PG_CHUNK = 10_000


def add_participations(*, program: Program, resident_ids: Sequence[int], role: str) -> int:
    """Insert one participation per resident id (ids must not be enrolled yet: the unique constraint
    ``participation_unique`` raises otherwise).  Returns the number of rows written."""
    if not resident_ids:
        return 0
    if connection.vendor != "postgresql":
        Participation.objects.bulk_create([Participation(program=program, resident_id=rid, role=role)
                                           for rid in resident_ids], batch_size=2000)
        return len(resident_ids)
    table = Participation._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(resident_ids), PG_CHUNK):
            chunk = list(resident_ids[start:start + PG_CHUNK])
            cursor.execute(
                f"INSERT INTO {table} (program_id, resident_id, role, since) "
                "SELECT %s, rid, %s, %s FROM unnest(%s::bigint[]) AS rid",
                [program.pk, role, now, chunk])
    return len(resident_ids)
