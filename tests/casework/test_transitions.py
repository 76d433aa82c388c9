"""The case state machine: every step, its date, history and access-log row; refusals."""

from __future__ import annotations

import pytest

from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import Status
from madoguchi.casework.services import decisions
from madoguchi.casework.services.transitions import STEPS, transition
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from tests.casework.factories import make_case


def test_full_path_sets_dates_history_and_log(setup):
    staff = setup.actor(setup.staff)
    case = make_case(setup.program)
    decisions.start_review(case=case, actor=staff)
    assert case.status == Status.UNDER_REVIEW and case.reviewed_on
    decisions.request_correction(case=case, content="領収書の宛名が申請者と違います", actor=staff)
    assert case.status == Status.CORRECTION_REQUESTED and case.correction_requested_on
    assert case.correction_content == "領収書の宛名が申請者と違います"
    decisions.resume_review(case=case, actor=staff)
    assert case.status == Status.RE_REVIEW
    decisions.decide_grant(case=case, actor=staff)
    assert case.status == Status.GRANTED and case.granted_amount == 15000 and case.decided_on
    transition(case=case, step="queue_payment", actor=staff)
    assert case.status == Status.QUEUED
    assert [e.to_status for e in case.events.all()] == [
        Status.UNDER_REVIEW, Status.CORRECTION_REQUESTED, Status.RE_REVIEW, Status.GRANTED, Status.QUEUED]
    assert all(e.actor == "tanto" for e in case.events.all())
    assert AccessLog.objects.filter(action="case.transition", target__startswith=f"case:{case.pk}:").count() == 5


def test_grant_amount_follows_the_rule_and_application(setup):
    staff = setup.actor(setup.staff)
    case = make_case(setup.program, cost=100000, application_amount=0, status=Status.UNDER_REVIEW)
    decisions.decide_grant(case=case, actor=staff)
    assert case.granted_amount == 20000


def test_grant_above_the_rule_is_refused(setup):
    case = make_case(setup.program, status=Status.UNDER_REVIEW)
    with pytest.raises(BusinessRuleError):
        decisions.decide_grant(case=case, actor=setup.actor(setup.staff), amount=50000)
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW


def test_grant_refused_when_attachments_or_pledges_missing(setup):
    case = make_case(setup.program, status=Status.UNDER_REVIEW, attachments=["領収書"], pledges={})
    with pytest.raises(BusinessRuleError) as exc:
        decisions.decide_grant(case=case, actor=setup.actor(setup.staff))
    assert "設置写真" in str(exc.value)


def test_refusal_needs_a_reason(setup):
    case = make_case(setup.program, status=Status.UNDER_REVIEW)
    with pytest.raises(BusinessRuleError):
        decisions.decide_refusal(case=case, reason=" ", actor=setup.actor(setup.staff))
    decisions.decide_refusal(case=case, reason="過去に交付を受けています", actor=setup.actor(setup.staff))
    assert case.status == Status.NOT_GRANTED and case.granted_amount == 0


@pytest.mark.parametrize(("status", "step"), [
    (Status.RECEIVED, "grant"), (Status.RECEIVED, "request_correction"), (Status.GRANTED, "refuse"),
    (Status.PAID, "grant"), (Status.CLOSED, "start_review"), (Status.NOT_GRANTED, "queue_payment"),
])
def test_steps_from_the_wrong_state_are_refused(setup, status, step):
    case = make_case(setup.program, status=status)
    with pytest.raises(BusinessRuleError):
        transition(case=case, step=step, actor=setup.actor(setup.staff))
    case.refresh_from_db()
    assert case.status == status and case.events.count() == 0


@pytest.mark.parametrize("who", ["contractor", "callcenter", "other_staff", "privacy", "auditor", "admin"])
def test_only_the_department_decides(setup, who):
    case = make_case(setup.program, status=Status.UNDER_REVIEW)
    with pytest.raises(AccessRefused):
        decisions.decide_grant(case=case, actor=setup.actor(getattr(setup, who)))
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW and case.granted_amount is None


def test_contractor_supports_review_but_callcenter_does_not(setup):
    case = make_case(setup.program)
    decisions.start_review(case=case, actor=setup.actor(setup.contractor))
    assert case.status == Status.UNDER_REVIEW
    with pytest.raises(AccessRefused):
        decisions.request_correction(case=case, content="x", actor=setup.actor(setup.callcenter))
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW


def test_every_status_is_reachable():
    targets = {s.target for s in STEPS.values()} | {Status.RECEIVED}
    assert targets == set(Status.values)


def test_contractor_outside_the_declared_period_is_refused(setup):
    import datetime as dt

    from madoguchi.casework.selectors import list_cases
    from madoguchi.register.models import Outsourcing

    Outsourcing.objects.filter(parent__isnull=True).update(end_date=dt.date.today() - dt.timedelta(days=1))
    case = make_case(setup.program)
    with pytest.raises(AccessRefused):
        decisions.start_review(case=case, actor=setup.actor(setup.contractor))
    with pytest.raises(AccessRefused):
        list_cases(setup.actor(setup.contractor), setup.program)
    with pytest.raises(AccessRefused):  # the sub-contractor's period is bounded by its contractor's
        list_cases(setup.actor(setup.callcenter), setup.program)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
