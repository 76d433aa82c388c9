"""The council workflow: submit, approve (freeze, snapshot, supersede), return, new revision, diff."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import (
    ChecklistAnswer,
    MeasureAnswer,
    Outsourcing,
    PersonScope,
    Revision,
    RevisionStatus,
)
from madoguchi.register.services import authoring
from madoguchi.register.services.content import canonical, revision_diff
from madoguchi.register.services.workflow import (
    approve_revision,
    return_revision,
    start_revision,
    submit_revision,
)

D = dt.date


def approve(revision, users, actor_for, on=None, meeting="令和8年度第1回", kind="承認"):
    submit_revision(revision=revision, actor=actor_for(users["owner"]))
    return approve_revision(revision=revision, decided_on=on or D(2026, 5, 20), meeting=meeting, kind=kind,
                            actor=actor_for(users["privacy_office"]))


def test_submit_then_approve_freezes_with_a_snapshot_and_logs(revision, users, actor_for):
    # when the owner submits and the privacy office records the approval
    submit_revision(revision=revision, actor=actor_for(users["owner"]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED and revision.submitted_at
    approve_revision(revision=revision, decided_on=D(2026, 5, 20), meeting="令和8年度第1回", kind="了承",
                     actor=actor_for(users["privacy_office"]))
    # then it is frozen with its canonical content and the decision
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED and revision.is_frozen
    assert (revision.decided_on, revision.meeting, revision.decision_kind) == (D(2026, 5, 20), "令和8年度第1回", "了承")
    assert revision.snapshot == canonical(revision)
    assert [o["key"] for o in revision.snapshot["outsourcings"]] == ["contractor-a", "contractor-a>sub-b"]
    actions = list(AccessLog.objects.filter(program=revision.program.code).values_list("action", flat=True))
    assert AuditEvent.REGISTER_SUBMIT in actions and AuditEvent.REGISTER_DECIDE in actions


def test_a_frozen_revision_refuses_every_edit(revision, users, actor_for):
    approve(revision, users, actor_for)
    owner = actor_for(users["owner"])
    scope = revision.scopes.get()
    calls = [
        lambda: authoring.save_overview(revision=revision, data={"purpose": "変更"}, actor=owner),
        lambda: authoring.save_scope(revision=revision, name="追加", item_keys=["name"], actor=owner),
        lambda: authoring.save_scope(revision=revision, name="変更", item_keys=["name"], actor=owner, scope=scope),
        lambda: authoring.delete_part(revision=revision, part=scope, actor=owner),
        lambda: authoring.save_answers(revision=revision, answers={}, actor=owner),
        lambda: authoring.save_flow_step(revision=revision, data={"number": 1, "source_kind": "resident",
                                                                    "source": "区民", "target_kind": "department",
                                                                    "target": "課", "medium": "", "note": "申請"},
                                         item_keys=[], actor=owner),
    ]
    before = canonical(revision)
    for call in calls:
        with pytest.raises(BusinessRuleError, match="変更できません"):
            call()
    assert canonical(revision) == before


def test_return_with_comments_makes_it_editable_and_resubmittable(revision, users, actor_for):
    submit_revision(revision=revision, actor=actor_for(users["owner"]))
    with pytest.raises(BusinessRuleError):
        return_revision(revision=revision, comments=" ", actor=actor_for(users["privacy_office"]))
    return_revision(revision=revision, comments="再委託先の期間を確認してください。", actor=actor_for(users["privacy_office"]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.RETURNED and not revision.is_frozen
    authoring.save_overview(revision=revision, data={"purpose": "直した目的"}, actor=actor_for(users["owner"]))
    submit_revision(revision=revision, actor=actor_for(users["owner"]))
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED


def test_start_revision_copies_deeply_and_approving_it_supersedes_the_old(revision, users, actor_for):
    approve(revision, users, actor_for)
    owner = actor_for(users["owner"])
    # when a new revision is started
    draft = start_revision(revision.program, actor=owner)
    # then it is a deep copy: same content, different rows, no difference yet
    assert draft.number == 2 and draft.based_on_id == revision.pk and draft.status == RevisionStatus.DRAFT
    old, new = canonical(revision), canonical(draft)
    assert {k: v for k, v in old.items() if k != "number"} == {k: v for k, v in new.items() if k != "number"}
    assert not set(Outsourcing.objects.filter(revision=draft).values_list("pk", flat=True)) & set(
        Outsourcing.objects.filter(revision=revision).values_list("pk", flat=True))
    sub = Outsourcing.objects.get(revision=draft, parent__isnull=False)
    assert sub.parent.revision_id == draft.pk
    assert revision_diff(draft).is_empty
    # and a second one cannot be started while this one is open
    with pytest.raises(BusinessRuleError, match="まだ決定されていません"):
        start_revision(revision.program, actor=owner)
    # when it is approved, the old one is superseded
    approve(draft, users, actor_for, on=D(2026, 9, 1), meeting="令和8年度第3回")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUPERSEDED
    assert revision.program.approved_revision() == draft


def test_diff_finds_added_removed_and_changed_parts(revision, users, actor_for):
    approve(revision, users, actor_for)
    owner = actor_for(users["owner"])
    draft = start_revision(revision.program, actor=owner)
    items = ensure_catalogue()
    # given: a new scope, one item removed, a changed contractor period and items, a changed answer, a new step
    authoring.save_scope(revision=draft, name="過去の交付決定者", item_keys=["name", "address"], actor=owner)
    scope = PersonScope.objects.get(revision=draft, name="申請者")
    authoring.save_scope(revision=draft, name="申請者", item_keys=["name", "address", "bank_account"], actor=owner,
                         scope=scope)
    main = Outsourcing.objects.get(revision=draft, parent__isnull=True)
    main.end_date = D(2027, 2, 28)
    main.save()
    main.items.remove(items["phone"])
    sub = Outsourcing.objects.get(revision=draft, parent__isnull=False)
    sub.items.remove(items["phone"])
    answer = ChecklistAnswer.objects.filter(revision=draft).select_related("measure").first()
    answer.answer, answer.reason = MeasureAnswer.NOT_NEEDED, "対象外のため。"
    answer.save()
    authoring.save_overview(revision=draft, data={"purpose": "新しい目的"}, actor=owner)
    # when
    d = revision_diff(draft)
    # then
    assert d.scopes_added == {"過去の交付決定者"}
    assert d.items_removed == {"申請者": {"phone"}}
    assert d.outsourcings["contractor-a"] == {"end_date", "items"}
    assert d.out_items_removed["contractor-a"] == {"phone"}
    assert d.measures == {answer.measure.template.kind: {answer.measure.key}}
    assert set(d.fields) == {"purpose"}
    assert not d.systems and not d.flow


@pytest.mark.parametrize("role", ["other_department", "privacy_office", "auditor", "administrator", "contractor",
                                  "subcontractor", "other_contractor", None])
def test_only_the_owning_department_submits(revision, users, actor_for, role):
    actor = actor_for(users[role] if role else None)
    with pytest.raises(AccessRefused):
        submit_revision(revision=revision, actor=actor)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT and revision.submitted_at is None


@pytest.mark.parametrize("role", ["owner", "other_department", "auditor", "administrator", "contractor",
                                  "subcontractor", None])
def test_only_the_privacy_office_records_decisions(revision, users, actor_for, role):
    submit_revision(revision=revision, actor=actor_for(users["owner"]))
    actor = actor_for(users[role] if role else None)
    with pytest.raises(AccessRefused):
        approve_revision(revision=revision, decided_on=D(2026, 5, 1), meeting="第1回", kind="承認", actor=actor)
    with pytest.raises(AccessRefused):
        return_revision(revision=revision, comments="差戻し", actor=actor)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED and revision.snapshot is None and not revision.meeting


@pytest.mark.parametrize("role", ["other_department", "privacy_office", "auditor", "administrator", "contractor",
                                  "subcontractor", None])
def test_only_the_owning_department_edits_and_starts_revisions(revision, users, actor_for, role):
    actor = actor_for(users[role] if role else None)
    before = canonical(revision)
    with pytest.raises(AccessRefused):
        authoring.save_overview(revision=revision, data={"purpose": "書換え"}, actor=actor)
    with pytest.raises(AccessRefused):
        authoring.save_scope(revision=revision, name="追加", item_keys=["name"], actor=actor)
    approve(revision, users, actor_for)
    with pytest.raises(AccessRefused):
        start_revision(revision.program, actor=actor)
    assert canonical(revision) == before
    assert Revision.objects.filter(program=revision.program).count() == 1


def test_decision_needs_a_submitted_revision_and_a_known_kind(revision, users, actor_for):
    privacy = actor_for(users["privacy_office"])
    with pytest.raises(BusinessRuleError, match="提出済み"):
        approve_revision(revision=revision, decided_on=D(2026, 5, 1), meeting="第1回", kind="承認", actor=privacy)
    submit_revision(revision=revision, actor=actor_for(users["owner"]))
    with pytest.raises(BusinessRuleError, match="種別"):
        approve_revision(revision=revision, decided_on=D(2026, 5, 1), meeting="第1回", kind="可決", actor=privacy)
    with pytest.raises(BusinessRuleError, match="審議会の回"):
        approve_revision(revision=revision, decided_on=D(2026, 5, 1), meeting=" ", kind="承認", actor=privacy)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED
