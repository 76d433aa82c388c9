"""Changing an application after intake; sending granted cases to payment; assigning a case."""

from __future__ import annotations

import pytest

from madoguchi.casework.models import DuplicateCandidate, Status
from madoguchi.casework.services import decisions
from madoguchi.casework.services.duplicates import import_past_grantees
from madoguchi.casework.services.editing import queue_granted, raw_of, update_application
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from tests.casework.factories import make_case


def test_update_keeps_history_and_rechecks_duplicates(setup):
    staff = setup.actor(setup.staff)
    import_past_grantees(actor=staff, program=setup.program, name="R7",
                         data="住所,氏名\n新宿区百人町1-1-1,鈴木　次郎\n".encode())
    case = make_case(setup.program, status=Status.CORRECTION_REQUESTED)
    raw = raw_of(case)
    raw.update(name="鈴木　次郎", address="東京都新宿区百人町一丁目1番1号", cost_1="40000")
    update_application(actor=setup.actor(setup.contractor), case=case, raw=raw, note="補正書類を受領")
    case.refresh_from_db()
    assert case.name == "鈴木　次郎" and case.purchase_total == 40000
    assert "氏名" in case.events.last().note and "補正書類を受領" in case.events.last().note
    assert DuplicateCandidate.objects.filter(case=case, verdict="match").exists()


def test_update_refuses_bad_values_and_decided_cases(setup):
    case = make_case(setup.program)
    with pytest.raises(ImportRejected):
        update_application(actor=setup.actor(setup.staff), case=case, raw={**raw_of(case), "cost_1": "abc"})
    granted = make_case(setup.program, name="決定　済み", address="新宿区百人町2-2-2", status=Status.GRANTED)
    with pytest.raises(BusinessRuleError):
        update_application(actor=setup.actor(setup.staff), case=granted, raw=raw_of(granted))
    with pytest.raises(AccessRefused):
        update_application(actor=setup.actor(setup.callcenter), case=case, raw={**raw_of(case), "name": "x"})
    case.refresh_from_db()
    assert case.name == "山田　太郎"


def test_queue_granted_takes_only_payable_cases_and_only_for_the_department(setup):
    ok = make_case(setup.program, status=Status.GRANTED, granted_amount=10000)
    bad = make_case(setup.program, name="口座　不備", address="新宿区百人町3-3-3", status=Status.GRANTED,
                    granted_amount=10000, account_problem="口座番号なし")
    with pytest.raises(AccessRefused):
        queue_granted(actor=setup.actor(setup.contractor), program=setup.program)
    assert queue_granted(actor=setup.actor(setup.staff), program=setup.program) == 1
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert ok.status == Status.QUEUED and bad.status == Status.GRANTED


def test_assign_and_board_shows_work_per_assignee(setup):
    from madoguchi.casework.selectors import board

    case = make_case(setup.program)
    decisions.assign(case=case, actor=setup.actor(setup.staff), user_id=setup.contractor.pk)
    b = board(setup.actor(setup.staff), setup.program)
    assert b.assigned == [("itaku", 1)]
