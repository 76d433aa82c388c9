"""The council workflow: draft → submitted → approved (frozen) or returned (editable again) → …

Approving stores the canonical content as the snapshot and supersedes the program's previously approved
revision.  :func:`start_revision` copies the approved revision deeply into a new draft.

廃止 (withdrawal) follows the same split of roles: the department's staff may request it
(:func:`request_withdrawal`, the revision stays in force); the privacy office records the council's
decision (:func:`withdraw_revision`), which turns the approved revision into ``WITHDRAWN`` — from then on
the access policy derives no grant from it (``register.policy.grants.effective_revisions``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import BusinessRuleError
from madoguchi.register.models import (
    ChecklistAnswer,
    DecisionKind,
    FlowStep,
    Linkage,
    Outsourcing,
    PersonScope,
    Program,
    RecordedItem,
    Revision,
    RevisionStatus,
    System,
)
from madoguchi.register.services.access import require_author, require_decider
from madoguchi.register.services.authoring import sync_answers
from madoguchi.register.services.checks import Problem, check_revision
from madoguchi.register.services.content import canonical


class SubmissionBlocked(BusinessRuleError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"提出前の確認で{len(problems)}件の問題が見つかりました。")
        self.problems = problems


def _locked(revision: Revision) -> Revision:
    return Revision.objects.select_for_update().select_related("program").get(pk=revision.pk)


@transaction.atomic
def submit_revision(*, revision: Revision, actor: Actor) -> Revision:
    require_author(actor, revision.program)
    revision = _locked(revision)
    if revision.status not in (RevisionStatus.DRAFT, RevisionStatus.RETURNED):
        raise BusinessRuleError(f"第{revision.number}版は「{revision.get_status_display()}」のため提出できません。")
    problems = check_revision(revision)
    if problems:
        raise SubmissionBlocked(problems)
    revision.status = RevisionStatus.SUBMITTED
    revision.submitted_at = timezone.now()
    revision.save(update_fields=["status", "submitted_at", "updated_at"])
    record_access(actor=actor, action=AuditEvent.REGISTER_SUBMIT, target=f"{revision} 提出",
                  program=revision.program.code)
    return revision


@transaction.atomic
def approve_revision(*, revision: Revision, decided_on: dt.date, meeting: str, kind: str, actor: Actor,
                     comments: str = "") -> Revision:
    require_decider(actor, revision.program)
    revision = _locked(revision)
    if revision.status != RevisionStatus.SUBMITTED:
        raise BusinessRuleError("審議会へ提出済みの版だけに決定を記録できます。")
    if kind not in DecisionKind.values:
        raise BusinessRuleError("決定の種別は「承認」「了承」「報告」から選んでください。")
    if not meeting.strip():
        raise BusinessRuleError("審議会の回（例: 令和8年度第1回）を入力してください。")
    Revision.objects.filter(program=revision.program, status=RevisionStatus.APPROVED).exclude(pk=revision.pk) \
        .update(status=RevisionStatus.SUPERSEDED)
    revision.status = RevisionStatus.APPROVED
    revision.decided_on = decided_on
    revision.meeting = meeting.strip()
    revision.decision_kind = kind
    revision.council_comments = comments
    revision.snapshot = canonical(revision)
    revision.save()
    record_access(actor=actor, action=AuditEvent.REGISTER_DECIDE,
                  target=f"{revision} {kind}（{meeting}）", program=revision.program.code)
    return revision


@transaction.atomic
def return_revision(*, revision: Revision, comments: str, actor: Actor) -> Revision:
    require_decider(actor, revision.program)
    revision = _locked(revision)
    if revision.status != RevisionStatus.SUBMITTED:
        raise BusinessRuleError("審議会へ提出済みの版だけを差し戻せます。")
    if not comments.strip():
        raise BusinessRuleError("差戻しの理由（審議会の意見）を入力してください。")
    revision.status = RevisionStatus.RETURNED
    revision.council_comments = comments.strip()
    revision.save(update_fields=["status", "council_comments", "updated_at"])
    record_access(actor=actor, action=AuditEvent.REGISTER_DECIDE, target=f"{revision} 差戻し",
                  program=revision.program.code)
    return revision


def copy_revision_content(source: Revision, target: Revision) -> None:
    """Copy scopes, items, systems, linkages, the outsourcing chain, answers and the flow."""
    for scope in PersonScope.objects.filter(revision=source).prefetch_related("recorded_items"):
        new_scope = PersonScope.objects.create(revision=target, name=scope.name, order=scope.order,
                                               file_name=scope.file_name, file_kind=scope.file_kind)
        RecordedItem.objects.bulk_create([RecordedItem(scope=new_scope, item_id=r.item_id)
                                          for r in scope.recorded_items.all()])
    for system in System.objects.filter(revision=source):
        system.pk = None
        system.revision = target
        system.save()
    for link in Linkage.objects.filter(revision=source).prefetch_related("items"):
        items = list(link.items.all())
        link.pk = None
        link._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # else set() compares with the source's
        link.revision = target
        link.save()
        link.items.set(items)
    mapping: dict[int, Outsourcing] = {}
    rows = Outsourcing.objects.filter(revision=source).prefetch_related("items", "certifications")
    for o in sorted(rows, key=lambda o: (o.parent_id is not None, o.pk)):  # contractors before their subs
        old_pk, items, certs = o.pk, list(o.items.all()), list(o.certifications.all())
        o.pk = None
        o._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        o.revision = target
        o.parent = mapping[o.parent_id] if o.parent_id else None
        o.save()
        o.items.set(items)
        o.certifications.set(certs)
        mapping[old_pk] = o
    ChecklistAnswer.objects.bulk_create([
        ChecklistAnswer(revision=target, measure_id=a.measure_id, answer=a.answer, reason=a.reason)
        for a in ChecklistAnswer.objects.filter(revision=source)
    ])
    for step in FlowStep.objects.filter(revision=source).prefetch_related("items"):
        items = list(step.items.all())
        step.pk = None
        step._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        step.revision = target
        step.save()
        step.items.set(items)


OVERVIEW_COPY = ["title", "purpose", "target_persons", "content", "person_count", "legal_basis", "start_date",
                 "end_date", "retention_years", "erase_on_withdrawal", "retention_note", "has_computer_processing",
                 "has_external_linkage", "has_outsourcing", "file_name", "collection_method", "provision",
                 "correction_procedures", "council_name", "agenda_kind"]


@transaction.atomic
def start_revision(program: Program, *, actor: Actor) -> Revision:
    """A new draft copied from the approved revision (the base of its diff)."""
    require_author(actor, program)
    Program.objects.select_for_update().get(pk=program.pk)
    open_rev = program.revisions.filter(status__in=[RevisionStatus.DRAFT, RevisionStatus.SUBMITTED,
                                                    RevisionStatus.RETURNED]).first()
    if open_rev is not None:
        raise BusinessRuleError(f"第{open_rev.number}版（{open_rev.get_status_display()}）がまだ決定されていません。"
                                "新しい版はその決定の後に作成できます。")
    base = program.approved_revision()
    if base is None:
        raise BusinessRuleError("承認された版がないため、新しい版を作成できません。")
    number = (program.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = Revision.objects.create(program=program, number=number, based_on=base, created_by=actor.user,
                                    **{name: getattr(base, name) for name in OVERVIEW_COPY})
    copy_revision_content(base, draft)
    sync_answers(draft)
    record_access(actor=actor, action=AuditEvent.REGISTER_CHANGE, target=f"{draft} 第{base.number}版から作成",
                  program=program.code)
    return draft


def _require_in_force(revision: Revision, verb: str) -> None:
    if revision.status != RevisionStatus.APPROVED:
        raise BusinessRuleError(f"第{revision.number}版は「{revision.get_status_display()}」のため{verb}できません。"
                                "現に効力のある承認済みの版だけが対象です。")


@transaction.atomic
def request_withdrawal(*, revision: Revision, reason: str, actor: Actor) -> Revision:
    """The department asks for the program's registration to be withdrawn; it stays in force until the
    privacy office records the council's decision."""
    require_author(actor, revision.program)
    revision = _locked(revision)
    _require_in_force(revision, "廃止を申し出")
    if not reason.strip():
        raise BusinessRuleError("廃止の理由（例: 事業の終了）を入力してください。")
    revision.withdrawal_requested_at = timezone.now()
    revision.withdrawal_reason = reason.strip()
    revision.save(update_fields=["withdrawal_requested_at", "withdrawal_reason", "updated_at"])
    record_access(actor=actor, action=AuditEvent.REGISTER_SUBMIT, target=f"{revision} 廃止の申出",
                  program=revision.program.code)
    return revision


