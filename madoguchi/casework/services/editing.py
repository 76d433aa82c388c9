"""Changing an application's content after intake (e.g. after a correction): same checks as intake,
only before a decision, history and access log in one transaction; the duplicate check runs again."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, CaseEvent, DuplicateCandidate, PurchaseLine, Settlement, Status
from madoguchi.casework.services.access import CASE_ITEM_FIELDS, require_action, visible_items
from madoguchi.casework.services.intake import (
    FIELDS,
    MAX_LINES,
    PLEDGE_PREFIX,
    REQUIRED_FIELDS,
    account_problem,
    parse_application,
)
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from madoguchi.core.gaiji import address_key, kana_key, name_key
from madoguchi.core.text import household_key
from madoguchi.register.policy import policy_for

EDITABLE_STATUSES = (Status.RECEIVED, Status.UNDER_REVIEW, Status.CORRECTION_REQUESTED, Status.RE_REVIEW)
CASE_FIELDS = [k for k in FIELDS if hasattr(Case, k) and k != "response_id"]


def raw_of(case: Case) -> dict[str, str]:
    """The case as form text (to prefill the edit form)."""
    raw: dict[str, str] = {}
    for key in CASE_FIELDS:
        value = getattr(case, key)
        raw[key] = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    for n, line in enumerate(case.purchases.all()[:MAX_LINES], start=1):
        raw.update({f"item_{n}": line.item, f"shop_{n}": line.shop, f"cost_{n}": str(line.cost),
                    f"purchase_date_{n}": line.purchase_date.isoformat() if line.purchase_date else "",
                    f"installation_{n}": "1" if line.installation else "",
                    f"installation_cost_{n}": str(line.installation_cost)})
    raw["attachments"] = ";".join(case.attachments or [])
    for name, agreed in (case.pledges or {}).items():
        raw[PLEDGE_PREFIX + name] = "1" if agreed else ""
    return raw


def form_items() -> frozenset[str]:
    """The catalogue items the application form shows (every one must be declared to edit the whole form)."""
    form_fields = set(CASE_FIELDS) | {"purchases", "pledges", "attachments"}
    return frozenset(item for item, fields in CASE_ITEM_FIELDS.items() if form_fields & set(fields))


def _require_whole_form(actor: Actor, case: Case) -> None:
    policy = policy_for(actor)
    require_action(actor, case.program.code, "intake", policy=policy)
    missing = form_items() - visible_items(policy, case.program.code)
    if missing:
        raise AccessRefused("申請の変更画面には、登録で認められていない項目が含まれます（"
                            + "、".join(sorted(missing)) + "）。", program=case.program.code,
                            target=f"case:{case.pk}")


def open_for_edit(*, actor: Actor, case: Case) -> dict[str, str]:
    """The edit form's values, for an actor who may key in applications and see every item of the form.

    The read is written to the access log like any other view of the case.
    """
    _require_whole_form(actor, case)
    with transaction.atomic():
        values = raw_of(case)
        record_access(actor=actor, action=AuditEvent.CASE_VIEW, target=f"case:{case.pk}",
                      residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                      purpose="申請の変更画面の表示")
    return values


def update_application(*, actor: Actor, case: Case, raw: dict[str, str], note: str = "") -> Case:
    _require_whole_form(actor, case)
    if case.status not in EDITABLE_STATUSES:
        raise BusinessRuleError(f"「{case.get_status_display()}」の申請の内容は変更できません（決定の前だけ変更できます）。")
    app, errors = parse_application(raw, required=tuple(f for f in REQUIRED_FIELDS if f != "response_id"))
    if app is None:
        raise ImportRejected(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("program").get(pk=case.pk)
        changed: list[str] = []
        for key in CASE_FIELDS:
            if key in app.values and getattr(locked, key) != app.values[key]:
                changed.append(str(FIELDS[key]))
                setattr(locked, key, app.values[key])
        if app.pledges != (locked.pledges or {}):
            changed.append("誓約・同意")
            locked.pledges = app.pledges
        if app.attachments != (locked.attachments or []):
            changed.append("添付書類")
            locked.attachments = app.attachments
        old_lines = [(p.item, p.cost, p.installation_cost, p.shop, p.purchase_date, p.installation)
                     for p in locked.purchases.all()]
        new_lines = [(p["item"], p["cost"], p["installation_cost"], p["shop"], p["purchase_date"], p["installation"])
                     for p in app.purchases]
        if old_lines != new_lines:
            changed.append("購入機器")
            locked.purchases.all().delete()
            PurchaseLine.objects.bulk_create([PurchaseLine(case=locked, **p) for p in app.purchases])
        if not changed:
            return locked
        locked.name_key = name_key(locked.name)
        locked.kana_key = kana_key(locked.name_kana) if locked.name_kana else ""
        locked.address_key = address_key(locked.address)
        if not locked.household_key.startswith("hh:"):
            locked.household_key = "addr:" + household_key(locked.address)
        locked.account_problem = account_problem(locked)
        locked.save()
        CaseEvent.objects.create(case=locked, at=timezone.now(), on=timezone.localdate(), actor=actor.username,
                                 organisation=actor.organisation_code,
                                 note=f"申請内容を変更（{'、'.join(changed)}）" + (f" {note}" if note else ""))
        record_access(actor=actor, action=AuditEvent.CASE_CHANGE, target=f"case:{locked.pk}:edit",
                      residents=[locked.resident_id] if locked.resident_id else [], program=locked.program.code,
                      purpose="申請内容の変更")
        if {"氏名", "住所", "生年月日", "氏名フリガナ"} & set(changed):
            from madoguchi.casework.services.duplicates import check_cases

            DuplicateCandidate.objects.filter(case=locked, settlement=Settlement.OPEN).delete()
            check_cases([locked], actor=actor, log=False)
    return locked


def queue_granted(*, actor: Actor, program: Any) -> int:
    """Send every granted case with a valid account to payment (支払準備中); returns how many."""
    from madoguchi.casework.services.transitions import transition

    require_action(actor, program.code, "decide")
    cases = list(Case.objects.filter(program=program, status=Status.GRANTED, account_problem="")
                 .select_related("program"))
    for case in cases:
        transition(case=case, step="queue_payment", actor=actor, note="支払に回す（一括）")
    return len(cases)
