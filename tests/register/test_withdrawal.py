"""廃止 (withdrawal): the department requests it, the privacy office records the council's decision; a
withdrawn registration grants nothing (the contractor loses case and resident access)."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.casework.selectors import case_queryset, open_case
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Participation, Revision, RevisionStatus
from madoguchi.register.policy import open_resident, resident_queryset
from madoguchi.register.services.workflow import request_withdrawal, start_revision, withdraw_revision
from tests.casework.factories import CODE, Setup, make_case, make_setup
from tests.factories import ResidentFactory

D = dt.date


@pytest.fixture
def setup(db, settings) -> Setup:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_setup()


def _revision(setup: Setup) -> Revision:
    return Revision.objects.get(program=setup.program, status=RevisionStatus.APPROVED)


def _state(rev: Revision) -> tuple:
    rev.refresh_from_db()
    return (rev.status, rev.withdrawn_on, rev.withdrawal_meeting, rev.withdrawal_reason, rev.withdrawal_requested_at)


def test_privacy_office_records_withdrawal_with_date_meeting_reason_and_log(setup):
    # given the approved revision in force
    rev = _revision(setup)
    # when the privacy office records the council's withdrawal
    withdraw_revision(revision=rev, withdrawn_on=D(2026, 11, 20), meeting="令和8年度第3回", reason="事業の終了",
                      actor=setup.actor(setup.privacy))
    # then the revision is withdrawn with its decision, and the decision is in the access log
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.WITHDRAWN
    assert (rev.withdrawn_on, rev.withdrawal_meeting, rev.withdrawal_reason) == (D(2026, 11, 20), "令和8年度第3回", "事業の終了")
    log = AccessLog.objects.filter(action=AuditEvent.REGISTER_DECIDE, program=CODE).latest("pk")
    assert "廃止" in log.target and log.username == "hogo"
    # and no new revision can be started from it (nothing approved remains)
    with pytest.raises(BusinessRuleError):
        start_revision(setup.program, actor=setup.actor(setup.staff))


def test_department_requests_withdrawal_then_privacy_office_records_it_with_the_requested_reason(setup):
    rev = _revision(setup)
    # when the department requests the withdrawal
    request_withdrawal(revision=rev, reason="令和8年度末で事業終了", actor=setup.actor(setup.staff))
    # then the revision stays in force, the request is logged
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.APPROVED and rev.withdrawal_requested_at is not None
    assert AccessLog.objects.filter(action=AuditEvent.REGISTER_SUBMIT, target__contains="廃止の申出").exists()
    case_queryset(setup.actor(setup.contractor), setup.program)  # still granted
    # when the privacy office records the decision without retyping the reason
    withdraw_revision(revision=rev, withdrawn_on=D(2026, 11, 21), meeting="令和8年度第3回", reason="",
                      actor=setup.actor(setup.privacy))
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.WITHDRAWN and rev.withdrawal_reason == "令和8年度末で事業終了"


@pytest.mark.parametrize("who", ["staff", "contractor", "callcenter", "other_staff", "auditor", "admin"])
def test_only_the_privacy_office_records_a_withdrawal(setup, who):
    rev = _revision(setup)
    before = _state(rev)
    logs = AccessLog.objects.count()
    with pytest.raises(AccessRefused):
        withdraw_revision(revision=rev, withdrawn_on=D(2026, 11, 20), meeting="第3回", reason="終了",
                          actor=setup.actor(getattr(setup, who)))
    assert _state(rev) == before and AccessLog.objects.count() == logs


@pytest.mark.parametrize("who", ["privacy", "contractor", "callcenter", "other_staff", "auditor", "admin"])
def test_only_the_owning_department_requests_a_withdrawal(setup, who):
    rev = _revision(setup)
    before = _state(rev)
    with pytest.raises(AccessRefused):
        request_withdrawal(revision=rev, reason="終了", actor=setup.actor(getattr(setup, who)))
    assert _state(rev) == before


@pytest.mark.parametrize("kwargs, message", [
    ({"meeting": " ", "reason": "終了"}, "審議会の回"),
    ({"meeting": "第3回", "reason": " "}, "理由"),
    ({"meeting": "第3回", "reason": "終了", "withdrawn_on": None}, "決定日"),
])
def test_bad_withdrawal_input_changes_nothing(setup, kwargs, message):
    rev = _revision(setup)
    before = _state(rev)
    args = {"withdrawn_on": D(2026, 11, 20), **kwargs}
    with pytest.raises(BusinessRuleError, match=message):
        withdraw_revision(revision=rev, actor=setup.actor(setup.privacy), **args)
    assert _state(rev) == before
    assert not AccessLog.objects.filter(action=AuditEvent.REGISTER_DECIDE).exists()


def test_only_an_approved_revision_can_be_withdrawn_and_not_while_a_revision_is_before_the_council(setup):
    rev = _revision(setup)
    withdraw_revision(revision=rev, withdrawn_on=D(2026, 11, 20), meeting="第3回", reason="終了",
                      actor=setup.actor(setup.privacy))
    # a withdrawn revision cannot be withdrawn (or requested) again
    with pytest.raises(BusinessRuleError, match="廃止"):
        withdraw_revision(revision=rev, withdrawn_on=D(2026, 11, 21), meeting="第4回", reason="再",
                          actor=setup.actor(setup.privacy))
    with pytest.raises(BusinessRuleError):
        request_withdrawal(revision=rev, reason="再", actor=setup.actor(setup.staff))
    rev.refresh_from_db()
    assert rev.withdrawal_meeting == "第3回"


def test_withdrawal_refused_while_a_newer_revision_is_submitted(setup):
    rev = _revision(setup)
    Revision.objects.create(program=setup.program, number=rev.number + 1, status=RevisionStatus.SUBMITTED,
                            title="改定", based_on=rev)
    before = _state(rev)
    with pytest.raises(BusinessRuleError, match="提出中"):
        withdraw_revision(revision=rev, withdrawn_on=D(2026, 11, 20), meeting="第3回", reason="終了",
                          actor=setup.actor(setup.privacy))
    assert _state(rev) == before


def test_after_withdrawal_the_contractor_is_refused_cases_and_residents(setup):
    # given a case and a participating resident the contractor and call center can open
    resident = ResidentFactory()
    Participation.objects.create(program=setup.program, resident=resident, role="申請者")
    case = make_case(setup.program, resident=resident)
    contractor, callcenter = setup.actor(setup.contractor), setup.actor(setup.callcenter)
    open_case(contractor, case.pk)
    assert resident_queryset(contractor, program_code=CODE).filter(pk=resident.pk).exists()
    open_resident(callcenter, resident.pk, program_code=CODE)
    # when the registration is withdrawn
    withdraw_revision(revision=_revision(setup), withdrawn_on=D(2026, 11, 20), meeting="第3回", reason="終了",
                      actor=setup.actor(setup.privacy))
    # then the contractor and the call center are refused both the case and the resident
    for actor in (contractor, callcenter):
        with pytest.raises(AccessRefused):
            open_case(actor, case.pk)
        with pytest.raises(AccessRefused):
            case_queryset(actor, setup.program)
        with pytest.raises(AccessRefused):
            open_resident(actor, resident.pk, program_code=CODE)
        with pytest.raises(AccessRefused):
            open_resident(actor, resident.pk)
    # and so is the department (the registration no longer grants its own staff either)
    with pytest.raises(AccessRefused):
        open_case(setup.actor(setup.staff), case.pk)


def test_withdraw_screen_button_and_permissions(setup, login_client):
    rev = _revision(setup)
    url = f"/register/{CODE}/r{rev.number}/"
    # the privacy office sees the button with a confirmation; the department sees the request form
    page = login_client(setup.privacy).get(url).content.decode()
    assert 'data-testid="record-withdrawal"' in page and "data-confirm=" in page
    page = login_client(setup.staff).get(url).content.decode()
    assert 'data-testid="request-withdrawal"' in page and 'data-testid="record-withdrawal"' not in page
    # the department cannot record a withdrawal through the screen (403, nothing changed)
    before = _state(rev)
    post = {"action": "withdraw", "withdrawn_on": "令和8年11月20日", "meeting": "第3回", "reason": "終了"}
    assert login_client(setup.staff).post(f"{url}withdraw/", post).status_code == 403
    assert _state(rev) == before
    # a missing meeting is shown on the form, nothing changed
    bad = login_client(setup.privacy).post(f"{url}withdraw/", {**post, "meeting": ""})
    assert bad.status_code == 400 and _state(rev) == before
    # the privacy office records it
    response = login_client(setup.privacy).post(f"{url}withdraw/", post)
    assert response.status_code == 302
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.WITHDRAWN and rev.withdrawn_on == D(2026, 11, 20)
    page = login_client(setup.privacy).get(url).content.decode()
    assert 'data-testid="withdrawal"' in page and 'data-testid="record-withdrawal"' not in page
