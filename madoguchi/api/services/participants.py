"""Participants (register.Participation) of any program through the API, by program code (ADR 0013).

Generic over program types: every type enrols residents as participations, so one pair of endpoints serves
them all; a type that needs more (a household, points) can add its own endpoints beside these later.
Only the master items declared for the caller's organisation in that program are present; every answer is
logged in its transaction; a resident who is not a participant, or does not exist, is refused alike.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.register.models import Participation
from madoguchi.register.policy import AccessPolicy, open_resident, resident_queryset, serialize_residents

PER_PAGE_MAX = 100


def list_participants(*, policy: AccessPolicy, program_code: str, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """A page of the program's participants (by 住民番号) with only the declared items; logged as
    PARTICIPANT_LIST with the residents listed.  Refuses (AccessRefused) without a grant in the program.

    Returns ``{"program", "page", "per_page", "total", "pages", "items": [{"id", <declared items>, "role",
    "since"}, …]}``; ``page`` beyond the last answers the last page.
    """
    actor = policy.actor
    per_page = max(1, min(per_page, PER_PAGE_MAX))
    with transaction.atomic():
        qs = resident_queryset(actor, program_code=program_code, policy=policy)
        grant = policy.grant_for(program_code)
        assert grant is not None  # resident_queryset refused otherwise
        total = qs.count()
        pages = max(1, (total + per_page - 1) // per_page)
        page = min(max(1, page), pages)
        residents = list(qs.order_by("resident_no", "pk")[(page - 1) * per_page: page * per_page])
        roles = {rid: (role, since) for rid, role, since in Participation.objects.filter(
            program_id=grant.program_id, resident_id__in=[r.pk for r in residents]).values_list(
            "resident_id", "role", "since")}
        rows = serialize_residents(policy, residents, program_code=program_code,
                                   extra=lambda r: {"role": roles[r.pk][0], "since": roles[r.pk][1].isoformat()})
        record_access(actor=actor, action=AuditEvent.PARTICIPANT_LIST, residents=[r.pk for r in residents],
                      target=f"participants:{program_code}:p{page}", program=program_code,
                      purpose="事業の対象者の一覧（API）")
    for row in rows:
        for key, value in list(row.items()):
            if hasattr(value, "isoformat"):
                row[key] = value.isoformat()
    return {"program": program_code, "page": page, "per_page": per_page, "total": total, "pages": pages,
            "items": rows}


def view_participant(*, policy: AccessPolicy, program_code: str, resident_id: int) -> dict[str, Any]:
    """One participant of the program with only the declared items; logged as RESIDENT_VIEW.

    A resident who does not exist and one who is not a participant are refused with the same words.
    """
    with transaction.atomic():
        visible = open_resident(policy.actor, resident_id, program_code=program_code, policy=policy)
        record_access(actor=policy.actor, action=AuditEvent.RESIDENT_VIEW, residents=[resident_id],
                      target=f"resident:{resident_id}", program=program_code, purpose="事業の対象者の表示（API）")
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in visible.data.items()}
