"""Demo registrations of the five seed programs (codes and facts in :mod:`demo_data`).

Each is built as a draft by its department's demo user, passes the pre-submission checks, is submitted and
has the council's decision recorded by the privacy office, through the same services as the screens.
``crime-prevention-subsidy-2026`` also gets a second revision (the past-grantee list) that stays submitted,
so its difference from the approved version shows.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, User
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.defaults import ensure_templates
from madoguchi.register.models import (
    Certification,
    ChecklistAnswer,
    DataItem,
    FlowStep,
    Linkage,
    MeasureAnswer,
    Outsourcing,
    PersonScope,
    Program,
    RecordedItem,
    Revision,
    RevisionStatus,
    System,
)
from madoguchi.register.services import demo_data
from madoguchi.register.services.authoring import sync_answers
from madoguchi.register.services.workflow import approve_revision, start_revision, submit_revision

OVERVIEW = ["title", "purpose", "target_persons", "content", "person_count", "legal_basis", "start_date", "end_date",
            "retention_years", "retention_note", "file_name", "collection_method", "provision", "change_summary",
            "council_name", "agenda_kind"]


def _actor(username: str) -> Actor:
    return Actor.cli(User.objects.get(username=username), purpose="デモデータの作成")


def ensure_certifications(orgs: dict[str, Organisation]) -> dict[str, list[Certification]]:
    result: dict[str, list[Certification]] = {}
    for code, certs in demo_data.CERTIFICATIONS.items():
        rows = []
        for name, number, start, end in certs:
            cert, _ = Certification.objects.get_or_create(
                organisation=orgs[code], name=name, defaults={"number": number, "valid_from": start, "valid_until": end})
            rows.append(cert)
        result[code] = rows
    return result


def fill_revision(revision: Revision, spec: dict[str, Any], orgs: dict[str, Organisation],
                  items: dict[str, DataItem], certs: dict[str, list[Certification]]) -> None:
    """Write the spec into an empty (or freshly copied, then cleared) draft revision."""
    for model in (PersonScope, System, Linkage, FlowStep):
        model.objects.filter(revision=revision).delete()
    Outsourcing.objects.filter(revision=revision, parent__isnull=False).delete()
    Outsourcing.objects.filter(revision=revision).delete()
    for name in OVERVIEW:
        setattr(revision, name, spec.get(name) if spec.get(name) is not None else
                ("" if name not in ("start_date", "end_date", "retention_years") else None))
    revision.agenda_kind = spec.get("agenda_kind") or "付議"
    revision.erase_on_withdrawal = bool(spec.get("erase_on_withdrawal"))
    (revision.has_computer_processing, revision.has_external_linkage, revision.has_outsourcing) = spec["flags"]
    revision.save()
    for order, (scope_name, keys, *extra) in enumerate(spec["scopes"], start=1):
        scope = PersonScope.objects.create(revision=revision, name=scope_name, order=order,
                                           **(extra[0] if extra else {}))
        RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=items[k]) for k in keys])
    for s in spec["systems"]:
        System.objects.create(revision=revision, **{**s, "operator": orgs.get(s["operator"])})
    for link in spec["linkages"]:
        linkage = Linkage.objects.create(revision=revision, **{k: v for k, v in link.items() if k != "items"})
        linkage.items.set([items[k] for k in link["items"]])
    by_contractor: dict[str, Outsourcing] = {}
    for o in spec["outsourcings"]:
        note = o.get("to_be_named_note", "")
        contractor = orgs[o["contractor"]] if o["contractor"] else Organisation.objects.get_or_create(
            code=f"tbd-{spec['code']}"[:64], defaults={"name": f"（{note}）", "kind": "subcontractor"})[0]
        row = Outsourcing.objects.create(
            revision=revision, contractor=contractor,
            parent=by_contractor[o["parent"]] if o["parent"] else None,
            media=o["media"], tasks=o["tasks"], task_description=o["task_description"], reason=o["reason"],
            start_date=o["start_date"], end_date=o["end_date"], hands_over_data=o.get("hands_over_data", True),
            to_be_named=not o["contractor"], to_be_named_note=note, measures_text=o.get("measures_text", ""))
        row.items.set([items[k] for k in o["items"]])
        row.certifications.set(certs.get(o["contractor"], []))
        by_contractor[o["contractor"]] = row
    for number, sk, source, tk, target, keys, medium, note, *flow in spec["flow"]:
        flow_no, flow_title = flow if flow else (1, "")
        step = FlowStep.objects.create(revision=revision, number=number, source_kind=sk, source=source,
                                       target_kind=tk, target=target, medium=medium, note=note,
                                       flow_no=flow_no, flow_title=flow_title)
        step.items.set([items[k] for k in keys])
    sync_answers(revision)
    reasons = demo_data.NOT_NEEDED.get(spec["code"], {})
    if spec["code"] == "crime-prevention-subsidy-2026" and revision.number == 2:
        reasons = {k: v for k, v in reasons.items() if k != "ow-op-06"}  # the list is handed over encrypted now
    for answer in ChecklistAnswer.objects.filter(revision=revision).select_related("measure"):
        reason = reasons.get(answer.measure.key, "")
        answer.answer = MeasureAnswer.NOT_NEEDED if reason else MeasureAnswer.APPLIED
        answer.reason = reason
        answer.save(update_fields=["answer", "reason"])


def build_program(spec: dict[str, Any], orgs: dict[str, Organisation], items: dict[str, DataItem],
                  certs: dict[str, list[Certification]]) -> Program:
    program, _ = Program.objects.update_or_create(
        code=spec["code"], defaults={"name": spec["name"], "department": orgs[spec["department"]],
                                     "program_type": spec["program_type"]})
    author = _actor(spec["author"])
    revision = Revision.objects.create(program=program, number=1, title=spec["title"], created_by=author.user)
    fill_revision(revision, spec, orgs, items, certs)
    submit_revision(revision=revision, actor=author)
    decided_on, meeting, kind = spec["decision"]
    approve_revision(revision=revision, decided_on=decided_on, meeting=meeting, kind=kind, actor=_actor("hogo"))
    return program


@transaction.atomic
def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    items = ensure_catalogue()
    ensure_templates()
    orgs = {o.code: o for o in Organisation.objects.all()}
    certs = ensure_certifications(orgs)
    specs = [demo_data.crime(1), demo_data.tax(), demo_data.health(), demo_data.child(), demo_data.coming_of_age()]
    for spec in specs:
        if Program.objects.filter(code=spec["code"], revisions__status=RevisionStatus.APPROVED).exists():
            continue
        Program.objects.filter(code=spec["code"]).delete()
        build_program(spec, orgs, items, certs)
        stdout.write(f"  事業を登録しました: {spec['code']}")
    crime = Program.objects.get(code="crime-prevention-subsidy-2026")
    if not crime.revisions.filter(number=2).exists():
        author = _actor("tanto")
        draft = start_revision(crime, actor=author)
        fill_revision(draft, demo_data.crime(2), orgs, items, certs)
        submit_revision(revision=draft, actor=author)
        stdout.write("  防犯機器等購入緊急補助事業の第2版（過去の交付決定者リストの追加）を提出しました。")
