"""Re-encrypting every encrypted field with the newest key (``MADOGUCHI_FIELD_KEYS``, newest first)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core import crypto


@dataclass
class RotationReport:
    rows: int = 0
    values: int = 0
    per_field: dict[str, int] = field(default_factory=dict)


def rotate_field_keys(*, actor: Actor, batch_size: int = 1000,
                      progress: Callable[[str, int], None] | None = None) -> RotationReport:
    """Read stored tokens in batches by primary key, re-encrypt them with the newest key, write them back.

    Works on the raw column values (no decryption into model objects); each batch is one transaction, so an
    interrupted run can simply be started again (already rotated values are rotated once more, harmlessly).
    A value stored before encryption was enabled (no ``enc1:`` prefix) is encrypted.
    """
    report = RotationReport()
    qn = connection.ops.quote_name
    for model, names in crypto.encrypted_models():
        table = qn(model._meta.db_table)
        pk = qn(model._meta.pk.column)
        for name in names:
            column = qn(str(getattr(model._meta.get_field(name), "column", name)))
            label = f"{model._meta.label}.{name}"
            last = None
            count = 0
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"{column} IS NOT NULL AND {column} <> ''"
                    if last is None:
                        cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {where} "
                                       f"ORDER BY {pk} LIMIT %s", [batch_size])
                    else:
                        cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {where} AND {pk} > %s "
                                       f"ORDER BY {pk} LIMIT %s", [last, batch_size])
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",
                                       [(crypto.rotate(value), key) for key, value in rows])
                last = rows[-1][0]
                count += len(rows)
                if progress:
                    progress(label, count)
            report.per_field[label] = count
            report.values += count
    report.rows = report.values
    summary = ", ".join(f"{k} {v}件" for k, v in report.per_field.items()) or "暗号化項目なし"
    record_access(actor=actor, action=AuditEvent.KEY_ROTATION, target="field_keys",
                  reason=f"鍵 {len([k for k in settings.FIELD_KEYS if k.strip()])} 本のうち最新の鍵で再暗号化: {summary}"[:500])
    return report
