"""Reads of casework, scoped by the access policy: case lists, one case, the progress board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, CaseEvent, Settlement, Status
from madoguchi.casework.rules import case_program_types
from madoguchi.casework.services.access import require_action, serialize_case, visible_items
from madoguchi.register.models import Program
from madoguchi.register.policy import AccessPolicy, policy_for

AGE_BUCKETS = ((0, 7, "7日以内"), (8, 14, "8〜14日"), (15, 30, "15〜30日"), (31, 100000, "31日以上"))
OPEN_STATUSES = (Status.RECEIVED, Status.UNDER_REVIEW, Status.CORRECTION_REQUESTED, Status.RE_REVIEW)


def programs_with_cases(policy: AccessPolicy) -> list[Program]:
    """The programs run as applications (cases) that the actor may see: those whose program type registered
    application rules (:func:`madoguchi.casework.rules.case_program_types`), or that already have cases.
    A printer of a cohort mailing or a points-scheme call desk has grants too, but no case screens."""
    return list(Program.objects.filter(code__in=policy.program_codes())
                .filter(Q(program_type__in=case_program_types()) | Q(cases__isnull=False))
                .distinct().order_by("code"))


def case_queryset(actor: Actor, program: Program, *, policy: AccessPolicy | None = None) -> QuerySet[Case]:
    require_action(actor, program.code, "view", policy=policy)
    return Case.objects.filter(program=program).select_related("program")


@dataclass
class CasePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def list_cases(actor: Actor, program: Program, *, status: str = "", query: str = "", page: int = 1,
               per_page: int = 50, only_open_candidates: bool = False) -> CasePage:
    """A page of cases with only the declared items; the list is written to the access log."""
    policy = policy_for(actor)
    qs = case_queryset(actor, program, policy=policy)
    items = policy.items_for(program.code)
    if status:
        qs = qs.filter(status=status)
    if only_open_candidates:
        qs = qs.filter(duplicate_candidates__settlement=Settlement.OPEN).distinct()
    if query:
        cond = Q(number__icontains=query)
        if "name" in items:
            from madoguchi.core.gaiji import name_key

            cond |= Q(name_key__contains=name_key(query))
        qs = qs.filter(cond)
    total = qs.count()
    pages = max(1, (total + per_page - 1) // per_page)
    page = min(max(1, page), pages)
    cases = list(qs.order_by("-received_on", "-number")[(page - 1) * per_page: page * per_page])
    rows = [serialize_case(c, items, with_related=False) for c in cases]
    open_counts = dict(Case.objects.filter(pk__in=[c.pk for c in cases])
                       .annotate(n=Count("duplicate_candidates", filter=Q(duplicate_candidates__settlement=Settlement.OPEN)))
                       .values_list("pk", "n"))
    for row in rows:
        row["open_candidates"] = open_counts.get(row["id"], 0)
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.CASE_LIST, target=f"cases:{program.code}:p{page}",
                      residents=[c.resident_id for c in cases if c.resident_id], program=program.code,
                      purpose="申請一覧の表示", resident_count=len(cases))
    return CasePage(rows, total, page, pages)


def open_case(actor: Actor, case_id: int) -> tuple[Case, dict[str, Any], AccessPolicy]:
    """One case, serialized to the declared items; the view is written to the access log."""
    case = Case.objects.select_related("program", "resident", "assigned_to").get(pk=case_id)
    policy = policy_for(actor)
    require_action(actor, case.program.code, "view", policy=policy)
    data = serialize_case(case, visible_items(policy, case.program.code))
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.CASE_VIEW, target=f"case:{case.pk}",
                      residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                      purpose="申請の表示")
    return case, data, policy


@dataclass
class Board:
    counts: list[tuple[str, Any, int]]
    ageing: list[tuple[str, int]]
    per_operator: list[tuple[str, int, int]]
    open_candidates: int
    resent: int
    total: int
    assigned: list[tuple[str, int]] = field(default_factory=list)


def board(actor: Actor, program: Program, *, today: dt.date | None = None) -> Board:
    """Counts per state, ageing of open cases, work per operator (no personal data)."""
    qs = case_queryset(actor, program)
    today = today or timezone.localdate()
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    counts = [(value, label, by_status.get(value, 0)) for value, label in Status.choices]
    ageing = []
    open_qs = qs.filter(status__in=OPEN_STATUSES)
    for low, high, label in AGE_BUCKETS:
        start = today - dt.timedelta(days=high)
        end = today - dt.timedelta(days=low)
        ageing.append((label, open_qs.filter(received_on__gte=start, received_on__lte=end).count()))
    since = today - dt.timedelta(days=30)
    per_op = (CaseEvent.objects.filter(case__program=program, on__gte=since).values("actor")
              .annotate(n=Count("id"), cases=Count("case", distinct=True)).order_by("-n")[:20])
    names = dict(User.objects.filter(username__in=[row["actor"] for row in per_op])
                 .values_list("username", "display_name"))
    per_operator = [(names.get(row["actor"]) or row["actor"], row["n"], row["cases"]) for row in per_op]
    from madoguchi.casework.models import DuplicateCandidate, ResentResponse

    assigned = [(row["assigned_to__display_name"] or row["assigned_to__username"] or "", row["n"])
                for row in open_qs.values("assigned_to__display_name", "assigned_to__username")
                .annotate(n=Count("id")).order_by("-n")]
    return Board(counts, ageing, per_operator,
                 DuplicateCandidate.objects.filter(case__program=program, settlement=Settlement.OPEN).count(),
                 ResentResponse.objects.filter(case__program=program, settled=False).count(),
                 sum(by_status.values()), assigned)


def open_candidates(actor: Actor, program: Program, *, limit: int = 200) -> tuple[list[Any], int]:
    """Unsettled duplicate candidates (for those who settle them); the view is logged."""
    from madoguchi.casework.models import DuplicateCandidate

    require_action(actor, program.code, "duplicates")
    qs = DuplicateCandidate.objects.filter(case__program=program, settlement=Settlement.OPEN)
    rows = list(qs.select_related("case", "past_grantee", "other_case").order_by("-score", "id")[:limit])
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.CASE_LIST, target=f"candidates:{program.code}",
                      residents=[c.case.resident_id for c in rows if c.case.resident_id], program=program.code,
                      purpose="重複候補の一覧", resident_count=len(rows))
    return rows, qs.count()


def list_inquiries(actor: Actor, program: Program, *, limit: int = 100, case: Case | None = None,
                   resident_id: int | None = None, policy: AccessPolicy | None = None) -> list[Any]:
    """The latest inquiries of a program, or the history of one case or one resident (only when the
    inquiry item is declared); the view is logged."""
    from madoguchi.casework.models import Inquiry

    policy = policy or policy_for(actor)
    require_action(actor, program.code, "inquiry", policy=policy)
    if "inquiry" not in policy.items_for(program.code):
        return []
    qs = Inquiry.objects.filter(program=program)
    target = f"inquiries:{program.code}"
    if case is not None:
        qs, target = qs.filter(case=case), f"{target}:case:{case.pk}"
    if resident_id is not None:
        qs, target = qs.filter(resident_id=resident_id), f"{target}:resident:{resident_id}"
    rows = list(qs.select_related("case")[:limit])
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.CASE_LIST, target=target,
                      residents=sorted({r.resident_id for r in rows if r.resident_id}), program=program.code,
                      purpose="問合せ対応履歴の一覧", resident_count=len(rows))
    return rows


def find_resident_for_inquiry(actor: Actor, program: Program, resident_no: str) -> int | None:
    """The id of the program's participant with this 住民番号, if the actor may see them; the search is logged.
    None says only "not among those you may see" (never whether the resident exists)."""
    from madoguchi.register.policy import resident_queryset

    policy = policy_for(actor)
    require_action(actor, program.code, "inquiry", policy=policy)
    number = resident_no.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    found = resident_queryset(actor, program_code=program.code, policy=policy) \
        .filter(resident_no=number).values_list("pk", flat=True).first()
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.RESIDENT_SEARCH, target=f"inquiry-resident:{program.code}",
                      residents=[found] if found else [], program=program.code, purpose="問合せ対応の住民の特定",
                      resident_count=1 if found else 0)
    return found
