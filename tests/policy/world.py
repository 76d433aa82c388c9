"""A small register with one actor of every kind the access policy distinguishes.

Program ``p-owned`` (owner: dept-owner) — revision 1 superseded (declared ``old-contractor``), revision 2
approved (in force), revision 3 a draft (declares ``draft-contractor``):
- contractor-a: resident_no, name, name_kana, postal_code, address, bank_account, account_holder;
  tasks data_entry, printing; media electronic, cd_r; in period;
- callcenter-s (sub-contract of contractor-a): resident_no, name, name_kana; task inquiries; in period;
- expired-e: name, address; period ended yesterday.
Program ``p-withdrawn`` (owner: dept-owner): revision 1 approved, revision 2 withdrawn; declared withdrawn-x.
Program ``p-other`` (owner: dept-other): approved, no outsourcing.

Residents: ``in_owned`` takes part in p-owned; ``in_other`` in p-other; ``in_withdrawn`` in p-withdrawn;
``nobody`` in none.  The contractor role is bound to terminals (127.0.0.0/8 registered).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from madoguchi.accounts.models import Organisation, OrganisationKind, Role, RoleSetting, Terminal, User
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import (
    DecisionKind,
    Outsourcing,
    Participation,
    PersonScope,
    Program,
    RecordedItem,
    Revision,
    RevisionStatus,
)
from madoguchi.residents.models import Resident
from tests.factories import OrganisationFactory, ResidentFactory, UserFactory

RECORDED = ["resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address", "phone",
            "bank_account", "account_holder", "application_date"]
CONTRACTOR_ITEMS = ["resident_no", "name", "name_kana", "postal_code", "address", "bank_account",
                    "account_holder"]
SUB_ITEMS = ["resident_no", "name", "name_kana"]
EXPIRED_ITEMS = ["name", "address"]
OFF_TERMINAL = "203.0.113.9"


@dataclass
class World:
    today: dt.date
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    revisions: dict[str, Revision] = field(default_factory=dict)
    outsourcings: dict[str, Outsourcing] = field(default_factory=dict)
    residents: dict[str, Resident] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def make_revision(program: Program, number: int, status: str, items: list[str], **kw: Any) -> Revision:
    catalogue = ensure_catalogue()
    rev = Revision.objects.create(program=program, number=number, status=status, title=f"{program.name}第{number}版",
                                  start_date=dt.date(2026, 4, 1), end_date=dt.date(2027, 3, 31), **kw)
    scope = PersonScope.objects.create(revision=rev, name="申請者")
    RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=catalogue[k]) for k in items])
    return rev


def declare(revision: Revision, contractor: Organisation, items: list[str], *, start: dt.date, end: dt.date,
            tasks: list[str] | None = None, media: list[str] | None = None, parent: Outsourcing | None = None,
            hands_over_data: bool = True) -> Outsourcing:
    catalogue = ensure_catalogue()
    o = Outsourcing.objects.create(revision=revision, contractor=contractor, parent=parent,
                                   tasks=tasks or ["data_entry"], media=media or ["electronic"],
                                   start_date=start, end_date=end, hands_over_data=hands_over_data)
    o.items.set([catalogue[k] for k in items])
    return o


def build_world() -> World:
    today = timezone.localdate()
    w = World(today=today)
    before, after = today - dt.timedelta(days=100), today + dt.timedelta(days=100)
    K = OrganisationKind
    for code, kind, parent in [
        ("dept-owner", K.DEPARTMENT, None), ("dept-other", K.DEPARTMENT, None), ("dept-none", K.DEPARTMENT, None),
        ("privacy", K.PRIVACY_OFFICE, None), ("audit", K.AUDIT, None), ("it", K.IT, None),
        ("contractor-a", K.CONTRACTOR, None), ("callcenter-s", K.SUBCONTRACTOR, "contractor-a"),
        ("expired-e", K.CONTRACTOR, None), ("withdrawn-x", K.CONTRACTOR, None),
        ("old-contractor", K.CONTRACTOR, None), ("draft-contractor", K.CONTRACTOR, None),
        ("undeclared-u", K.CONTRACTOR, None),
    ]:
        w.orgs[code] = OrganisationFactory(code=code, name=f"{code}（テスト）", kind=kind,
                                           parent=w.orgs.get(parent) if parent else None)
    R = Role
    for username, role, org in [
        ("owner", R.DEPARTMENT_STAFF, "dept-owner"), ("other_dept", R.DEPARTMENT_STAFF, "dept-other"),
        ("no_program_dept", R.DEPARTMENT_STAFF, "dept-none"),
        ("contractor", R.CONTRACTOR, "contractor-a"), ("subcontractor", R.SUBCONTRACTOR, "callcenter-s"),
        ("expired", R.CONTRACTOR, "expired-e"), ("withdrawn", R.CONTRACTOR, "withdrawn-x"),
        ("superseded", R.CONTRACTOR, "old-contractor"), ("draft", R.CONTRACTOR, "draft-contractor"),
        ("undeclared", R.CONTRACTOR, "undeclared-u"),
        ("privacy", R.PRIVACY_OFFICE, "privacy"), ("auditor", R.AUDITOR, "audit"),
        ("administrator", R.ADMINISTRATOR, "it"),
    ]:
        w.users[username] = UserFactory(username=f"pol-{username}", role=role, organisation=w.orgs[org])

    owned = Program.objects.create(code="p-owned", name="防犯機器補助（テスト）", department=w.orgs["dept-owner"])
    withdrawn = Program.objects.create(code="p-withdrawn", name="廃止した事業（テスト）",
                                       department=w.orgs["dept-owner"])
    other = Program.objects.create(code="p-other", name="他課の事業（テスト）", department=w.orgs["dept-other"])
    w.programs.update({"owned": owned, "withdrawn": withdrawn, "other": other})

    r1 = make_revision(owned, 1, RevisionStatus.SUPERSEDED, RECORDED, decided_on=dt.date(2025, 5, 20),
                       meeting="令和7年度第2回", decision_kind=DecisionKind.APPROVAL)
    r2 = make_revision(owned, 2, RevisionStatus.APPROVED, RECORDED, based_on=r1, decided_on=dt.date(2026, 3, 19),
                       meeting="令和7年度第9回", decision_kind=DecisionKind.APPROVAL)
    r3 = make_revision(owned, 3, RevisionStatus.DRAFT, RECORDED, based_on=r2)
    w.revisions.update({"superseded": r1, "approved": r2, "draft": r3})
    w.outsourcings["old"] = declare(r1, w.orgs["old-contractor"], CONTRACTOR_ITEMS, start=before, end=after)
    a = declare(r2, w.orgs["contractor-a"], CONTRACTOR_ITEMS, start=before, end=after,
                tasks=["data_entry", "printing"], media=["electronic", "cd_r"])
    w.outsourcings["contract"] = a
    w.outsourcings["sub"] = declare(r2, w.orgs["callcenter-s"], SUB_ITEMS, start=before, end=after,
                                    tasks=["inquiries"], media=["electronic"], parent=a)
    w.outsourcings["expired"] = declare(r2, w.orgs["expired-e"], EXPIRED_ITEMS, start=before,
                                        end=today - dt.timedelta(days=1))
    w.outsourcings["draft"] = declare(r3, w.orgs["draft-contractor"], CONTRACTOR_ITEMS, start=before, end=after)

    wr1 = make_revision(withdrawn, 1, RevisionStatus.APPROVED, RECORDED, decided_on=dt.date(2024, 5, 1),
                        meeting="令和6年度第1回", decision_kind=DecisionKind.APPROVAL)
    make_revision(withdrawn, 2, RevisionStatus.WITHDRAWN, RECORDED, based_on=wr1, decided_on=dt.date(2026, 6, 1),
                  meeting="令和8年度第3回", decision_kind=DecisionKind.REPORT)
    w.outsourcings["withdrawn"] = declare(wr1, w.orgs["withdrawn-x"], CONTRACTOR_ITEMS, start=before, end=after)
    w.revisions["other"] = make_revision(other, 1, RevisionStatus.APPROVED, ["resident_no", "name", "address"],
                                         decided_on=dt.date(2026, 2, 1), meeting="令和7年度第8回",
                                         decision_kind=DecisionKind.ACKNOWLEDGED)

    for key in ["in_owned", "in_other", "in_withdrawn", "nobody"]:
        w.residents[key] = ResidentFactory(birth_date=dt.date(1980, 1, 2))
    Participation.objects.create(program=owned, resident=w.residents["in_owned"])
    Participation.objects.create(program=other, resident=w.residents["in_other"])
    Participation.objects.create(program=withdrawn, resident=w.residents["in_withdrawn"])

    RoleSetting.objects.update_or_create(role=Role.CONTRACTOR, defaults={"terminal_bound": True})
    for org in w.orgs.values():
        if org.kind == K.CONTRACTOR:
            Terminal.objects.create(name=f"{org.code} の専用端末", organisation=org, network="127.0.0.0/8",
                                    roles=[Role.CONTRACTOR])
    return w
