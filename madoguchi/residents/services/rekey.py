"""Recompute the stored match keys of residents after the key functions change (issue 15, ADR 0014).

The keys (``name_key``, ``kana_key``, ``address_key``, ``building_key``) are derived from the name and
address as written and are never shown; a new version of :mod:`madoguchi.core.text` (a regenerated variant
table, new address rules) leaves rows keyed the old way until they are rekeyed.  Run by the operator with
``manage.py rekey`` after an upgrade that says so; it changes no written value.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from madoguchi.residents.models import Resident, match_keys

KEY_FIELDS = ("name_key", "kana_key", "address_key", "building_key")


def rekey_residents(*, batch: int = 5000, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the keys of every resident; returns how many rows changed.

    Works in primary-key order in batches of ``batch`` rows, each in its own transaction (a long run can
    be interrupted and started again).  ``progress(done, changed)`` is called after each batch.
    """
    changed = done = 0
    last = 0
    while True:
        rows = list(Resident.objects.filter(pk__gt=last).order_by("pk")
                    .only("pk", "name", "name_kana", "address", "address_extra", *KEY_FIELDS)[:batch])
        if not rows:
            return changed
        stale: list[Resident] = []
        for r in rows:
            keys = match_keys(name=r.name, name_kana=r.name_kana, address=r.address, address_extra=r.address_extra)
            if any(getattr(r, f) != v for f, v in keys.items()):
                for f, v in keys.items():
                    setattr(r, f, v)
                stale.append(r)
        with transaction.atomic():
            Resident.objects.bulk_update(stale, list(KEY_FIELDS), batch_size=1000)
        changed += len(stale)
        done += len(rows)
        last = rows[-1].pk
        if progress is not None:
            progress(done, changed)
