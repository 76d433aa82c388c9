"""A small register for the residents tests: one department program (approved) with every master item,
a contractor declared for name/kana/number only, and helpers to build CSV files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Organisation, OrganisationKind, Role, User
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import Outsourcing, Participation, PersonScope, Program, RecordedItem, Revision
from madoguchi.register.models import RevisionStatus as RS
from madoguchi.residents.models import Resident
from tests.factories import OrganisationFactory, ResidentFactory, UserFactory

MASTER = ["resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address", "address_extra",
          "household_no", "relation"]
CONTRACTOR_ITEMS = ["resident_no", "name", "name_kana"]

HEADER = "住民番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所,方書,世帯番号,続柄,住民日,状態"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


@dataclass
class Register:
    program: Program
    revision: Revision
    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)

    def enrol(self, *residents: Resident) -> None:
        Participation.objects.bulk_create([Participation(program=self.program, resident=r) for r in residents],
                                          ignore_conflicts=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Argon2 takes most of a second per user on the shared machine; these tests do not test hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    """Uploads waiting for their import job go under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register(db) -> Register:
    return build_register()


@pytest.fixture
def people(register: Register) -> dict[str, Resident]:
    return build_people(register)


def build_register() -> Register:
    catalogue = ensure_catalogue()
    today = timezone.localdate()
    K, R = OrganisationKind, Role
    orgs = {
        "dept": OrganisationFactory(code="res-dept", name="住民テスト課", kind=K.DEPARTMENT),
        "dept_other": OrganisationFactory(code="res-dept-other", name="他の課", kind=K.DEPARTMENT),
        "contractor": OrganisationFactory(code="res-contractor", name="委託先テスト", kind=K.CONTRACTOR),
        "undeclared": OrganisationFactory(code="res-undeclared", name="宣言のない委託先", kind=K.CONTRACTOR),
        "privacy": OrganisationFactory(code="res-privacy", name="保護担当", kind=K.PRIVACY_OFFICE),
        "audit": OrganisationFactory(code="res-audit", name="監査", kind=K.AUDIT),
        "it": OrganisationFactory(code="res-it", name="情報システム", kind=K.IT),
    }
    program = Program.objects.create(code="res-program", name="住民テスト事業", department=orgs["dept"])
    revision = Revision.objects.create(program=program, number=1, status=RS.APPROVED, title="住民テスト事業",
                                       start_date=dt.date(2026, 4, 1), end_date=dt.date(2027, 3, 31),
                                       decided_on=dt.date(2026, 3, 19))
    scope = PersonScope.objects.create(revision=revision, name="対象者")
    RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=catalogue[k]) for k in MASTER])
    outsourcing = Outsourcing.objects.create(revision=revision, contractor=orgs["contractor"], tasks=["data_entry"],
                                             media=["electronic"], start_date=today - dt.timedelta(days=30),
                                             end_date=today + dt.timedelta(days=30))
    outsourcing.items.set([catalogue[k] for k in CONTRACTOR_ITEMS])
    users = {
        "staff": UserFactory(username="res-staff", role=R.DEPARTMENT_STAFF, organisation=orgs["dept"]),
        "other_staff": UserFactory(username="res-other-staff", role=R.DEPARTMENT_STAFF,
                                   organisation=orgs["dept_other"]),
        "contractor": UserFactory(username="res-contractor", role=R.CONTRACTOR, organisation=orgs["contractor"]),
        "undeclared": UserFactory(username="res-undeclared", role=R.CONTRACTOR, organisation=orgs["undeclared"]),
        "privacy": UserFactory(username="res-privacy", role=R.PRIVACY_OFFICE, organisation=orgs["privacy"]),
        "auditor": UserFactory(username="res-auditor", role=R.AUDITOR, organisation=orgs["audit"]),
        "administrator": UserFactory(username="res-admin", role=R.ADMINISTRATOR, organisation=orgs["it"]),
    }
    return Register(program, revision, users, orgs)


def build_people(register: Register) -> dict[str, Resident]:
    """A household at 西新宿二丁目8番1号 with register-like spellings, and two others."""
    make = ResidentFactory
    found = {
        "head": make(resident_no="100000001", name="髙橋　一郎", name_kana="タカハシ　イチロウ",
                     birth_date=dt.date(1975, 1, 2), sex="男", address="東京都新宿区西新宿二丁目8番1号",
                     address_extra="新宿ハイツ101号室", household_no="H001", relation="世帯主"),
        "spouse": make(resident_no="100000002", name="髙橋　花子", name_kana="タカハシ　ハナコ",
                       birth_date=dt.date(1978, 5, 6), sex="女", address="東京都新宿区西新宿二丁目8番1号",
                       address_extra="新宿ハイツ101号室", household_no="H001", relation="妻"),
        "child": make(resident_no="100000003", name="髙橋　翔", name_kana="タカハシ　ショウ",
                      birth_date=dt.date(2019, 5, 1), sex="男", address="東京都新宿区西新宿二丁目8番1号",
                      address_extra="新宿ハイツ101号室", household_no="H001", relation="子"),
        "watanabe": make(resident_no="100000004", name="渡邉　齋", name_kana="ワタナベ　イツキ",
                         birth_date=dt.date(1950, 12, 31), address="東京都新宿区百人町三丁目12番5号",
                         household_no="H002", relation="世帯主"),
        "yoshida": make(resident_no="100000005", name="𠮷田　﨑子", name_kana="ヨシダ　サキコ",
                        birth_date=dt.date(1990, 7, 7), address="東京都新宿区高田馬場一丁目2番3号",
                        household_no="H003", relation="世帯主"),
        "outside": make(resident_no="100000006", name="髙橋　外", name_kana="タカハシ　ソト",
                        birth_date=dt.date(1975, 1, 2), address="東京都新宿区西新宿二丁目8番1号",
                        household_no="H001", relation="子"),
    }
    register.enrol(*[r for k, r in found.items() if k != "outside"])  # "outside" takes part in no program
    return found
