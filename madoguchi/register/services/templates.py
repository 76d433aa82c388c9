"""Editing the municipality's checklist templates and clause sets (privacy office only).

Answers of existing revisions keep pointing at the same measure; the approved snapshots keep the wording
that was approved.  A measure is retired (``active=False``) rather than deleted.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import BusinessRuleError
from madoguchi.register.models import ChecklistMeasure, ChecklistTemplate, Clause, ClauseSet
from madoguchi.register.services.access import require_template_editor


def _log(actor: Actor, what: str) -> None:
    record_access(actor=actor, action=AuditEvent.REGISTER_CHANGE, target=f"ひな形 {what}"[:200])


@transaction.atomic
def update_measure(*, measure: ChecklistMeasure, text: str, active: bool, actor: Actor) -> ChecklistMeasure:
    require_template_editor(actor)
    if not text.strip():
        raise BusinessRuleError("対策の文を入力してください。")
    measure.text, measure.active = text.strip(), active
    measure.save(update_fields=["text", "active"])
    _log(actor, f"{measure.template.kind} {measure.key}")
    return measure


@transaction.atomic
def add_measure(*, template: ChecklistTemplate, side: str, aspect: str, text: str, actor: Actor) -> ChecklistMeasure:
    require_template_editor(actor)
    if not text.strip():
        raise BusinessRuleError("対策の文を入力してください。")
    last = template.measures.aggregate(m=Max("order"))["m"] or 0
    count = template.measures.count() + 1
    measure = ChecklistMeasure.objects.create(template=template, key=f"{template.kind[:1]}x-{count:03d}", side=side,
                                              aspect=aspect, text=text.strip(), order=last + 10)
    _log(actor, f"{template.kind} {measure.key} 追加")
    return measure


@transaction.atomic
def update_clause(*, clause: Clause, heading: str, text: str, active: bool, actor: Actor) -> Clause:
    require_template_editor(actor)
    if not heading.strip() or not text.strip():
        raise BusinessRuleError("見出しと条文を入力してください。")
    clause.heading, clause.text, clause.active = heading.strip(), text.strip(), active
    clause.save(update_fields=["heading", "text", "active"])
    _log(actor, f"特記事項（{clause.clause_set.party}）{clause.order}")
    return clause


@transaction.atomic
def add_clause(*, clause_set: ClauseSet, heading: str, text: str, actor: Actor) -> Clause:
    require_template_editor(actor)
    if not heading.strip() or not text.strip():
        raise BusinessRuleError("見出しと条文を入力してください。")
    last = clause_set.clauses.aggregate(m=Max("order"))["m"] or 0
    clause = Clause.objects.create(clause_set=clause_set, order=last + 1, heading=heading.strip(), text=text.strip())
    _log(actor, f"特記事項（{clause_set.party}）{clause.order} 追加")
    return clause
