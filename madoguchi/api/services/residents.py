"""Residents through the API: each answer goes through the access policy and is logged in its transaction.

Reads are scoped by :func:`madoguchi.register.policy.resident_queryset`; fields come only from the one
serializer; a search may only use keys the actor can see (a contractor without 生年月日 cannot probe by
birth date).  Refusals are raised as :class:`AccessRefused`; the API layer logs them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.policy import (
    RESIDENT_ITEM_FIELDS,
    AccessPolicy,
    export_columns,
    open_resident,
    resident_queryset,
    serialize_fields,
    serialize_residents,
    visible_resident_items,
)
from madoguchi.residents import selectors
from madoguchi.residents.selectors import parse_query

SEARCH_LIMIT = 50
EXPORT_LIMIT = 1000


def view_resident(*, policy: AccessPolicy, resident_id: int, program_code: str | None = None) -> dict[str, Any]:
    """One resident with only the declared items; logged as RESIDENT_VIEW (break glass marked)."""
    actor = policy.actor
    with transaction.atomic():
        visible = open_resident(actor, resident_id, program_code=program_code, policy=policy)
        record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[resident_id],
                      target=f"resident:{resident_id}", program=program_code or "",
                      break_glass=visible.break_glass,
                      reason="緊急閲覧" if visible.break_glass else "")
    return visible.data


# A search criterion may be used only by an actor who may see one of these items.
CRITERION_ITEMS: dict[str, tuple[str, ...]] = {
    "resident_no": ("resident_no",), "name": ("name", "name_kana"), "birth_date": ("birth_date",),
    "address": ("address",),
}


def search_residents(*, policy: AccessPolicy, q: str = "", birth_date: str = "", address: str = "",
                     program_code: str | None = None, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Residents matching the criteria among those the actor may see; logged as RESIDENT_SEARCH with the hits.

    ``q`` takes a 住民番号, a date (ISO or 和暦) or a name (kanji or kana), as the search screen does.
    A criterion whose item the actor may not see (without a program: in every grant) is refused
    (AccessRefused), so that nobody can probe by an item the register does not give them.
    """
    parsed = parse_query(q, birth_date, address)
    if parsed.errors:
        raise BusinessRuleError(" ".join(parsed.errors.values()))
    criteria = parsed.criteria
    if criteria.empty:
        raise BusinessRuleError("検索する語を入力してください。")
    actor = policy.actor
    limit = max(1, min(limit, SEARCH_LIMIT))
    with transaction.atomic():
        qs = resident_queryset(actor, program_code=program_code, policy=policy)
        searchable = visible_resident_items(policy, program_code)
        if not program_code and policy.break_glass:
            searchable |= frozenset({"resident_no"})  # a resident opened by break glass is found by number
        for criterion, needs in CRITERION_ITEMS.items():
            if getattr(criteria, criterion) and not set(needs) & searchable:
                raise AccessRefused(f"「{criterion}」で検索する権限がありません（登録で認められていない項目です）。",
                                    action=str(AuditEvent.RESIDENT_SEARCH), program=program_code or "",
                                    target=criteria.describe()[:200])
        hits = list(selectors.search_residents(qs, criteria)[:limit])
        rows = serialize_residents(policy, hits, program_code=program_code)
        record_access(actor=actor, action=AuditEvent.RESIDENT_SEARCH, residents=[r.pk for r in hits],
                      target=criteria.describe()[:200], program=program_code or "")
    return rows


def export_program(*, policy: AccessPolicy, program_code: str, items: list[str], task: str | None = None,
                   offset: int = 0, limit: int = EXPORT_LIMIT) -> dict[str, Any]:
    """Rows of the program's participants with exactly the requested, declared master items.

    Refuses (AccessRefused) any requested item not declared for the actor's organisation; logged as
    RESIDENT_EXPORT with the residents exported.
    """
    actor = policy.actor
    columns = export_columns(policy, program_code, items, task=task)
    unknown = [c for c in columns if c not in RESIDENT_ITEM_FIELDS]
    if unknown:
        raise BusinessRuleError(f"住民の基本情報にない項目は、この出力では扱えません: {', '.join(unknown)}")
    limit, offset = max(1, min(limit, EXPORT_LIMIT)), max(0, offset)
    fields = [f for c in columns for f in RESIDENT_ITEM_FIELDS[c]]
    with transaction.atomic():
        qs = resident_queryset(actor, program_code=program_code, policy=policy).order_by("resident_no")
        records = list(qs.values("id", *fields)[offset:offset + limit])
        rows = [serialize_fields({k: _jsonable(v) for k, v in r.items()}, columns, RESIDENT_ITEM_FIELDS)
                for r in records]
        record_access(actor=actor, action=AuditEvent.RESIDENT_EXPORT, residents=[r["id"] for r in records],
                      target=f"api-export:{','.join(columns)}"[:200], program=program_code, purpose=task or "")
    return {"program": program_code, "columns": columns, "rows": rows}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value

