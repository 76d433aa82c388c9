"""Recompute applications' match keys when the ward maps a vendor 外字 (residents.services.gaiji, ADR 0016)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case
from madoguchi.core.gaiji import address_key, kana_key, name_key, split_address


def on_mapping_changed(sender: Any, *, chars: list[str], actor: Any = None, **_: Any) -> None:
    """Keys of the cases whose 氏名・カナ・住所 hold one of ``chars``, recomputed with the new table."""
    cond = Q()
    for ch in chars:
        cond |= Q(name__contains=ch) | Q(name_kana__contains=ch) | Q(address__contains=ch)
    with transaction.atomic():
        cases = list(Case.objects.select_for_update().filter(cond))
        for case in cases:
            case.name_key = name_key(case.name)
            case.kana_key = kana_key(case.name_kana) if case.name_kana else ""
            case.address_key = address_key(case.address)
            if case.household_key.startswith("addr:"):
                base, building = split_address(case.address)
                case.household_key = f"addr:{base}|{building}"
        Case.objects.bulk_update(cases, ["name_key", "kana_key", "address_key", "household_key"])
        if cases and actor is not None:
            record_access(actor=actor, action=AuditEvent.CASE_CHANGE, target="外字対応表",
                          residents=[c.resident_id for c in cases if c.resident_id],
                          resident_count=len(cases), reason="外字の対応を登録したため照合キーを再計算")
