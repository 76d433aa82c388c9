"""What the approved register declares for a hand-over: recipient, task, medium and items.

Only the owning department makes packages here (:func:`require_owner`); the declaration itself is checked
by the register's one enforcement point, ``register.policy.check_handover`` (:func:`_policy_check`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation
from madoguchi.core.errors import AccessRefused
from madoguchi.handover.services.access import require_owner
from madoguchi.register.models import DataItem, Outsourcing, Program, Revision
from madoguchi.register.policy import check_handover, effective_revisions, policy_for


@dataclass(frozen=True)
class DeclaredHandover:
    program: Program
    revision: Revision
    outsourcing: Outsourcing
    recipient: Organisation
    task: str
    medium: str
    items: tuple[str, ...]  # in catalogue order
    return_due: dt.date


def declared_outsourcings(program: Program) -> list[Outsourcing]:
    """Outsourcings of the program's revision in force that hand personal data over (for the form)."""
    revision = effective_revisions().filter(program=program).first()
    if revision is None:
        return []
    return list(
        Outsourcing.objects.filter(revision=revision, hands_over_data=True, parent__isnull=True)
        .select_related("contractor").prefetch_related("items").order_by("id")
    )


def _policy_check(*, actor: Actor, program: Program, recipient: Organisation, task: str, medium: str,
                  items: Sequence[str], on: dt.date) -> DeclaredHandover:
    """The switch point to the register: ``register.policy.check_handover`` answers (and refuses)."""
    found = check_handover(policy_for(actor, on=on), program.code, recipient=recipient.code, medium=medium,
                           items=items, task=task)
    outsourcing = Outsourcing.objects.select_related("contractor").get(pk=found.outsourcing_id)
    revision = Revision.objects.get(pk=found.revision_id)
    order = {key: n for n, key in enumerate(DataItem.objects.order_by("order", "key").values_list("key", flat=True))}
    ordered = tuple(sorted(set(found.items), key=lambda k: (order.get(k, 10**6), k)))
    return DeclaredHandover(program, revision, outsourcing, recipient, task, medium, ordered, found.end)


def check_declared(*, actor: Actor, program: Program, recipient: Organisation, task: str, medium: str,
                   items: Sequence[str], on: dt.date | None = None) -> DeclaredHandover:
    """Refuse (AccessRefused) unless the approved register declares this hand-over; the caller logs it."""
    today = on or timezone.localdate()
    require_owner(actor, program, action="handover.export")
    if not items:
        raise AccessRefused("受け渡す項目を選んでください。", action="handover.export", program=program.code)
    return _policy_check(actor=actor, program=program, recipient=recipient, task=task, medium=medium,
                         items=items, on=today)
