"""Looking up an object by id on a screen: one rule for every object that carries residents' data (ADR 0013).

An id that names nothing and an id the user may not see answer the same: 403 with the same words, logged
(by :class:`madoguchi.web.middleware.AccessRefusedMiddleware`).  A 404 for the one and a 403 for the other
would let anyone learn which ids exist (issue 16 item 9).  The API follows the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from madoguchi.accounts.context import Actor
from madoguchi.casework.models import Case
from madoguchi.casework.services.access import may
from madoguchi.core.errors import hidden_object
from madoguchi.register.policy import policy_for

M = TypeVar("M", bound=Model)


def visible_or_refuse(request: HttpRequest, queryset: QuerySet[M], pk: int, *, what: str, target: str,
                      program_of: Callable[[M], str], action: str = "view") -> M:
    """The object ``pk`` of ``queryset`` when the user may ``action`` in its program; else the one refusal.

    ``program_of`` gives the object's program code; ``what`` names the kind in Japanese for the message;
    ``target`` (e.g. ``case:12``) goes to the log only.
    """
    obj = queryset.filter(pk=pk).first()
    code = program_of(obj) if obj is not None else ""
    if obj is None or not may(policy_for(Actor.from_request(request)), code, action):
        raise hidden_object(what, target, program=code)
    return obj


def visible_case(request: HttpRequest, pk: int) -> Case:
    """The case ``pk`` when the user may view its program's cases; otherwise the one refusal (403, logged)."""
    return visible_or_refuse(request, Case.objects.select_related("program"), pk, what="申請", target=f"case:{pk}",
                             program_of=lambda c: c.program.code)
