"""Recording evidence that a registered measure is applied (issue: evidence behind every measure).

Who may record: the owning department's staff for every contract of the program; a contractor's or
sub-contractor's user for its own contract only (the evidence is then recorded as its organisation's).
The privacy office, auditors and administrators read.  Every recording is written to the access log.

What is checked (each refusal names the field and changes nothing):
- the measures exist, belong to the program's newest approved registration and are answered ○ there;
- the contract, when given, is one of that registration's 委託・再委託 (the contractor's own, for a contractor);
- the date is not in the future; an incident needs its first report date, not before the incident;
- a file is PDF, JPEG, PNG, Excel or Word by content, at most :data:`MAX_BYTES`, stored privately and hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.era import format_wareki
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.core.filecheck import DOCX, JPEG, PDF, PNG, XLSX, check_upload
from madoguchi.register.evidence_rules import rule_for
from madoguchi.register.models import (
    ChecklistAnswer,
    ChecklistMeasure,
    ChecklistSide,
    Evidence,
    EvidenceKind,
    MeasureAnswer,
    Outsourcing,
    Program,
    Revision,
)
from madoguchi.register.services.access import require_read

MAX_BYTES = 10 * 1024 * 1024  # 10 MB per file
FORMATS = (PDF, JPEG, PNG, XLSX, DOCX)


class EvidenceRejected(BusinessRuleError):
    """Bad evidence input: ``errors`` maps a field name to its message (a form shows each at its field)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    data: bytes


def approved_revision(program: Program) -> Revision | None:
    """The program's newest approved revision (the registration in force), or None."""
    return program.approved_revision()


def applied_measures(revision: Revision) -> QuerySet[ChecklistMeasure]:
    """The measures answered ○ in the revision, in checklist order."""
    ids = ChecklistAnswer.objects.filter(revision=revision, answer=MeasureAnswer.APPLIED).values("measure_id")
    return ChecklistMeasure.objects.filter(pk__in=ids).select_related("template").order_by(
        "template__kind", "side", "aspect", "order", "id")


def recordable_outsourcings(actor: Actor, revision: Revision) -> QuerySet[Outsourcing]:
    """The contracts the actor may record evidence for: every one for the owning department, the
    contractor's own (and its sub-contracts) for a contractor, none for anyone else."""
    qs = Outsourcing.objects.filter(revision=revision).select_related("contractor", "parent__contractor")
    user = actor.user
    if user is None or not user.is_active:
        return qs.none()
    if user.role == Role.DEPARTMENT_STAFF and user.organisation_id == revision.program.department_id:
        return qs
    if user.role in (Role.CONTRACTOR, Role.SUBCONTRACTOR):
        return qs.filter(contractor_id=user.organisation_id)
    return qs.none()


def can_record(actor: Actor, program: Program) -> bool:
    """Whether the actor may record evidence for the program at all."""
    user = actor.user
    if user is None or not user.is_active:
        return False
    if user.role == Role.DEPARTMENT_STAFF:
        return user.organisation_id == program.department_id
    revision = approved_revision(program)
    return revision is not None and recordable_outsourcings(actor, revision).exists()


def _store(program: Program, upload: EvidenceFile) -> tuple[str, str, int]:
    check_upload(upload.name, upload.data, formats=FORMATS, max_bytes=MAX_BYTES)
    folder = Path(settings.MEDIA_ROOT) / "private" / "evidence" / program.code
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    path.write_bytes(upload.data)
    return str(path.relative_to(settings.MEDIA_ROOT)), hashlib.sha256(upload.data).hexdigest(), len(upload.data)


