"""Casework's side of payments (through the seam in core.payables; casework never imports payments).

- :func:`granted_payables` is registered as a provider: granted (or queued) cases with a valid account,
  ``source_ref`` ``case:<id>``, purpose ``subsidy``, beneficiary the household (one per household) or the
  applicant.
- :func:`on_payables_batched` listens to ``payables_batched``: the cases a batch took move to 支払準備中.
- :func:`on_payment_settled` listens to ``payment_settled``: paid → 支払済み; failed → 振込不能 (the case
  waits for an account correction, then goes to 再振込待ち).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from madoguchi.accounts.context import Actor
from madoguchi.casework.models import Case, Status
from madoguchi.casework.services.transitions import transition
from madoguchi.core.bankkana import BankKanaError, to_bank_kana
from madoguchi.core.payables import Payable

PURPOSE = "subsidy"
# RETRANSFER cases are offered too: payments never puts a source_ref it has seen into a regular batch
# again, but reads the corrected account from here when it makes a re-transfer batch.
PAYABLE_STATUSES = (Status.GRANTED, Status.QUEUED, Status.RETRANSFER)


def beneficiary_key(case: Case) -> str:
    return case.household_key or f"case:{case.pk}"


def payable_of(case: Case) -> Payable | None:
    if case.account_problem or not case.granted_amount:
        return None
    try:
        holder = to_bank_kana(case.account_holder_kana)
    except BankKanaError:
        return None
    return Payable(source_ref=f"case:{case.pk}", program_code=case.program.code, purpose=PURPOSE,
                   beneficiary_key=beneficiary_key(case), resident_id=case.resident_id, payee_name=case.name,
                   amount=case.granted_amount, bank_code=case.bank_code, branch_code=case.branch_code,
                   account_type=case.account_type or "1", account_number=case.account_number, holder_kana=holder)


def granted_payables(program_code: str) -> Iterator[Payable]:
    cases = (Case.objects.filter(program__code=program_code, status__in=PAYABLE_STATUSES, account_problem="")
             .select_related("program").order_by("number"))
    for case in cases:
        payable = payable_of(case)
        if payable is not None:
            yield payable


def on_payment_settled(sender: Any, *, source_ref: str, paid: bool, reason: str = "", actor: Actor | None = None,
                       **kwargs: Any) -> None:
    if not source_ref.startswith("case:"):
        return
    try:
        case = Case.objects.select_related("program").get(pk=int(source_ref.split(":", 1)[1]))
    except (Case.DoesNotExist, ValueError):
        return
    who = actor or Actor(user=None, address="payments", channel="task")
    if paid:
        if case.status in (Status.QUEUED, Status.GRANTED, Status.RETRANSFER, Status.TRANSFER_FAILED):
            transition(case=case, step="mark_paid", actor=who, system=True, note="振込済み（支払結果）")
    elif case.status in (Status.QUEUED, Status.GRANTED, Status.RETRANSFER, Status.PAID):
        transition(case=case, step="mark_failed", actor=who, system=True, note=reason or "振込不能")


def on_payables_batched(sender: Any, *, program_code: str, source_refs: list[str], actor: Actor | None = None,
                        **kwargs: Any) -> None:
    ids = [int(ref.split(":", 1)[1]) for ref in source_refs if ref.startswith("case:")]
    who = actor or Actor(user=None, address="payments", channel="task")
    for case in Case.objects.filter(pk__in=ids, status=Status.GRANTED).select_related("program"):
        transition(case=case, step="queue_payment", actor=who, system=True, note="支払バッチに入りました")
