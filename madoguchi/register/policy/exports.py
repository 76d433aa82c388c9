"""What may leave madoguchi: export columns and hand-over packages, checked against the declarations.

Both functions refuse with :class:`AccessRefused` (the caller's layer logs it) and never narrow a request
silently: an export that asks for an undeclared item is refused as a whole, so nobody is surprised by a
file that lacks a column they thought they had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import AccessRefused
from madoguchi.register.catalogue import CATALOGUE
from madoguchi.register.models import Medium, Outsourcing, Task
from madoguchi.register.policy.grants import OWNER, AccessPolicy, policy_for

ITEM_NAMES: dict[str, str] = {key: name for key, name, _c, _s in CATALOGUE}


def item_label(key: str) -> str:
    return ITEM_NAMES.get(key, key)


def _as_policy(policy_or_actor: AccessPolicy | Actor) -> AccessPolicy:
    return policy_or_actor if isinstance(policy_or_actor, AccessPolicy) else policy_for(policy_or_actor)


def _dedupe(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(str(k) for k in keys))


def export_columns(policy: AccessPolicy | Actor, program_code: str, requested: Iterable[str], *,
                   task: str | None = None) -> list[str]:
    """The item keys an export of ``program_code`` may contain: ``requested`` (in order, without duplicates).

    Refuses (AccessRefused) when the actor's organisation has no declaration in force for the program (for
    ``task``, if given), or when any requested item is not declared for it.  Owners may export the items
    the revision records; contractors only the items of their outsourcing (a sub-contractor's narrower list).
    """
    pol = _as_policy(policy)
    columns = _dedupe(requested)
    grants = pol.grants_for(program_code, task=task)
    if not grants:
        if task and pol.grants_for(program_code):
            raise AccessRefused(f"業務「{Task(task).label if task in Task.values else task}」は委託の登録に"
                                "含まれていません。", action="export", program=program_code)
        raise AccessRefused(pol.refusal_reason(program_code), action="export", program=program_code)
    allowed: set[str] = set()
    for g in grants:
        allowed |= g.items
    undeclared = [c for c in columns if c not in allowed]
    if undeclared:
        names = "、".join(item_label(c) for c in undeclared)
        raise AccessRefused(f"項目「{names}」は、この組織への登録（承認済み）に含まれていないため出力できません。",
                            action="export", program=program_code, target=",".join(undeclared)[:200])
    return columns


@dataclass(frozen=True)
class HandoverDeclaration:
    """The approved declaration that allows one hand-over (write its revision into the ledger)."""

    program_code: str
    revision_id: int
    revision_number: int
    decided_on: dt.date | None
    meeting: str
    outsourcing_id: int
    recipient_code: str
    recipient_name: str
    medium: str
    items: tuple[str, ...]
    tasks: tuple[str, ...]
    start: dt.date
    end: dt.date


def check_handover(policy: AccessPolicy | Actor, program_code: str, *, recipient: str, medium: str,
                   items: Iterable[str], task: str | None = None) -> HandoverDeclaration:
    """Check a hand-over package of ``program_code`` against the approved revision in force.

    ``recipient`` is the receiving organisation's code, ``medium`` a :class:`Medium` value (``"cd_r"``,
    ``"electronic"`` …), ``items`` catalogue item keys, ``task`` an optional :class:`Task` value.

    Who may hand over: the owning department, to a contractor declared in the revision; a contractor, to a
    sub-contractor declared under its own outsourcing.  The recipient's declaration must be in its period
    today, hand personal data over at all, list the medium (and the task), and declare every item (a
    sub-contractor's items are also bounded by its contractor's).  Returns the declaration; refuses
    (AccessRefused, naming what is missing) otherwise.
    """
    pol = _as_policy(policy)
    wanted = _dedupe(items)
    grants = pol.grants_for(program_code)
    if not grants:
        raise AccessRefused(pol.refusal_reason(program_code), action="handover", program=program_code)
    owner = next((g for g in grants if g.kind == OWNER), None)
    qs = Outsourcing.objects.select_related("contractor", "revision", "parent").defer(
        "revision__snapshot").prefetch_related("items", "parent__items")
    if owner is not None:
        qs = qs.filter(revision_id=owner.revision_id)
    else:
        qs = qs.filter(parent_id__in=[g.outsourcing_id for g in grants if g.outsourcing_id])
    candidates = [o for o in qs if o.contractor.code == recipient]
    if not candidates:
        raise AccessRefused(f"受渡先「{recipient}」は、事業「{program_code}」の承認された登録に"
                            "委託先として記載されていません。", action="handover", program=program_code,
                            target=recipient)
    problems: list[str] = []
    for o in candidates:
        problem = _handover_problem(o, medium=medium, items=wanted, task=task, on=pol.on)
        if problem is None:
            return HandoverDeclaration(
                program_code, o.revision_id, o.revision.number, o.revision.decided_on, o.revision.meeting,
                o.pk, o.contractor.code, o.contractor.name, medium, tuple(wanted), tuple(o.tasks or ()),
                max(o.start_date, o.parent.start_date) if o.parent else o.start_date,
                min(o.end_date, o.parent.end_date) if o.parent else o.end_date,
            )
        problems.append(problem)
    raise AccessRefused(problems[0], action="handover", program=program_code, target=recipient)


def _handover_problem(o: Outsourcing, *, medium: str, items: list[str], task: str | None,
                      on: dt.date) -> str | None:
    start, end = o.start_date, o.end_date
    declared = {i.key for i in o.items.all()}
    if o.parent is not None:
        start, end = max(start, o.parent.start_date), min(end, o.parent.end_date)
        declared &= {i.key for i in o.parent.items.all()}
    if o.to_be_named:
        return ("登録では委託先が未定です。委託先を記載した登録の変更が審議会で承認されるまで、"
                "個人情報を引き渡せません。")
    if not o.hands_over_data:
        return f"登録では、{o.contractor.name}には個人情報を引き渡さないことになっています。"
    if not start <= on <= end:
        return f"{o.contractor.name}への委託期間（{start}〜{end}）外のため、引き渡せません。"
    if medium not in (o.media or ()):
        label = Medium(medium).label if medium in Medium.values else medium
        return f"媒体「{label}」は、{o.contractor.name}への委託の登録に含まれていません。"
    if task and task not in (o.tasks or ()):
        label = Task(task).label if task in Task.values else task
        return f"業務「{label}」は、{o.contractor.name}への委託の登録に含まれていません。"
    undeclared = [i for i in items if i not in declared]
    if undeclared:
        names = "、".join(item_label(i) for i in undeclared)
        return f"項目「{names}」は、{o.contractor.name}に引き渡す項目として登録されていません。"
    if not items:
        return "引き渡す項目が指定されていません。"
    return None
