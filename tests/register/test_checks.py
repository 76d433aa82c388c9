"""Pre-submission checks: each rule has a passing baseline and a failing example."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import (
    Certification,
    ChecklistAnswer,
    MeasureAnswer,
    Outsourcing,
    Revision,
    RevisionStatus,
)
from madoguchi.register.services.checks import check_revision
from madoguchi.register.services.workflow import SubmissionBlocked, submit_revision

D = dt.date


def codes(revision: Revision) -> list[str]:
    return [p.code for p in check_revision(revision)]


def main_of(revision: Revision) -> Outsourcing:
    return revision.outsourcings.get(parent__isnull=True)


def sub_of(revision: Revision) -> Outsourcing:
    return revision.outsourcings.get(parent__isnull=False)


def test_the_valid_registration_has_no_problems(revision):
    assert check_revision(revision) == []


def test_an_outsourced_item_that_is_not_recorded_is_a_problem(revision):
    # given the contractor also gets "email", which no person scope records
    main_of(revision).items.add(ensure_catalogue()["email"])
    # then
    problems = check_revision(revision)
    assert [p.code for p in problems] == ["outsourced_not_recorded"]
    assert "メールアドレス" in problems[0].message and "委託先A株式会社" in problems[0].message


def test_a_subcontractor_item_outside_its_contractors_items_is_a_problem(revision):
    # given the sub-contractor gets the bank account, which its contractor has, then the contractor loses it
    items = ensure_catalogue()
    sub_of(revision).items.add(items["address"])
    main_of(revision).items.remove(items["address"])
    problems = check_revision(revision)
    assert [p.code for p in problems] == ["subcontract_items"]
    assert "住所" in problems[0].message and "再委託先B株式会社" in problems[0].message


def test_a_not_needed_answer_without_reason_is_a_problem(revision):
    answer = ChecklistAnswer.objects.filter(revision=revision).first()
    answer.answer, answer.reason = MeasureAnswer.NOT_NEEDED, "  "
    answer.save()
    problems = check_revision(revision)
    assert [p.code for p in problems] == ["reason_missing"]
    assert "理由" in problems[0].message
    # and with a reason it passes
    answer.reason = "該当する作業がないため。"
    answer.save()
    assert check_revision(revision) == []


def test_an_unanswered_measure_is_a_problem(revision):
    ChecklistAnswer.objects.filter(revision=revision).filter(pk=ChecklistAnswer.objects.filter(
        revision=revision).first().pk).update(answer="")
    assert codes(revision) == ["answer_missing"]


def test_a_subcontract_beyond_the_contract_period_is_a_problem(revision):
    sub = sub_of(revision)
    sub.end_date = D(2027, 6, 30)
    sub.save()
    assert "subcontract_period" in codes(revision)


def test_a_subcontract_starting_before_the_contract_is_a_problem(revision):
    sub = sub_of(revision)
    sub.start_date = D(2026, 3, 1)
    sub.save()
    assert "subcontract_period" in codes(revision)


def test_an_outsourcing_ending_before_it_starts_is_a_problem(revision):
    main = main_of(revision)
    main.start_date, main.end_date = D(2026, 12, 1), D(2026, 11, 1)
    main.save()
    assert "outsourcing_period" in codes(revision)


def test_a_program_period_ending_before_it_starts_is_a_problem(revision):
    revision.start_date, revision.end_date = D(2027, 4, 1), D(2026, 4, 1)
    revision.save()
    assert "program_period" in codes(revision)


def test_an_outsourcing_outside_the_program_period_is_a_problem(revision):
    revision.end_date = D(2026, 12, 31)
    revision.save()
    problems = check_revision(revision)
    assert {p.code for p in problems} == {"outside_program_period"}
    assert len(problems) == 2  # the contract and the sub-contract


def test_a_certification_expired_at_the_start_of_the_period_is_a_problem(revision):
    Certification.objects.filter(name="プライバシーマーク").update(valid_until=D(2026, 3, 31))
    problems = check_revision(revision)
    assert [p.code for p in problems] == ["certification_expired"]
    assert "令和8年4月1日" in problems[0].message


def test_a_certification_not_yet_valid_at_the_start_is_a_problem(revision):
    Certification.objects.filter(name="プライバシーマーク").update(valid_from=D(2026, 4, 2))
    assert codes(revision) == ["certification_expired"]


def test_all_problems_are_listed_at_once_and_block_submission(revision, users, actor_for):
    # given three different problems
    main_of(revision).items.add(ensure_catalogue()["email"])
    sub = sub_of(revision)
    sub.end_date = D(2027, 6, 30)
    sub.save()
    ChecklistAnswer.objects.filter(revision=revision).update(answer=MeasureAnswer.NOT_NEEDED, reason="")
    # when the owner submits
    with pytest.raises(SubmissionBlocked) as blocked:
        submit_revision(revision=revision, actor=actor_for(users["owner"]))
    # then every problem is reported and nothing changed
    found = {p.code for p in blocked.value.problems}
    assert {"outsourced_not_recorded", "subcontract_period", "outside_program_period", "reason_missing"} <= found
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT and revision.submitted_at is None


def test_linkage_and_flow_items_must_be_recorded(revision):
    from madoguchi.register.models import FlowStep, Linkage

    items = ensure_catalogue()
    link = Linkage.objects.create(revision=revision, counterpart="委託先のシステム")
    link.items.set([items["name"], items["my_number"]])
    step = FlowStep.objects.create(revision=revision, number=1, source_kind="resident", source="申請者",
                                   target_kind="department", target="担当課", note="申請")
    step.items.set([items["address"], items["email"]])
    problems = check_revision(revision)
    assert [p.code for p in problems] == ["linkage_not_recorded", "flow_not_recorded"]
    assert "個人番号" in problems[0].message and "メールアドレス" in problems[1].message