def record_evidence(*, program: Program, kind: str, title: str, happened_on: dt.date,
                    measure_ids: Iterable[int], actor: Actor, outsourcing_id: int | None = None,
                    findings: str = "", follow_up: str = "", follow_up_due: dt.date | None = None,
                    occurred_on: dt.date | None = None, first_reported_on: dt.date | None = None,
                    reported_to_ward_on: dt.date | None = None, upload: EvidenceFile | None = None,
                    today: dt.date | None = None) -> Evidence:
    """Record one piece of evidence for ○ measures of the program's approved registration.

    Returns the stored :class:`Evidence`.  Raises :class:`AccessRefused` when the actor may not record
    for the program (or the given contract) and :class:`EvidenceRejected` with a message per field when
    the input is wrong; nothing is stored then (the file is written only after every check passed, and
    removed again if the transaction fails).
    """
    require_read(actor, program)
    if not can_record(actor, program):
        raise AccessRefused("この事業の証跡を記録する権限がありません。", action="register.evidence",
                            target=program.code, program=program.code)
    today = today or timezone.localdate()
    revision = approved_revision(program)
    errors: dict[str, str] = {}
    if revision is None:
        raise EvidenceRejected({"measures": "承認された登録がないため、証跡を記録できません。"})
    if kind not in EvidenceKind.values:
        errors["kind"] = "証跡の種類を一覧から選んでください。"
    if not title.strip():
        errors["title"] = "件名を入力してください。"
    if happened_on > today:
        errors["happened_on"] = "実施日・作成日に未来の日付は入力できません。"
    ids = sorted({int(i) for i in measure_ids})
    applied = {m.pk: m for m in applied_measures(revision)}
    if not ids:
        errors["measures"] = "証明する対策を1つ以上選んでください。"
    elif unknown := [i for i in ids if i not in applied]:
        errors["measures"] = (f"選んだ対策（{len(unknown)}件）は、この事業の承認された登録で「○」になっていません。"
                              "登録にある対策だけを選んでください。")
    outsourcing = None
    if outsourcing_id is not None:
        allowed = recordable_outsourcings(actor, revision)
        outsourcing = allowed.filter(pk=outsourcing_id).first()
        if outsourcing is None:
            if Outsourcing.objects.filter(pk=outsourcing_id, revision=revision).exists():
                raise AccessRefused("この委託の証跡を記録する権限がありません。", action="register.evidence",
                                    target=program.code, program=program.code)
            errors["outsourcing"] = "対象の委託・再委託は、この事業の承認された登録にあるものを選んでください。"
    elif actor.user is not None and actor.user.role in (Role.CONTRACTOR, Role.SUBCONTRACTOR):
        errors["outsourcing"] = "委託先が記録するときは、自社の委託を選んでください。"
    user_role = actor.user.role if actor.user is not None else ""
    chosen = [applied[i] for i in ids if i in applied]
    if "measures" not in errors and user_role in (Role.CONTRACTOR, Role.SUBCONTRACTOR):
        ward_side = [m for m in chosen if m.side != ChecklistSide.CONTRACTOR]
        if ward_side:
            errors["measures"] = ("委託先が記録できるのは「委託先・結合先に行わせる対策」だけです"
                                  f"（区が行う対策 {len(ward_side)}件が選ばれています）。")
    if "measures" not in errors and kind in EvidenceKind.values:
        wrong = [(m, r) for m in chosen if (r := rule_for(m.key)) is not None and r.kind and r.kind != kind]
        if wrong:
            m, r = wrong[0]
            errors["measures"] = (f"対策「{m.text[:30]}…」の証跡は「{EvidenceKind(r.kind).label}」です。"
                                  "証跡の種類に合う対策を選んでください。")
    if kind in (EvidenceKind.HANDLER_LIST, EvidenceKind.CONTRACTOR_ERASURE) and outsourcing_id is None \
            and "outsourcing" not in errors and Outsourcing.objects.filter(revision=revision).exists():
        errors["outsourcing"] = f"「{EvidenceKind(kind).label}」は、どの委託のものかを選んでください。"
    if kind != EvidenceKind.INCIDENT:
        for field, value in (("occurred_on", occurred_on), ("first_reported_on", first_reported_on),
                             ("reported_to_ward_on", reported_to_ward_on)):
            if value is not None:
                errors[field] = "事故の報告のときだけ入力します。"
    if kind == EvidenceKind.INCIDENT:
        if first_reported_on is None:
            errors["first_reported_on"] = "事故の報告には第一報の日が必要です。"
        if occurred_on is None:
            errors["occurred_on"] = "事故の発生日を入力してください。"
        for field, value in (("occurred_on", occurred_on), ("first_reported_on", first_reported_on),
                             ("reported_to_ward_on", reported_to_ward_on)):
            if value is not None and value > today and field not in errors:
                errors[field] = "未来の日付は入力できません。"
        if occurred_on and first_reported_on and first_reported_on < occurred_on and "first_reported_on" not in errors:
            errors["first_reported_on"] = "第一報の日は事故の発生日より前にできません。"
    if follow_up_due is not None and follow_up_due < happened_on:
        errors["follow_up_due"] = "改善の期限は実施日より後の日にしてください。"
    # (a handler list older than the contract may be recorded: its status then shows it is out of date)
    if outsourcing is not None and "happened_on" not in errors and kind != EvidenceKind.HANDLER_LIST \
            and happened_on < outsourcing.start_date - dt.timedelta(days=30):
        errors["happened_on"] = (f"委託の開始（{format_wareki(outsourcing.start_date)}）より前の日付です。"
                                 "この委託についての証跡の日付を入力してください。")
    if upload is not None and "file" not in errors:
        try:
            check_upload(upload.name, upload.data, formats=FORMATS, max_bytes=MAX_BYTES)
        except BusinessRuleError as exc:
            errors["file"] = str(exc)
    if errors:
        raise EvidenceRejected(errors)
    user = actor.user
    assert user is not None and user.organisation is not None  # can_record holds only for a user in an organisation
    stored: tuple[str, str, int] | None = None
    try:
        with transaction.atomic():
            if upload is not None:
                stored = _store(program, upload)
            evidence = Evidence.objects.create(
                program=program, outsourcing=outsourcing, kind=kind, title=title.strip(), happened_on=happened_on,
                findings=findings.strip(), follow_up=follow_up.strip(), follow_up_due=follow_up_due,
                occurred_on=occurred_on, first_reported_on=first_reported_on,
                reported_to_ward_on=reported_to_ward_on, recorded_by=str(user),
                recorded_by_organisation=user.organisation,
                file_name=upload.name[:200] if upload else "", file_path=stored[0] if stored else "",
                file_sha256=stored[1] if stored else "", file_size=stored[2] if stored else 0)
            evidence.measures.set([applied[i] for i in ids])
            record_access(actor=actor, action=AuditEvent.REGISTER_EVIDENCE, target=f"evidence:{evidence.pk}",
                          program=program.code, purpose=f"証跡の記録（{evidence.get_kind_display()}）")
    except Exception:
        if stored is not None:
            (Path(settings.MEDIA_ROOT) / stored[0]).unlink(missing_ok=True)
        raise
    return evidence


def read_evidence_file(*, evidence: Evidence, actor: Actor) -> bytes:
    """The attached file's bytes, for a reader of the program; the download is written to the access log.
    Raises :class:`AccessRefused` for others and :class:`BusinessRuleError` when there is no file."""
    require_read(actor, evidence.program)
    if not evidence.file_path:
        raise BusinessRuleError("この証跡にはファイルがありません。")
    data = (Path(settings.MEDIA_ROOT) / evidence.file_path).read_bytes()
    record_access(actor=actor, action=AuditEvent.REGISTER_EVIDENCE_VIEW, target=f"evidence:{evidence.pk}",
                  program=evidence.program.code, purpose="証跡ファイルの表示")
    return data
