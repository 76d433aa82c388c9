"""Recompute the stored match keys of applications and past-grantee lists (issue 15, ADR 0014).

``Case.household_key`` is recomputed only where it was derived from the address (``addr:``); one taken
from the resident's household number (``hh:``) stays.  See :mod:`madoguchi.residents.services.rekey`.
"""

from __future__ import annotations

from django.db import transaction

from madoguchi.casework.models import Case, PastGrantee
from madoguchi.core.text import address_key, household_key, kana_key, name_key


def rekey_cases(*, batch: int = 5000) -> int:
    """Recompute name/kana/address/household keys of every case; returns how many rows changed."""
    changed = 0
    last = 0
    fields = ["name_key", "kana_key", "address_key", "household_key"]
    while True:
        rows = list(Case.objects.filter(pk__gt=last).order_by("pk")
                    .only("pk", "name", "name_kana", "address", *fields)[:batch])
        if not rows:
            return changed
        stale: list[Case] = []
        for c in rows:
            new = {"name_key": name_key(c.name), "kana_key": kana_key(c.name_kana) if c.name_kana else "",
                   "address_key": address_key(c.address),
                   "household_key": c.household_key if c.household_key.startswith("hh:")
                   else "addr:" + household_key(c.address)}
            if any(getattr(c, f) != v for f, v in new.items()):
                for f, v in new.items():
                    setattr(c, f, v)
                stale.append(c)
        with transaction.atomic():
            Case.objects.bulk_update(stale, fields, batch_size=1000)
        changed += len(stale)
        last = rows[-1].pk


def rekey_past_grantees(*, batch: int = 5000) -> int:
    """Recompute name/address keys of every past grantee; returns how many rows changed."""
    changed = 0
    last = 0
    while True:
        rows = list(PastGrantee.objects.filter(pk__gt=last).order_by("pk")
                    .only("pk", "name", "address", "name_key", "address_key")[:batch])
        if not rows:
            return changed
        stale = []
        for g in rows:
            new = (name_key(g.name), address_key(g.address))
            if (g.name_key, g.address_key) != new:
                g.name_key, g.address_key = new
                stale.append(g)
        with transaction.atomic():
            PastGrantee.objects.bulk_update(stale, ["name_key", "address_key"], batch_size=1000)
        changed += len(stale)
        last = rows[-1].pk
