"""Writing a draft registration: the overview, person scopes and items, systems, linkages, the
outsourcing chain, checklist answers and the data flow.  Frozen revisions refuse every change."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import (
    Certification,
    ChecklistAnswer,
    ChecklistKind,
    ChecklistMeasure,
    DataItem,
    FileKind,
    FlowStep,
    Linkage,
    MeasureAnswer,
    Outsourcing,
    PersonScope,
    Program,
    ProgramType,
    RecordedItem,
    Revision,
    System,
)
from madoguchi.register.services.access import require_editable


def _log(actor: Actor, revision: Revision, what: str) -> None:
    record_access(actor=actor, action=AuditEvent.REGISTER_CHANGE, target=f"{revision} {what}"[:200],
                  program=revision.program.code)


def _items(keys: Iterable[str]) -> list[DataItem]:
    keys = list(dict.fromkeys(keys))
    found = {i.key: i for i in DataItem.objects.filter(key__in=keys)}
    missing = [k for k in keys if k not in found]
    if missing:
        raise BusinessRuleError(f"記録項目カタログにない項目です: {'、'.join(missing)}")
    return [found[k] for k in keys]


def applicable_kinds(revision: Revision) -> list[str]:
    kinds = []
    if revision.has_computer_processing:
        kinds.append(ChecklistKind.COMPUTER)
    if revision.has_external_linkage:
        kinds.append(ChecklistKind.LINKAGE)
    if revision.has_outsourcing:
        kinds.append(ChecklistKind.OUTSOURCING)
    return [str(k) for k in kinds]


def sync_answers(revision: Revision) -> None:
    """Give the revision one (empty) answer per active measure of each checklist that applies to it, and
    drop unanswered rows of checklists that no longer apply."""
    kinds = applicable_kinds(revision)
    existing = set(ChecklistAnswer.objects.filter(revision=revision).values_list("measure_id", flat=True))
    measures = ChecklistMeasure.objects.filter(template__kind__in=kinds, active=True).exclude(pk__in=existing)
    ChecklistAnswer.objects.bulk_create([ChecklistAnswer(revision=revision, measure=m) for m in measures])
    ChecklistAnswer.objects.filter(revision=revision).exclude(measure__template__kind__in=kinds).delete()
    ChecklistAnswer.objects.filter(revision=revision, measure__active=False).delete()  # retired by the ward


@transaction.atomic
def create_program(*, code: str, name: str, title: str, actor: Actor, program_type: str = "") -> Program:
    """Create a program of the actor's department with a first draft revision.

    ``program_type`` is one of :class:`~madoguchi.register.models.ProgramType` (ADR 0010); '' leaves it
    unset (older callers).  Raises :class:`AccessRefused` for anyone but department staff and
    :class:`BusinessRuleError` for a code in use or a type not in the fixed list."""
    user = actor.user
    if user is None or user.role != Role.DEPARTMENT_STAFF or user.organisation_id is None:
        raise AccessRefused("事業を登録できるのは担当課の職員だけです。", action="register.create")
    if Program.objects.filter(code=code).exists():
        raise BusinessRuleError(f"事業コード「{code}」は既に使われています。")
    if program_type and program_type not in ProgramType.values:
        raise BusinessRuleError(f"事業類型「{program_type}」はありません。"
                                f"{'、'.join(str(t.label) for t in ProgramType)} から選んでください。")
    program = Program.objects.create(code=code, name=name, department_id=user.organisation_id,
                                     program_type=program_type)
    revision = Revision.objects.create(program=program, number=1, title=title or name, created_by=user)
    record_access(actor=actor, action=AuditEvent.REGISTER_CHANGE, target=f"{revision} 事業の登録", program=code)
    return program


@transaction.atomic
def save_overview(*, revision: Revision, data: dict[str, Any], actor: Actor) -> Revision:
    require_editable(actor, revision)
    for name, value in data.items():
        setattr(revision, name, value)
    revision.save()
    sync_answers(revision)
    _log(actor, revision, "事業の概要")
    return revision


def _save(instance: Model, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)
    instance.save()


@transaction.atomic
def save_scope(*, revision: Revision, name: str, item_keys: Iterable[str], actor: Actor,
               scope: PersonScope | None = None, file_name: str = "", file_kind: str = FileKind.COMPUTER,
               ) -> PersonScope:
    """Create or change a person scope (個人の範囲) of a draft and its recorded items.

    ``item_keys`` are catalogue keys; ``file_name`` names the personal-information file the scope's records
    belong to when it is not the revision's own (blank), ``file_kind`` is 電算処理ファイル or マニュアル処理ファイル
    (個人情報保護法第60条第2項).  Raises :class:`AccessRefused` when the actor may not edit the revision and
    :class:`BusinessRuleError` when the scope belongs to another revision.
    """
    require_editable(actor, revision)
    if scope is None:
        scope = PersonScope(revision=revision, order=revision.scopes.count() + 1)
    elif scope.revision_id != revision.pk:
        raise BusinessRuleError("別の版の個人の範囲です。")
    scope.name = name
    scope.file_name, scope.file_kind = file_name.strip(), file_kind or FileKind.COMPUTER
    scope.save()
    items = _items(item_keys)
    RecordedItem.objects.filter(scope=scope).exclude(item__in=items).delete()
    have = set(RecordedItem.objects.filter(scope=scope).values_list("item_id", flat=True))
    RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=i) for i in items if i.pk not in have])
    _log(actor, revision, f"個人の範囲「{name}」")
    return scope


@transaction.atomic
def save_system(*, revision: Revision, data: dict[str, Any], actor: Actor, system: System | None = None) -> System:
    require_editable(actor, revision)
    system = system or System(revision=revision)
    _save(system, data)
    _log(actor, revision, f"記録するコンピュータ「{system.name}」")
    return system


@transaction.atomic
def save_linkage(*, revision: Revision, data: dict[str, Any], item_keys: Iterable[str], actor: Actor,
                 linkage: Linkage | None = None) -> Linkage:
    require_editable(actor, revision)
    linkage = linkage or Linkage(revision=revision)
    _save(linkage, data)
    linkage.items.set(_items(item_keys))
    _log(actor, revision, f"外部結合「{linkage.counterpart}」")
    return linkage


def _placeholder_contractor(outsourcing: Outsourcing, data: dict[str, Any], *, subcontract: bool) -> Organisation:
    """An organisation without users standing for a contractor to be named later (one per outsourcing, so
    that two such contracts of a revision stay apart in diffs and documents)."""
    current = outsourcing.contractor if outsourcing.pk else None
    note = (data.get("to_be_named_note") or "未定").strip()
    if current is not None and current.code.startswith("tbd-"):
        current.name = f"（{note}）"
        current.save(update_fields=["name"])
        return current
    kind = OrganisationKind.SUBCONTRACTOR if subcontract else OrganisationKind.CONTRACTOR
    return Organisation.objects.create(code=f"tbd-{uuid.uuid4().hex[:12]}", name=f"（{note}）", kind=kind)


@transaction.atomic
def save_outsourcing(*, revision: Revision, data: dict[str, Any], item_keys: Iterable[str], actor: Actor,
                     certifications: Iterable[Certification] = (),
                     outsourcing: Outsourcing | None = None) -> Outsourcing:
    require_editable(actor, revision)
    outsourcing = outsourcing or Outsourcing(revision=revision)
    data = dict(data)
    if data.get("to_be_named"):
        data["contractor"] = _placeholder_contractor(outsourcing, data, subcontract=data.get("parent") is not None)
    elif data.get("contractor") is None:
        raise BusinessRuleError("委託先を選んでください（まだ決まっていないときは「委託先は未定」にします）。")
    else:
        data["to_be_named_note"] = ""
    parent = data.get("parent")
    if parent is not None and parent.revision_id != revision.pk:
        raise BusinessRuleError("再委託元は同じ版の委託から選んでください。")
    if parent is not None and outsourcing.pk and parent.pk == outsourcing.pk:
        raise BusinessRuleError("自分自身を再委託元にはできません。")
    _save(outsourcing, data)
    outsourcing.items.set(_items(item_keys))
    certs = list(certifications)
    if any(c.organisation_id != outsourcing.contractor_id for c in certs):
        raise BusinessRuleError("委託先が取得していない認証は選べません。")
    outsourcing.certifications.set(certs)
    _log(actor, revision, f"{outsourcing}")
    return outsourcing


@transaction.atomic
def save_answers(*, revision: Revision, answers: dict[int, tuple[str, str]], actor: Actor) -> None:
    """``answers`` maps an answer row id to (○ or －, reason)."""
    require_editable(actor, revision)
    rows = {a.pk: a for a in ChecklistAnswer.objects.filter(revision=revision, pk__in=list(answers))}
    for pk, (answer, reason) in answers.items():
        if pk not in rows:
            raise BusinessRuleError("別の版のチェックリストです。")
        if answer not in ("", *MeasureAnswer.values):
            raise BusinessRuleError("回答は「○」又は「－」で選んでください。")
        row = rows[pk]
        row.answer, row.reason = answer, reason.strip()
    ChecklistAnswer.objects.bulk_update(list(rows.values()), ["answer", "reason"])
    _log(actor, revision, "チェックリスト")


@transaction.atomic
def save_flow_step(*, revision: Revision, data: dict[str, Any], item_keys: Iterable[str], actor: Actor,
                   step: FlowStep | None = None) -> FlowStep:
    require_editable(actor, revision)
    step = step or FlowStep(revision=revision)
    flow_no = data.get("flow_no") or 1
    clash = FlowStep.objects.filter(revision=revision, flow_no=flow_no, number=data["number"]).exclude(pk=step.pk)
    if clash.exists():
        where = f"流れ{flow_no}に" if flow_no != 1 else ""
        raise BusinessRuleError(f"{where}番号 {data['number']} の手順は既にあります。")
    data = {**data, "flow_no": flow_no}
    if not data.get("flow_title"):  # a step of a titled flow takes the flow's title
        data["flow_title"] = (FlowStep.objects.filter(revision=revision, flow_no=flow_no).exclude(flow_title="")
                              .values_list("flow_title", flat=True).first() or "")
    _save(step, data)
    step.items.set(_items(item_keys))
    _log(actor, revision, f"個人情報の流れ {step.number}")
    return step


@transaction.atomic
def delete_part(*, revision: Revision, part: Model, actor: Actor) -> None:
    require_editable(actor, revision)
    if getattr(part, "revision_id", None) != revision.pk:
        raise BusinessRuleError("別の版の内容は削除できません。")
    label = str(part)
    part.delete()
    _log(actor, revision, f"削除: {label}")


@transaction.atomic
def add_certification(*, organisation: Organisation, name: str, number: str, valid_from: dt.date,
                      valid_until: dt.date, actor: Actor, program: Program) -> Certification:
    """Department staff record a contractor's certification while registering its outsourcing."""
    from madoguchi.register.services.access import require_author

    require_author(actor, program)
    if valid_from > valid_until:
        raise BusinessRuleError("認証の有効期間の開始日が終了日より後になっています。")
    cert = Certification.objects.create(organisation=organisation, name=name, number=number,
                                        valid_from=valid_from, valid_until=valid_until)
    record_access(actor=actor, action=AuditEvent.REGISTER_CHANGE, target=f"認証 {organisation.code} {name}",
                  program=program.code)
    return cert
