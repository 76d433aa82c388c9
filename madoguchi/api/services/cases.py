"""Cases (申請・案件) of any program through the API, by program code, under the access policy (ADR 0013).

Generic over program types: a program is named by its code; a type without cases answers an empty page.
What a caller sees of a case is the declaration of its organisation (:func:`visible_items`), and what
the API adds on top of the one case serializer (:func:`serialize_case`) is cut by the same items:

- ``status`` is absent without ``case_progress``; without ``payment_amount`` the payment states (支払準備中,
  支払済み, 振込不能, 再振込待ち, 完了) are shown as 交付決定, so no payment result leaks through a badge
  (issue 16 item 1);
- the history's free-text notes (which may say 交付決定 15,000円 or name an account) are given only to a
  caller who sees every item a note may reveal (:data:`NOTE_ITEMS`); otherwise each event has its date and
  its (cut) states only, and a step that the cut turns into 交付決定 → 交付決定 (a payment step) is left out;
- duplicate candidates and their counts only with ``past_grant``.

A case id that does not exist, or that belongs to another program, or that the caller may not see, is
refused with the same words (403, logged): no existence oracle (issue 16 item 9).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, Status
from madoguchi.casework.selectors import list_cases
from madoguchi.casework.services.access import require_action, serialize_case, visible_items
from madoguchi.core.errors import AccessRefused, BusinessRuleError, hidden_object
from madoguchi.register.models import Program
from madoguchi.register.policy import AccessPolicy

PER_PAGE_MAX = 100
PAYMENT_STATES = frozenset({Status.QUEUED, Status.PAID, Status.TRANSFER_FAILED, Status.RETRANSFER, Status.CLOSED})
# A history note may mention the decision, the amount and the account: only for those who see all of them.
NOTE_ITEMS = frozenset({"case_progress", "payment_amount", "bank_account", "account_holder"})
STATUS_FIELDS = ("status", "status_display")


def _program(policy: AccessPolicy, program_code: str) -> Program:
    """The program, when the caller may view its cases; the same refusal whether it exists or not."""
    require_action(policy.actor, program_code, "view", policy=policy)
    grant = policy.grant_for(program_code)
    assert grant is not None  # require_action refused otherwise
    return Program.objects.get(pk=grant.program_id)


def shown_status(status: str, items: frozenset[str]) -> str | None:
    """The state the caller may see: None without ``case_progress``; payment states as 交付決定 without
    ``payment_amount``."""
    if "case_progress" not in items:
        return None
    if status in PAYMENT_STATES and "payment_amount" not in items:
        return str(Status.GRANTED)
    return status


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _cut_status(row: dict[str, Any], status: str, items: frozenset[str]) -> None:
    shown = shown_status(status, items)
    for name in STATUS_FIELDS:
        row.pop(name, None)
    if shown is not None:
        row["status"] = shown
        row["status_display"] = str(Status(shown).label)


def _related(value: Any, items: frozenset[str]) -> Any:
    """Model rows of a case's related lists as plain data (only the fields that the item reveals)."""
    from madoguchi.casework.models import CaseEvent, DuplicateCandidate, Inquiry, Notice, PurchaseLine

    if isinstance(value, PurchaseLine):
        return {"item": value.item, "purchase_date": value.purchase_date, "shop": value.shop, "cost": value.cost,
                "installation": value.installation, "installation_cost": value.installation_cost}
    if isinstance(value, CaseEvent):
        event: dict[str, Any] = {"on": value.on}
        for key in ("from_status", "to_status"):
            state = getattr(value, key)
            event[key] = (shown_status(state, items) or "") if state else ""
        if items >= NOTE_ITEMS:
            event["note"] = value.note
        return event
    if isinstance(value, Notice):
        return {"kind": value.kind, "number": value.number, "issued_on": value.issued_on}
    if isinstance(value, Inquiry):
        return {"at": value.at, "channel": value.channel, "caller": value.caller, "question": value.question,
                "answer": value.answer}
    if isinstance(value, DuplicateCandidate):
        return {"kind": value.kind, "score": value.score, "verdict": value.verdict,
                "settlement": value.settlement, "other_case_id": value.other_case_id}
    return value


def api_case(data: dict[str, Any], status: str, items: frozenset[str]) -> dict[str, Any]:
    """One serialized case made JSON-safe and cut for the API (status and history as described above)."""
    row: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list) and key not in ("pledges", "attachments"):  # related rows; those two are JSON
            value = [_related(v, items) for v in value]
        row[key] = value
    if "events" in row:
        # a step between two payment states, cut to 交付決定 → 交付決定, would still tell that a payment happened
        row["events"] = [e for e in row["events"] if not e["from_status"] or e["from_status"] != e["to_status"]]
    _cut_status(row, status, items)
    if "past_grant" not in items:
        row.pop("open_candidates", None)
        row.pop("duplicates", None)
    return _jsonable(row)  # type: ignore[no-any-return]


def list_program_cases(*, policy: AccessPolicy, program_code: str, status: str = "", page: int = 1,
                       per_page: int = 50) -> dict[str, Any]:
    """A page of the program's cases with only the declared items; logged (CASE_LIST) with the residents listed.

    ``status`` filters by a state code; filtering by a state the caller may not see (no ``case_progress``, or a
    payment state without ``payment_amount``) is refused, since the filter alone would reveal it.
    Returns ``{"program", "page", "per_page", "total", "pages", "items": [case, …]}``.
    """
    program = _program(policy, program_code)
    items = visible_items(policy, program_code)
    if status:
        if status not in Status.values:
            raise BusinessRuleError(f"状態「{status}」はありません。使える状態: {', '.join(Status.values)}")
        if shown_status(status, items) != status:
            raise AccessRefused(f"状態「{Status(status).label}」で絞り込む権限がありません（登録で認められていない項目です）。",
                                program=program_code, target=f"cases:{program_code}:status={status}")
    per_page = max(1, min(per_page, PER_PAGE_MAX))
    result = list_cases(policy.actor, program, status=status, page=page, per_page=per_page)
    rows = [api_case(r, str(r.get("status", "")), items) for r in result.rows]  # the serializer always has status
    return {"program": program_code, "page": result.page, "per_page": per_page, "total": result.total,
            "pages": result.pages, "items": rows}


def view_program_case(*, policy: AccessPolicy, program_code: str, case_id: int) -> dict[str, Any]:
    """One case of the program with only the declared items; logged (CASE_VIEW).

    A case that does not exist or belongs to another program is refused exactly like one the caller may not
    see (:func:`madoguchi.core.errors.hidden_object`).
    """
    try:
        program = _program(policy, program_code)
    except AccessRefused as exc:
        raise hidden_object("申請", f"case:{case_id}", program=exc.program) from None
    case = (Case.objects.select_related("program", "resident", "assigned_to")
            .filter(program=program, pk=case_id).first())
    if case is None:
        raise hidden_object("申請", f"case:{case_id}", program=program_code)
    items = visible_items(policy, program_code)
    data = api_case(serialize_case(case, items), case.status, items)
    with transaction.atomic():
        record_access(actor=policy.actor, action=AuditEvent.CASE_VIEW, target=f"case:{case.pk}",
                      residents=[case.resident_id] if case.resident_id else [], program=program_code,
                      purpose="申請の表示（API）")
    return data  # type: ignore[no-any-return]
