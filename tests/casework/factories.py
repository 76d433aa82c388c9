"""The crime-prevention subsidy set up as the register would have it: approved revision, contractor and
call-center declarations, one user per role, the subsidy rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import OrganisationKind, Role, User
from madoguchi.casework.models import Case, PurchaseLine, Status
from madoguchi.core.text import address_key, household_key, kana_key, name_key
from madoguchi.programs.models import SubsidyRule
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import Outsourcing, PersonScope, Program, RecordedItem, RevisionStatus
from tests.factories import OrganisationFactory, ProgramFactory, RevisionFactory, UserFactory

CODE = "crime-prevention-subsidy-2026"
APPLICANT_ITEMS = ["name", "name_kana", "birth_date", "postal_code", "address", "phone", "email",
                   "household_head", "purchase", "application_amount", "bank_account", "account_holder",
                   "pledges", "case_progress", "application_date", "payment_amount", "notice_no", "inquiry"]
CONTRACT_ITEMS = [*APPLICANT_ITEMS, "past_grant"]
CALLCENTER_ITEMS = [i for i in CONTRACT_ITEMS if i not in ("bank_account", "account_holder", "past_grant")]


@dataclass
class Setup:
    program: Program
    rule: SubsidyRule
    staff: User
    contractor: User
    callcenter: User
    other_staff: User
    privacy: User
    auditor: User
    admin: User

    def actor(self, user: User | None) -> Actor:
        return Actor(user=user, address="127.0.0.1", channel="test")


def make_setup(*, today: dt.date | None = None) -> Setup:
    today = today or dt.date.today()
    catalogue = ensure_catalogue()
    dept = OrganisationFactory(code="dept-crisis", name="危機管理課", kind=OrganisationKind.DEPARTMENT)
    other_dept = OrganisationFactory(code="dept-tax", name="税務課", kind=OrganisationKind.DEPARTMENT)
    saison = OrganisationFactory(code="saison-personal-plus", name="委託先", kind=OrganisationKind.CONTRACTOR)
    cc = OrganisationFactory(code="callcenter-demo", name="コールセンター", kind=OrganisationKind.SUBCONTRACTOR,
                             parent=saison)
    privacy_org = OrganisationFactory(code="privacy-office", name="区政情報課", kind=OrganisationKind.PRIVACY_OFFICE)
    audit_org = OrganisationFactory(code="audit-office", name="監査", kind=OrganisationKind.AUDIT)
    it_org = OrganisationFactory(code="it-strategy", name="情報戦略課", kind=OrganisationKind.IT)
    program = ProgramFactory(code=CODE, name="防犯機器等購入緊急補助事業", department=dept,
                             program_type="application_subsidy")
    rev = RevisionFactory(program=program, status=RevisionStatus.APPROVED,
                          start_date=today - dt.timedelta(days=200), end_date=today + dt.timedelta(days=200))
    scope = PersonScope.objects.create(revision=rev, name="申請者")
    for key in CONTRACT_ITEMS:
        RecordedItem.objects.create(scope=scope, item=catalogue[key])
    # seed 000 v2 declares the past grantees as a person scope (v1 did not: import_past_grantees refuses then)
    past = PersonScope.objects.create(revision=rev, name="過去の交付決定者", order=1)
    for key in ("name", "address"):
        RecordedItem.objects.create(scope=past, item=catalogue[key])
    contract = Outsourcing.objects.create(
        revision=rev, contractor=saison, tasks=["data_entry", "review_support", "notices", "printing", "inquiries"],
        media=["contractor_server"], start_date=today - dt.timedelta(days=100), end_date=today + dt.timedelta(days=100))
    contract.items.set([catalogue[k] for k in CONTRACT_ITEMS])
    sub = Outsourcing.objects.create(
        revision=rev, parent=contract, contractor=cc, tasks=["inquiries"], media=["contractor_server"],
        start_date=today - dt.timedelta(days=100), end_date=today + dt.timedelta(days=100))
    sub.items.set([catalogue[k] for k in CALLCENTER_ITEMS])
    rule = SubsidyRule.objects.create(program=program, period_start=today - dt.timedelta(days=60),
                                      period_end=today + dt.timedelta(days=60),
                                      required_attachments=["領収書", "設置写真"],
                                      pledges=["暴力団員でないこと", "記載内容が事実であること"])
    return Setup(
        program=program, rule=rule,
        staff=UserFactory(username="tanto", role=Role.DEPARTMENT_STAFF, organisation=dept),
        contractor=UserFactory(username="itaku", role=Role.CONTRACTOR, organisation=saison),
        callcenter=UserFactory(username="callcenter", role=Role.SUBCONTRACTOR, organisation=cc),
        other_staff=UserFactory(username="tanto-tax", role=Role.DEPARTMENT_STAFF, organisation=other_dept),
        privacy=UserFactory(username="hogo", role=Role.PRIVACY_OFFICE, organisation=privacy_org),
        auditor=UserFactory(username="kansa", role=Role.AUDITOR, organisation=audit_org),
        admin=UserFactory(username="kanri", role=Role.ADMINISTRATOR, organisation=it_org),
    )


def make_case(program: Program, *, name: str = "山田　太郎", address: str = "東京都新宿区西新宿二丁目8番1号",
              status: str = Status.RECEIVED, cost: int = 30000, number: str | None = None, **kw: object) -> Case:
    today = dt.date.today()
    fields: dict[str, object] = {
        "name_kana": "ヤマダ　タロウ", "birth_date": dt.date(1970, 4, 1), "postal_code": "160-0023",
        "phone": "03-0000-0000", "email": "taro@example.jp", "application_amount": 15000,
        "bank_name": "三井住友", "bank_code": "0009", "branch_name": "神保町", "branch_code": "001",
        "account_type": "1", "account_number": "1234567", "account_holder": name,
        "account_holder_kana": "ヤマダ タロウ", "application_date": today, "received_on": today,
        "pledges": {"暴力団員でないこと": True, "記載内容が事実であること": True},
        "attachments": ["領収書", "設置写真"],
    }
    fields.update(kw)
    n = number or f"{Case.objects.filter(program=program).count() + 1:06d}"
    case = Case.objects.create(
        program=program, number=n, status=status, status_changed_at=dt.datetime.now(dt.UTC), name=name,
        address=address, name_key=name_key(name), kana_key=kana_key(str(fields["name_kana"])),
        address_key=address_key(address), household_key="addr:" + household_key(address), **fields)
    PurchaseLine.objects.create(case=case, item="防犯カメラ", purchase_date=today, shop="新宿電機", cost=cost)
    return case
