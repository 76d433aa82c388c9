"""Who may see and do what in casework: derived only from the approved register (register.policy).

- Viewing a program's cases needs a grant on the program; the fields shown are the declared items only
  (:data:`CASE_ITEM_FIELDS`); an undeclared item is *absent* from what :func:`serialize_case` returns.
- Actions need the owner (the department) or a declared task of the contract (:data:`ACTION_TASKS`).
"""

from __future__ import annotations

from typing import Any

from madoguchi.accounts.context import Actor
from madoguchi.casework.models import Case
from madoguchi.core.errors import AccessRefused
from madoguchi.register.policy import OWNER, AccessPolicy, Grant, policy_for, serialize_fields

# catalogue item key → the case's fields (and related lists) it reveals
CASE_ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "name_kana": ("name_kana",),
    "birth_date": ("birth_date",),
    "postal_code": ("postal_code",),
    "address": ("address",),
    "phone": ("phone",),
    "email": ("email",),
    "household_head": ("household_head", "household_relation"),
    "purchase": ("purchases", "purchase_total"),
    "application_amount": ("application_amount",),
    "bank_account": ("bank_name", "bank_code", "branch_name", "branch_code", "account_type",
                     "account_type_display", "account_number", "account_problem"),
    "account_holder": ("account_holder", "account_holder_kana"),
    "pledges": ("pledges", "attachments"),
    "application_date": ("application_date", "applied_at"),
    "case_progress": ("received_on", "reviewed_on", "correction_requested_on", "correction_content",
                      "decided_on", "decision_reason", "events", "assigned_to"),
    "payment_amount": ("granted_amount", "paid_on", "payment_note"),
    "notice_no": ("notices",),
    "inquiry": ("inquiries",),
    "past_grant": ("duplicates",),
}
ALWAYS = ("id", "number", "status", "status_display", "source_display", "program_code", "resident_id")

# action → the outsourcing task that allows it (None: the owning department only)
ACTION_TASKS: dict[str, str | None] = {
    "view": "",
    "intake": "data_entry",
    "review": "review_support",
    "duplicates": "review_support",
    "decide": None,
    "configure": None,
    "account": "data_entry",
    "inquiry": "inquiries",
    "notices": "notices",
}


def require_action(actor: Actor, program_code: str, action: str, *, policy: AccessPolicy | None = None) -> Grant:
    policy = policy or policy_for(actor)
    task = ACTION_TASKS[action]
    if task is None:
        grant = policy.require(program_code)
        if grant.kind != OWNER:
            raise AccessRefused("この操作は事業を所管する課の職員だけが行えます。", program=program_code,
                                action=action)
        return grant
    if action == "notices" and policy.grant_for(program_code, task="printing"):
        return policy.require(program_code, task="printing")
    return policy.require(program_code, task=task or None)


def may(policy: AccessPolicy, program_code: str, action: str) -> bool:
    try:
        require_action(policy.actor, program_code, action, policy=policy)
    except AccessRefused:
        return False
    return True


def visible_items(policy: AccessPolicy, program_code: str) -> frozenset[str]:
    """The declared items, plus ``past_grant`` (the duplicate candidates) for those who check duplicates
    (the department, or a contractor with the review task) and may see names and addresses."""
    items = policy.items_for(program_code)
    if "past_grant" not in items and {"name", "address"} <= items and may(policy, program_code, "duplicates"):
        items = items | {"past_grant"}
    return items


def past_grantees_declared(policy: AccessPolicy, program_code: str) -> bool:
    """Whether the revision in force names past grantees among its persons (個人の範囲): the condition
    under which :func:`~madoguchi.casework.services.duplicates.import_past_grantees` accepts a list."""
    from madoguchi.register.models import Program
    from madoguchi.register.services.scopes import require_declared_scope

    if policy.grant_for(program_code) is None:
        return False
    try:
        require_declared_scope(Program.objects.get(code=program_code), "過去の交付決定者")
    except AccessRefused:
        return False
    return True


def case_record(case: Case, *, with_related: bool = True) -> dict[str, Any]:
    """Every field of a case as plain data (before filtering: never render this directly)."""
    record: dict[str, Any] = {f.name: getattr(case, f.name) for f in Case._meta.concrete_fields
                              if not f.is_relation}
    record.update({
        "status_display": case.get_status_display(),
        "source_display": case.get_source_display(),
        "account_type_display": case.get_account_type_display() if case.account_type else "",
        "program_code": case.program.code,
        "resident_id": case.resident_id,
        "assigned_to": str(case.assigned_to) if case.assigned_to_id else "",
    })
    if with_related:
        purchases = list(case.purchases.all())
        record["purchases"] = purchases
        record["purchase_total"] = sum(p.total for p in purchases)
        record["events"] = list(case.events.all())
        record["notices"] = list(case.notices.all())
        record["inquiries"] = list(case.inquiries.all())
        record["duplicates"] = list(case.duplicate_candidates.select_related("past_grantee", "other_case"))
    return record


def serialize_case(case: Case, items: frozenset[str], *, with_related: bool = True) -> dict[str, Any]:
    """The one serializer of a case: fields of undeclared items are absent."""
    return serialize_fields(case_record(case, with_related=with_related), items, CASE_ITEM_FIELDS, always=ALWAYS)
