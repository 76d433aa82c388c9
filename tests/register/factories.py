"""A small, valid registration to break one rule at a time."""

from __future__ import annotations

import datetime as dt

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.defaults import ensure_templates
from madoguchi.register.models import (
    Certification,
    ChecklistAnswer,
    MeasureAnswer,
    Outsourcing,
    PersonScope,
    Program,
    RecordedItem,
    Revision,
)
from madoguchi.register.services.authoring import sync_answers
from tests.factories import OrganisationFactory, UserFactory

D = dt.date


def department():
    return OrganisationFactory(code="dept-reg", name="登録テスト課", kind=OrganisationKind.DEPARTMENT)


def role_users() -> dict[str, object]:
    """One user per role (plus another department's staff), for permission matrices."""
    other = OrganisationFactory(code="dept-other", name="他の課", kind=OrganisationKind.DEPARTMENT)
    privacy = OrganisationFactory(code="privacy-test", name="区政情報課", kind=OrganisationKind.PRIVACY_OFFICE)
    audit = OrganisationFactory(code="audit-reg", name="監査", kind=OrganisationKind.AUDIT)
    it = OrganisationFactory(code="it-reg", name="情報戦略課", kind=OrganisationKind.IT)
    contractor = OrganisationFactory(code="contractor-a", name="委託先A株式会社", kind=OrganisationKind.CONTRACTOR)
    sub = OrganisationFactory(code="sub-b", name="再委託先B株式会社", kind=OrganisationKind.SUBCONTRACTOR,
                              parent=contractor)
    stranger = OrganisationFactory(code="contractor-z", name="無関係な委託先", kind=OrganisationKind.CONTRACTOR)
    return {
        "owner": UserFactory(username="reg-owner", role=Role.DEPARTMENT_STAFF, organisation=department()),
        "other_department": UserFactory(username="reg-other", role=Role.DEPARTMENT_STAFF, organisation=other),
        "privacy_office": UserFactory(username="reg-privacy", role=Role.PRIVACY_OFFICE, organisation=privacy),
        "auditor": UserFactory(username="reg-auditor", role=Role.AUDITOR, organisation=audit),
        "administrator": UserFactory(username="reg-admin", role=Role.ADMINISTRATOR, organisation=it),
        "contractor": UserFactory(username="reg-contractor", role=Role.CONTRACTOR, organisation=contractor),
        "subcontractor": UserFactory(username="reg-sub", role=Role.SUBCONTRACTOR, organisation=sub),
        "other_contractor": UserFactory(username="reg-stranger", role=Role.CONTRACTOR, organisation=stranger),
    }


def valid_revision(*, code: str = "reg-test-program") -> Revision:
    """Program with one scope, a contractor and its sub-contractor, all checklist answers ○."""
    items = ensure_catalogue()
    ensure_templates()
    dept = department()
    contractor = OrganisationFactory(code="contractor-a", name="委託先A株式会社", kind=OrganisationKind.CONTRACTOR)
    sub = OrganisationFactory(code="sub-b", name="再委託先B株式会社", kind=OrganisationKind.SUBCONTRACTOR,
                              parent=contractor)
    program = Program.objects.create(code=code, name="登録テスト事業", department=dept)
    revision = Revision.objects.create(program=program, number=1, title="登録テスト事業について",
                                       start_date=D(2026, 4, 1), end_date=D(2027, 3, 31),
                                       has_computer_processing=True, has_outsourcing=True, legal_basis="要綱第3条")
    scope = PersonScope.objects.create(revision=revision, name="申請者", order=1)
    for key in ("name", "address", "phone", "bank_account"):
        RecordedItem.objects.create(scope=scope, item=items[key])
    cert = Certification.objects.create(organisation=contractor, name="プライバシーマーク", number="T-1",
                                        valid_from=D(2025, 1, 1), valid_until=D(2027, 12, 31))
    main = Outsourcing.objects.create(revision=revision, contractor=contractor, media=["paper"], tasks=["data_entry"],
                                      start_date=D(2026, 4, 1), end_date=D(2027, 3, 31), reason="専門性",
                                      task_description="入力")
    main.items.set([items["name"], items["address"], items["phone"], items["bank_account"]])
    main.certifications.set([cert])
    child = Outsourcing.objects.create(revision=revision, contractor=sub, parent=main, media=["paper"],
                                       tasks=["inquiries"], start_date=D(2026, 5, 1), end_date=D(2027, 3, 31),
                                       reason="問合せ", task_description="電話")
    child.items.set([items["name"], items["phone"]])
    sync_answers(revision)
    ChecklistAnswer.objects.filter(revision=revision).update(answer=MeasureAnswer.APPLIED)
    return revision