@transaction.atomic
def withdraw_revision(*, revision: Revision, withdrawn_on: dt.date, meeting: str, reason: str,
                      actor: Actor) -> Revision:
    """Record the council's decision to withdraw (廃止) the approved revision: it then grants nothing."""
    require_decider(actor, revision.program)
    revision = _locked(revision)
    _require_in_force(revision, "廃止")
    if not isinstance(withdrawn_on, dt.date):
        raise BusinessRuleError("廃止の決定日を入力してください。")
    if not meeting.strip():
        raise BusinessRuleError("廃止を決定した審議会の回（例: 令和8年度第3回）を入力してください。")
    reason = reason.strip() or revision.withdrawal_reason
    if not reason:
        raise BusinessRuleError("廃止の理由を入力してください。")
    pending = revision.program.revisions.filter(status=RevisionStatus.SUBMITTED).first()
    if pending is not None:
        raise BusinessRuleError(f"第{pending.number}版が審議会へ提出中です。先にその版の決定（差戻し）を記録してください。")
    revision.status = RevisionStatus.WITHDRAWN
    revision.withdrawn_on = withdrawn_on
    revision.withdrawal_meeting = meeting.strip()
    revision.withdrawal_reason = reason
    revision.save(update_fields=["status", "withdrawn_on", "withdrawal_meeting", "withdrawal_reason", "updated_at"])
    record_access(actor=actor, action=AuditEvent.REGISTER_DECIDE,
                  target=f"{revision} 廃止（{revision.withdrawal_meeting}）", program=revision.program.code)
    return revision
