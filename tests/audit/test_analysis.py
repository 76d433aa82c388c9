from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services.analysis import analyse_audit_log, analyse_period, is_office_hours
from madoguchi.audit.services.verify import verify_chain
from madoguchi.core import contracts
from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import Outsourcing, RevisionStatus
from tests.audit.helpers import jst, log_at
from tests.factories import OrganisationFactory, ProgramFactory, RevisionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.fixture
def contractor(db):
    org = OrganisationFactory(code="itaku-test", kind=OrganisationKind.CONTRACTOR)
    sub = OrganisationFactory(code="sub-test", kind=OrganisationKind.SUBCONTRACTOR, parent=org)
    program = ProgramFactory(code="prog-a")
    revision = RevisionFactory(program=program, status=RevisionStatus.APPROVED)
    parent = Outsourcing.objects.create(revision=revision, contractor=org, start_date=dt.date(2026, 11, 1),
                                        end_date=dt.date(2026, 11, 15))
    Outsourcing.objects.create(revision=revision, contractor=sub, parent=parent,
                               start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 10))
    return (UserFactory(username="itaku-u", role=Role.CONTRACTOR, organisation=org),
            UserFactory(username="sub-u", role=Role.SUBCONTRACTOR, organisation=sub))


@pytest.mark.parametrize(("moment", "inside"), [
    (jst(2026, 11, 20, 10, 0), True),     # Friday
    (jst(2026, 11, 20, 7, 59), False),    # before opening
    (jst(2026, 11, 20, 20, 0), False),    # closing hour
    (jst(2026, 11, 21, 10, 0), False),    # Saturday
    (jst(2026, 11, 23, 10, 0), False),    # 勤労感謝の日
    (jst(2026, 12, 29, 10, 0), False),    # year-end closure (a Tuesday)
    (dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC), True),  # 10:00 in Tokyo
    (dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC), False),  # 21:00 in Tokyo
])
def test_office_hours_are_tokyo_business_hours(moment, inside):
    assert is_office_hours(moment) is inside


def test_after_hours_access_is_found(staff_user, actor_for):
    actor = actor_for(staff_user)
    day = log_at(jst(2026, 11, 20, 10, 0), actor, residents=[1])
    night = log_at(jst(2026, 11, 20, 22, 30), actor, residents=[1, 2])
    weekend = log_at(jst(2026, 11, 21, 9, 0), actor, AuditEvent.RESIDENT_SEARCH, residents=[3])
    log_at(jst(2026, 11, 21, 9, 0), actor_for(None), AuditEvent.LOGIN_FAILED, allowed=False)
    found = analyse_period(*NOV).section("after_hours")
    assert [f.row_id for f in found.findings] == [night.id, weekend.id]
    assert day.id not in [f.row_id for f in found.findings]
    first = found.findings[0]
    assert (first.username, first.organisation, first.action, first.residents) == (
        "staff", "dept-test", "resident.view", 2)
    assert first.at.hour == 22  # shown in Tokyo time


def test_period_is_inclusive_in_tokyo_time(staff_user, actor_for):
    actor = actor_for(staff_user)
    inside = log_at(jst(2026, 11, 30, 23, 59), actor, residents=[1])
    log_at(jst(2026, 12, 1, 0, 0), actor, residents=[1])
    log_at(jst(2026, 10, 31, 23, 59), actor, residents=[1])
    report = analyse_period(*NOV)
    assert report.rows_scanned == 1
    assert [f.row_id for f in report.section("after_hours").findings] == [inside.id]


def test_bulk_access_per_action_and_per_user_per_day(staff_user, actor_for, settings):
    settings.AUDIT_BULK_THRESHOLD = 3
    actor = actor_for(staff_user)
    big = log_at(jst(2026, 11, 20, 10, 0), actor, AuditEvent.RESIDENT_EXPORT, residents=[1, 2, 3, 4])
    log_at(jst(2026, 11, 20, 10, 0), actor, residents=[1, 2, 3])  # equal to the threshold: not bulk
    log_at(jst(2026, 11, 19, 10, 0), actor, residents=[1, 2])
    log_at(jst(2026, 11, 19, 11, 0), actor, residents=[3])
    report = analyse_period(*NOV)
    assert [(f.row_id, f.residents) for f in report.section("bulk_action").findings] == [(big.id, 4)]
    daily = report.section("bulk_daily").findings
    assert [(f.at, f.username, f.residents, f.action) for f in daily] == [
        (dt.date(2026, 11, 20), "staff", 7, "2件の操作")]
    # the threshold can be given explicitly
    assert analyse_period(*NOV, threshold=1).section("bulk_daily").total == 2


def test_denied_and_break_glass_are_found(staff_user, actor_for):
    actor = actor_for(staff_user)
    denied = log_at(jst(2026, 11, 20, 10, 0), actor, AuditEvent.ACCESS_DENIED, allowed=False, reason="権限なし",
                    program="prog-x")
    glass = log_at(jst(2026, 11, 20, 11, 0), actor, AuditEvent.BREAK_GLASS, residents=[5], break_glass=True,
                   reason="災害時の安否確認")
    report = analyse_period(*NOV)
    assert [(f.row_id, f.detail, f.program) for f in report.section("denied").findings] == [
        (denied.id, "権限なし", "prog-x")]
    assert [(f.row_id, f.detail) for f in report.section("break_glass").findings] == [(glass.id, "災害時の安否確認")]


def test_access_after_the_contract_ended_is_found(contractor, actor_for):
    itaku, sub = contractor
    inside = log_at(jst(2026, 11, 10, 10, 0), actor_for(itaku), residents=[1], program="prog-a")
    after = log_at(jst(2026, 11, 16, 10, 0), actor_for(itaku), residents=[1], program="prog-a")
    sub_inside = log_at(jst(2026, 11, 10, 11, 0), actor_for(sub), residents=[1])
    sub_after = log_at(jst(2026, 11, 11, 10, 0), actor_for(sub), AuditEvent.LOGIN)
    report = analyse_period(*NOV)
    assert report.contracts_checked
    ids = [f.row_id for f in report.section("contract_ended").findings]
    assert ids == [after.id, sub_after.id]
    assert inside.id not in ids and sub_inside.id not in ids


def test_contract_of_a_revision_not_approved_does_not_count(contractor, actor_for):
    itaku, _sub = contractor
    Outsourcing.objects.update(revision=RevisionFactory(program=ProgramFactory(code="prog-b"),
                                                        status=RevisionStatus.SUBMITTED))
    row = log_at(jst(2026, 11, 10, 10, 0), actor_for(itaku), residents=[1])
    assert [f.row_id for f in analyse_period(*NOV).section("contract_ended").findings] == [row.id]


def test_ward_staff_are_never_contract_findings(staff_user, actor_for):
    log_at(jst(2026, 11, 10, 10, 0), actor_for(staff_user), residents=[1])
    assert analyse_period(*NOV).section("contract_ended").total == 0


def test_contract_hook_is_connected_by_the_register_and_replaceable(contractor, actor_for):
    assert contracts.contract_providers_registered()
    saved = dict(contracts._providers)
    try:
        contracts._providers.clear()
        assert contracts.has_valid_contract("itaku-test", dt.date(2026, 11, 20)) is None
        contracts.register_contract_period_provider(lambda org, day: day.day < 5, name="t")
        assert contracts.has_valid_contract("x", dt.date(2026, 11, 3)) is True
        assert contracts.has_valid_contract("x", dt.date(2026, 11, 6)) is False
        contracts._providers.clear()
        itaku, _ = contractor
        log_at(jst(2026, 11, 20, 10, 0), actor_for(itaku), residents=[1])
        report = analyse_period(*NOV)
        assert not report.contracts_checked and report.section("contract_ended").total == 0
    finally:
        contracts._providers.clear()
        contracts._providers.update(saved)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PRIVACY_OFFICE])
def test_analysis_by_readers_is_logged(role, actor_for):
    user = UserFactory(username=f"u-{role}", role=role)
    analyse_audit_log(actor=actor_for(user), start=NOV[0], end=NOV[1])
    row = AccessLog.objects.get(action=AuditEvent.AUDIT_ANALYSIS)
    assert row.username == f"u-{role}" and "2026-11-01〜2026-11-30" in row.target


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.CONTRACTOR, Role.SUBCONTRACTOR, Role.ADMINISTRATOR])
def test_analysis_is_refused_to_other_roles(role, actor_for):
    user = UserFactory(username=f"u-{role}", role=role)
    with pytest.raises(AccessRefused):
        analyse_audit_log(actor=actor_for(user), start=NOV[0], end=NOV[1])
    assert not AccessLog.objects.filter(action=AuditEvent.AUDIT_ANALYSIS).exists()


def test_command_prints_text_and_csv(staff_user, actor_for, settings):
    settings.AUDIT_BULK_THRESHOLD = 1
    row = log_at(jst(2026, 11, 21, 10, 0), actor_for(staff_user), AuditEvent.RESIDENT_EXPORT, residents=[1, 2])
    out = StringIO()
    call_command("analyze_audit", "--as", "staff", "--from", "2026-11-01", "--to", "2026-11-30", stdout=out)
    text = out.getvalue()
    assert "■ 時間外のアクセス: 1件" in text and "■ 大量の閲覧・出力（1操作）: 1件" in text
    assert "2026-11-21 10:00:00 staff（dept-test/department_staff） resident.export 2人" in text
    out = StringIO()
    call_command("analyze_audit", "--as", "staff", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv",
                 stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "区分,行ID,日時,利用者,組織,ロール,操作,対象件数,事業,内容"
    assert lines[1].startswith(f"時間外のアクセス,{row.id},2026-11-21 10:00:00,staff,dept-test")
    assert AccessLog.objects.filter(action=AuditEvent.AUDIT_ANALYSIS, channel="cli").count() == 2
    assert verify_chain().ok


def test_command_rejects_bad_dates(staff_user):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("analyze_audit", "--as", "staff", "--from", "2026/11/01", "--to", "2026-11-30")
    with pytest.raises(CommandError, match="終了日が開始日より前"):
        call_command("analyze_audit", "--as", "staff", "--from", "2026-11-30", "--to", "2026-11-01")
