"""A small register for hand-over tests.

- ``coming-of-age-2026`` (総務課, cohort mailing): kyokudo declared for printing/enclosure on USB with
  name, postal code and address; in period today.  Retention: 1 year after 2027-03-31 (not due).
- ``child-support`` (児童育成担当課): densan declared for enclosure on CD-R with name and address; the
  program ended 2024-03-31 with 1 year of retention (due); participants are some residents.
- ``health-points`` (健康づくり課): erase on a participant's withdrawal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, OrganisationKind, Role, User
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import (
    Outsourcing,
    Participation,
    PersonScope,
    Program,
    RecordedItem,
    Revision,
    RevisionStatus,
)
from madoguchi.residents.models import Resident, ResidentStatus
from tests.factories import OrganisationFactory, ResidentFactory, UserFactory

COHORT_ITEMS = ["name", "postal_code", "address"]
ROLES = ["anonymous", "owner", "owner2", "other_department", "privacy", "contractor", "auditor", "administrator"]


@dataclass
class HandoverWorld:
    today: dt.date
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    outsourcings: dict[str, Outsourcing] = field(default_factory=dict)
    residents: dict[str, Resident] = field(default_factory=dict)

    def actor(self, name: str) -> Actor:
        return Actor(user=self.users.get(name), address="127.0.0.1", channel="test")


def approved_revision(program: Program, items: list[str], **kw: Any) -> Revision:
    catalogue = ensure_catalogue()
    defaults: dict[str, Any] = {"start_date": dt.date(2026, 4, 1), "end_date": dt.date(2027, 3, 31)}
    defaults.update(kw)
    rev = Revision.objects.create(program=program, number=1, status=RevisionStatus.APPROVED,
                                  title=f"{program.name}について", decided_on=dt.date(2026, 4, 1), **defaults)
    scope = PersonScope.objects.create(revision=rev, name="対象者")
    RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=catalogue[k]) for k in items])
    return rev


def declare(revision: Revision, contractor: Organisation, items: list[str], *, tasks: list[str],
            media: list[str], start: dt.date, end: dt.date) -> Outsourcing:
    catalogue = ensure_catalogue()
    o = Outsourcing.objects.create(revision=revision, contractor=contractor, tasks=tasks, media=media,
                                   start_date=start, end_date=end)
    o.items.set([catalogue[k] for k in items])
    return o


def cohort_resident(birth: dt.date, **kw: Any) -> Resident:
    return ResidentFactory(birth_date=birth, status=kw.pop("status", ResidentStatus.REGISTERED), **kw)


def build_world(*, cohort: int = 5) -> HandoverWorld:
    today = timezone.localdate()
    w = HandoverWorld(today)
    K = OrganisationKind
    for code, name, kind in [
        ("dept-general", "総務部総務課", K.DEPARTMENT), ("dept-child", "子ども家庭部児童育成担当課", K.DEPARTMENT),
        ("dept-health", "健康部健康づくり課", K.DEPARTMENT), ("privacy-office", "区政情報課", K.PRIVACY_OFFICE),
        ("kyokudo", "株式会社旭堂", K.CONTRACTOR), ("densan", "株式会社電算", K.CONTRACTOR),
        ("other-printer", "（架空）未登録印刷株式会社", K.CONTRACTOR), ("audit-office", "監査事務局", K.AUDIT),
        ("it-strategy", "情報戦略課", K.IT),
    ]:
        w.orgs[code] = OrganisationFactory(code=code, name=name, kind=kind)
    for username, role, org in [
        ("owner", Role.DEPARTMENT_STAFF, "dept-general"), ("owner2", Role.DEPARTMENT_STAFF, "dept-general"),
        ("child", Role.DEPARTMENT_STAFF, "dept-child"), ("child2", Role.DEPARTMENT_STAFF, "dept-child"),
        ("health", Role.DEPARTMENT_STAFF, "dept-health"),
        ("other_department", Role.DEPARTMENT_STAFF, "dept-health"), ("privacy", Role.PRIVACY_OFFICE, "privacy-office"),
        ("contractor", Role.CONTRACTOR, "kyokudo"), ("auditor", Role.AUDITOR, "audit-office"),
        ("administrator", Role.ADMINISTRATOR, "it-strategy"),
    ]:
        w.users[username] = UserFactory(username=username, role=role, organisation=w.orgs[org])

    coming = Program.objects.create(code="coming-of-age-2026", name="はたちのつどい案内状（令和8年度）",
                                    department=w.orgs["dept-general"], program_type="cohort_mailing")
    rev = approved_revision(coming, ["resident_no", "name", "postal_code", "address", "birth_date"],
                            retention_years=1)
    w.outsourcings["kyokudo"] = declare(rev, w.orgs["kyokudo"], COHORT_ITEMS, tasks=["printing", "enclosure"],
                                        media=["usb"], start=today - dt.timedelta(days=30),
                                        end=today + dt.timedelta(days=40))
    w.programs["coming"] = coming

    child = Program.objects.create(code="child-support", name="子育て応援手当",
                                   department=w.orgs["dept-child"], program_type="push_allowance")
    rev = approved_revision(child, ["resident_no", "name", "address", "postal_code"], start_date=dt.date(2023, 4, 1),
                            end_date=dt.date(2024, 3, 31), retention_years=1)
    w.outsourcings["densan"] = declare(rev, w.orgs["densan"], ["name", "address"], tasks=["enclosure"],
                                       media=["cd_r"], start=today - dt.timedelta(days=10),
                                       end=today + dt.timedelta(days=10))
    w.programs["child"] = child

    health = Program.objects.create(code="health-points", name="健康ポイント",
                                    department=w.orgs["dept-health"], program_type="points_scheme")
    approved_revision(health, ["name", "address"], erase_on_withdrawal=True)
    w.programs["health"] = health

    # The cohort of January 2027: born 2006-04-02 .. 2007-04-01, 住登.
    w.residents["first_day"] = cohort_resident(dt.date(2006, 4, 2))
    w.residents["last_day"] = cohort_resident(dt.date(2007, 4, 1))
    for n in range(max(0, cohort - 2)):
        w.residents[f"cohort{n}"] = cohort_resident(dt.date(2006, 6, 1) + dt.timedelta(days=30 * n))
    w.residents["too_old"] = cohort_resident(dt.date(2006, 4, 1))
    w.residents["too_young"] = cohort_resident(dt.date(2007, 4, 2))
    w.residents["moved_out"] = cohort_resident(dt.date(2006, 9, 9), status=ResidentStatus.MOVED_OUT)
    # Participants of child-support and health-points.
    for n in range(3):
        r = ResidentFactory(birth_date=dt.date(1985, 5, 5))
        w.residents[f"child{n}"] = r
        Participation.objects.create(program=child, resident=r, role="受給者")
    for n in range(2):
        r = ResidentFactory(birth_date=dt.date(1985, 5, 5))
        w.residents[f"health{n}"] = r
        Participation.objects.create(program=health, resident=r, role="参加者")
    return w


COHORT_KEYS = {"first_day", "last_day"} | {f"cohort{n}" for n in range(10)}
