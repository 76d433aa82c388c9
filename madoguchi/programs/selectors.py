"""The program page (one page per program, for every type): counts and recent work, cut by the policy.

:func:`program_page` needs a grant for the program (the owning department, or a contractor or
sub-contractor declared in the revision in force); anyone else is refused with :class:`AccessRefused`.
The owning department's staff also open it before the program is approved (to see its type and that
nobody can be enrolled yet).
What it returns holds no resident's data: counts by role and state, job rows (status and progress), batch
totals and ledger rows.  The owning department sees every section; a contractor sees the people and the
cases and inquiries its declaration lets it handle, not payments, hand-overs or enrolment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.casework.models import Case, Inquiry, NoticeJob, Status
from madoguchi.casework.services.access import may
from madoguchi.handover.models import LedgerEntry, PackageJob
from madoguchi.payments.models import BatchJob, PaymentBatch
from madoguchi.programs.registry import UnknownProgramType, spec_for
from madoguchi.programs.spec import ProgramTypeSpec, Screen
from madoguchi.register.models import Participation, Program
from madoguchi.register.policy import OWNER, policy_for
from madoguchi.register.services.scopes import declared_scopes

RECENT = 5
ACTIVE = {"queued", "running"}  # job statuses shared by the job rows: the page polls while one is in them


@dataclass
class ProgramPage:
    program: Program
    spec: ProgramTypeSpec | None
    type_error: str
    owner: bool
    scopes: list[str]
    people: list[tuple[str, int]]  # (role, count)
    people_total: int
    screens: list[Screen]
    cases: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, count)
    inquiries: dict[str, int] = field(default_factory=dict)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    jobs_active: bool = False
    batches: list[PaymentBatch] = field(default_factory=list)
    paid_total: int = 0
    ledger: list[LedgerEntry] = field(default_factory=list)
    ledger_total: int = 0


def _jobs(program: Program) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for job in NoticeJob.objects.filter(program=program).order_by("-pk")[:RECENT]:
        rows.append({"kind": "通知書の作成", "status": job.get_status_display(), "done": job.done,
                     "total": job.total, "at": job.created_at, "active": job.status in ACTIVE})
    for package in PackageJob.objects.filter(program=program).order_by("-pk")[:RECENT]:
        rows.append({"kind": "受渡データの作成", "status": package.get_status_display(),
                     "done": package.progress_done, "total": package.progress_total, "at": package.created_at,
                     "active": package.status in ACTIVE})
    for batch_job in BatchJob.objects.filter(program=program).order_by("-pk")[:RECENT]:
        rows.append({"kind": "支払バッチの作成", "status": batch_job.get_status_display(), "done": None,
                     "total": None, "at": batch_job.created_at, "active": batch_job.status in ACTIVE})
    return sorted(rows, key=lambda r: r["at"], reverse=True)[:RECENT * 2]


def program_page(actor: Actor, program: Program) -> ProgramPage:
    """The sections of the program page the actor may see.  Raises :class:`AccessRefused` without a grant."""
    policy = policy_for(actor)
    user = actor.user
    if (user is not None and user.role == Role.DEPARTMENT_STAFF and user.organisation_id == program.department_id
            and policy.grant_for(program.code) is None):
        owner = True  # the department's own program before approval (or after withdrawal): counts only
    else:
        owner = policy.require(program.code).kind == OWNER
    try:
        spec: ProgramTypeSpec | None = spec_for(program)
        type_error = ""
    except UnknownProgramType as exc:
        spec, type_error = None, str(exc)
    people = list(Participation.objects.filter(program=program).values("role").annotate(n=Count("id"))
                  .order_by("role").values_list("role", "n"))
    screens = [s for s in (spec.screens if spec else ()) if owner or not s.owner_only]
    page = ProgramPage(program=program, spec=spec, type_error=type_error, owner=owner,
                       scopes=declared_scopes(program), people=[(r or "（未設定）", n) for r, n in people],
                       people_total=sum(n for _r, n in people), screens=screens)
    if may(policy, program.code, "view"):
        by_status = dict(Case.objects.filter(program=program).values("status").annotate(n=Count("id"))
                         .values_list("status", "n"))
        page.cases = [(s.value, str(s.label), by_status[s.value]) for s in Status if s.value in by_status]
        inquiries = Inquiry.objects.filter(program=program)
        page.inquiries = {"total": inquiries.count(), "unanswered": inquiries.filter(answer="").count()}
    if owner:
        page.jobs = _jobs(program)
        page.jobs_active = any(j["active"] for j in page.jobs)
        batches = PaymentBatch.objects.filter(program=program)
        page.batches = list(batches.order_by("-pk")[:RECENT])
        page.paid_total = int(batches.aggregate(t=Sum("total_amount"))["t"] or 0)
        ledger = LedgerEntry.objects.filter(program=program)
        page.ledger_total = ledger.count()
        page.ledger = list(ledger.order_by("-handed_at", "-pk")[:RECENT])
    return page
