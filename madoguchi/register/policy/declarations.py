"""The policy page's reads: what each contractor organisation may see and do, and which approval grants it.

Everything is derived from the revisions in force (:func:`effective_revisions`), the same source as the
grants, so the page cannot say something the enforcement does not do.

Who sees which organisations: contractors and sub-contractors their own; department staff those declared in
their department's programs (and only those programs' declarations); the privacy office, auditors and
administrators all (the page holds no residents' data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, OrganisationKind, Role
from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import DataItem, Medium, Outsourcing, RecordedItem, Task
from madoguchi.register.policy.grants import effective_revisions

READ_ALL = frozenset({Role.PRIVACY_OFFICE, Role.AUDITOR, Role.ADMINISTRATOR})
ACTIVE, NOT_STARTED, ENDED = "active", "not_started", "ended"


@dataclass(frozen=True)
class ItemView:
    key: str
    name: str
    category: str


@dataclass
class Declaration:
    """One outsourcing in force, as the policy page shows it."""

    outsourcing_id: int
    organisation: Organisation
    program_code: str
    program_name: str
    department: str
    revision_number: int
    revision_title: str
    decided_on: dt.date | None
    meeting: str
    decision_kind: str
    kind_label: str  # 委託 / 再委託
    parent_name: str
    items: list[ItemView]
    withheld: list[ItemView]  # recorded by the program, not declared for this organisation
    tasks: list[str]
    media: list[str]
    task_description: str
    start: dt.date
    end: dt.date
    status: str
    hands_over_data: bool
    subcontractors: list[str] = field(default_factory=list)


@dataclass
class OrganisationPolicy:
    organisation: Organisation
    declarations: list[Declaration]

    @property
    def active(self) -> list[Declaration]:
        return [d for d in self.declarations if d.status == ACTIVE]


def _scope(actor: Actor) -> QuerySet[Outsourcing]:
    """Outsourcings in force the actor may read on the policy page."""
    user = actor.user
    qs = Outsourcing.objects.filter(revision__in=effective_revisions())
    if user is None or not user.is_active:
        return qs.none()
    if user.role in READ_ALL:
        return qs
    if user.role == Role.DEPARTMENT_STAFF and user.organisation_id:
        return qs.filter(revision__program__department_id=user.organisation_id)
    if user.role in (Role.CONTRACTOR, Role.SUBCONTRACTOR) and user.organisation_id:
        return qs.filter(contractor_id=user.organisation_id)
    return qs.none()


def _status(start: dt.date, end: dt.date, today: dt.date) -> str:
    if today < start:
        return NOT_STARTED
    return ACTIVE if today <= end else ENDED


def _declarations(qs: QuerySet[Outsourcing], today: dt.date) -> list[Declaration]:
    rows = list(qs.select_related("contractor", "parent__contractor", "revision__program__department")
                .defer("revision__snapshot").prefetch_related("items", "parent__items", "subcontracts__contractor")
                .order_by("contractor__name", "revision__program__code", "id"))
    recorded: dict[int, list[DataItem]] = {}
    revision_ids = {o.revision_id for o in rows}
    for ri in RecordedItem.objects.filter(scope__revision_id__in=revision_ids).select_related("item", "scope"):
        items = recorded.setdefault(ri.scope.revision_id, [])
        if ri.item not in items:
            items.append(ri.item)
    out: list[Declaration] = []
    for o in rows:
        declared = {i.key: i for i in o.items.all()}
        start, end = o.start_date, o.end_date
        if o.parent is not None:
            parent_keys = {i.key for i in o.parent.items.all()}
            declared = {k: v for k, v in declared.items() if k in parent_keys}
            start, end = max(start, o.parent.start_date), min(end, o.parent.end_date)
        ordered = sorted(declared.values(), key=lambda i: (i.order, i.key))
        withheld = sorted((i for i in recorded.get(o.revision_id, []) if i.key not in declared),
                          key=lambda i: (i.order, i.key))
        rev = o.revision
        out.append(Declaration(
            outsourcing_id=o.pk, organisation=o.contractor, program_code=rev.program.code,
            program_name=rev.program.name, department=rev.program.department.name,
            revision_number=rev.number, revision_title=rev.title, decided_on=rev.decided_on,
            meeting=rev.meeting, decision_kind=rev.get_decision_kind_display() if rev.decision_kind else "",
            kind_label="再委託" if o.parent_id else "委託",
            parent_name=o.parent.contractor.name if o.parent is not None else "",
            items=[ItemView(i.key, i.name, i.get_category_display()) for i in ordered],
            withheld=[ItemView(i.key, i.name, i.get_category_display()) for i in withheld],
            tasks=[str(Task(t).label) if t in Task.values else t for t in (o.tasks or [])],
            media=[str(Medium(m).label) if m in Medium.values else m for m in (o.media or [])],
            task_description=o.task_description, start=start, end=end, status=_status(start, end, today),
            hands_over_data=o.hands_over_data,
            subcontractors=[s.contractor.name for s in o.subcontracts.all() if s.revision_id == o.revision_id],
        ))
    return out


def organisations_visible_to(actor: Actor) -> list[Organisation]:
    """Contractor organisations whose policy the actor may read (those with a declaration in force)."""
    ids = _scope(actor).values("contractor_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("kind", "name"))


def policy_summaries(actor: Actor, *, on: dt.date | None = None) -> list[OrganisationPolicy]:
    """Every organisation the actor may read, with its declarations in force (for the list page)."""
    today = on or timezone.localdate()
    by_org: dict[int, OrganisationPolicy] = {}
    for d in _declarations(_scope(actor), today):
        by_org.setdefault(d.organisation.pk, OrganisationPolicy(d.organisation, [])).declarations.append(d)
    return sorted(by_org.values(), key=lambda p: (p.organisation.kind != OrganisationKind.CONTRACTOR,
                                                   p.organisation.name))


def organisation_policy(actor: Actor, code: str, *, on: dt.date | None = None) -> OrganisationPolicy:
    """One organisation's declarations in force, as far as the actor may read them; refuses otherwise."""
    today = on or timezone.localdate()
    org = Organisation.objects.filter(code=code).first()
    qs = _scope(actor).filter(contractor__code=code)
    declarations = _declarations(qs, today) if org is not None else []
    if org is None or not declarations:
        raise AccessRefused("この組織のアクセス方針を閲覧する権限がないか、承認された登録に記載がありません。",
                            target=f"policy:{code}"[:200])
    return OrganisationPolicy(org, declarations)
