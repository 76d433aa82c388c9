"""The access policy, derived from the approved register (ADR 0003).

This package is the one enforcement point for residents' data: every page, API call and export asks it
which programs, items and residents an actor may see, and is refused with :class:`AccessRefused` otherwise.

- Department staff: the programs their department owns whose newest decided revision is approved; all
  recorded items of that revision; the residents taking part in those programs.
- Contractors and sub-contractors: the outsourcings declared for their organisation in revisions in force,
  only during the declared period (a sub-contractor's also within its contractor's); only the declared
  items (a sub-contractor's bounded by its contractor's), tasks and media; only residents who take part
  in those programs.
- A withdrawn or superseded registration grants nothing; nor does a draft or a submitted one.
- Privacy office, auditors, administrators: no residents' data, unless opened by break glass
  (:mod:`madoguchi.register.services.break_glass`), one resident for a short time, with a reason.
- A role bound to registered terminals gets nothing from any other address.
"""

from madoguchi.register.policy.exports import (
    HandoverDeclaration,
    check_handover,
    export_columns,
    item_label,
)
from madoguchi.register.policy.grants import (
    CONTRACT,
    OWNER,
    SUBCONTRACT,
    AccessPolicy,
    BreakGlassAccess,
    Grant,
    break_glass_minutes,
    break_glass_roles,
    effective_revisions,
    forget_request_policy,
    policy_for,
    policy_for_request,
)
from madoguchi.register.policy.residents import (
    MASTER_ITEMS,
    RESIDENT_ITEM_FIELDS,
    VisibleResident,
    items_for_residents,
    open_resident,
    resident_queryset,
    serialize_fields,
    serialize_resident,
    serialize_residents,
    visible_resident_items,
)

__all__ = [
    "CONTRACT",
    "MASTER_ITEMS",
    "OWNER",
    "RESIDENT_ITEM_FIELDS",
    "SUBCONTRACT",
    "AccessPolicy",
    "BreakGlassAccess",
    "Grant",
    "HandoverDeclaration",
    "VisibleResident",
    "break_glass_minutes",
    "break_glass_roles",
    "check_handover",
    "effective_revisions",
    "export_columns",
    "forget_request_policy",
    "item_label",
    "items_for_residents",
    "open_resident",
    "policy_for",
    "policy_for_request",
    "resident_queryset",
    "serialize_fields",
    "serialize_resident",
    "serialize_residents",
    "visible_resident_items",
]
