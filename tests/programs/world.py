"""One program of each type, as the register would have it: approved revision in force, the person scope
each type fills, a printer declared for the cohort mailing; one user per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, OrganisationKind, Role, User
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import (
    Outsourcing,
    PersonScope,
    Program,
    ProgramType,
    RecordedItem,
    Revision,
    RevisionStatus,
)
from tests.factories import OrganisationFactory, ProgramFactory, RevisionFactory, UserFactory

CODES = {
    "application_subsidy": "subsidy-2026",
    "push_allowance": "allowance-2025",
    "cohort_mailing": "coming-of-age-2026",  # fiscal year 2026: born 2006-04-02 .. 2007-04-01
    "points_scheme": "points",
    "migration_check": "tax-migration",
}
SCOPES = {
    "application_subsidy": "補助金の申請者",
    "push_allowance": "手当の支給対象者",
    "cohort_mailing": "はたちのつどいの対象者",
    "points_scheme": "健康ポイント事業の参加者",
    "migration_check": "住民登録のある者",
}
ITEMS = ["resident_no", "name", "name_kana", "birth_date", "postal_code", "address"]


@dataclass
class World:
    dept: Organisation
    programs: dict[str, Program] = field(default_factory=dict)
    revisions: dict[str, Revision] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def actor(self, who: str) -> Actor:
        return Actor(user=self.users[who], address="127.0.0.1", channel="test")


def approve(program: Program, scope: str, number: int = 1) -> Revision:
    catalogue = ensure_catalogue()
    today = dt.date.today()
    rev = RevisionFactory(program=program, number=number, status=RevisionStatus.APPROVED,
                          start_date=today - dt.timedelta(days=100), end_date=today + dt.timedelta(days=300))
    s = PersonScope.objects.create(revision=rev, name=scope)
    for key in ITEMS:
        RecordedItem.objects.create(scope=s, item=catalogue[key])
    return rev


def build_world() -> World:
    dept = OrganisationFactory(code="dept-own", name="所管課", kind=OrganisationKind.DEPARTMENT)
    other = OrganisationFactory(code="dept-other", name="他の課", kind=OrganisationKind.DEPARTMENT)
    printer = OrganisationFactory(code="printer", name="印刷会社", kind=OrganisationKind.CONTRACTOR)
    privacy = OrganisationFactory(code="privacy", name="区政情報課", kind=OrganisationKind.PRIVACY_OFFICE)
    audit = OrganisationFactory(code="audit", name="監査", kind=OrganisationKind.AUDIT)
    it = OrganisationFactory(code="it", name="情報戦略課", kind=OrganisationKind.IT)
    w = World(dept=dept)
    for code in ProgramType.values:
        program = ProgramFactory(code=CODES[code], name=f"{ProgramType(code).label}の事業", department=dept,
                                 program_type=code)
        w.programs[code] = program
        w.revisions[code] = approve(program, SCOPES[code])
    today = dt.date.today()
    contract = Outsourcing.objects.create(revision=w.revisions["cohort_mailing"], contractor=printer,
                                          tasks=["printing", "enclosure"], media=["usb"],
                                          start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=10))
    contract.items.set([ensure_catalogue()[k] for k in ("name", "postal_code", "address")])
    for username, role, org in [("owner", Role.DEPARTMENT_STAFF, dept), ("other_department", Role.DEPARTMENT_STAFF, other),
                                ("contractor", Role.CONTRACTOR, printer), ("privacy", Role.PRIVACY_OFFICE, privacy),
                                ("auditor", Role.AUDITOR, audit), ("administrator", Role.ADMINISTRATOR, it)]:
        w.users[username] = UserFactory(username=username, role=role, organisation=org)
    return w
