"""The seam between the programs that decide payments (casework) and payments itself (ADR 0001).

A higher layer registers a *provider*: a function that, given a program code, returns the items that are
ready to be paid.  Payments reads them when a batch is created and sends :data:`payment_settled` when a
result is known, which the providing layer listens to (e.g. to reopen a case for account correction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.dispatch import Signal

from madoguchi.core.errors import DuplicateRegistration


@dataclass(frozen=True)
class Payable:
    source_ref: str  # stable reference of the deciding record, e.g. "case:123"
    program_code: str
    purpose: str  # what the money is for; one payment per (program, beneficiary, purpose)
    beneficiary_key: str  # who is paid, e.g. the resident number or the case's applicant key
    resident_id: int | None
    payee_name: str
    amount: int  # yen
    bank_code: str
    branch_code: str
    account_type: str  # "1" 普通, "2" 当座, "4" 貯蓄, "9" その他
    account_number: str
    holder_kana: str


Provider = Callable[[str], Iterable[Payable]]
_providers: dict[str, Provider] = {}


def register_provider(program_type: str, provider: Provider) -> None:
    """Register the payables provider of a program type (ADR 0010); a second one for the same type raises
    :class:`~madoguchi.core.errors.DuplicateRegistration`."""
    if program_type in _providers:
        raise DuplicateRegistration(f"a payables provider for {program_type!r} is already registered")
    _providers[program_type] = provider


def payables_for(program_code: str, program_type: str | None = None) -> list[Payable]:
    """The payables of a program: from its type's provider when ``program_type`` is given, else from every
    provider (each filters by the program code)."""
    if program_type is not None:
        provider = _providers.get(program_type)
        return list(provider(program_code)) if provider else []
    items: list[Payable] = []
    for each in _providers.values():
        items.extend(each(program_code))
    return items


# Sent by payments when an item's result is known.
# kwargs: source_ref: str, paid: bool, reason: str, actor: Actor
payment_settled = Signal()

# Sent by payments when a file carrying residents' data leaves the system (a Zengin transfer file, a result
# file taken in).  The hand-over ledger listens to it.
# kwargs: program_code: str, kind: str, filename: str, sha256: str, record_count: int, actor: Actor,
#         items: list[str] (the items' keys: "payment_item:<id>"), reissued: bool (the same bytes again),
#         and for kind "zengin" also batch_id: int, recipient: str (the ward's bank and branch).
# kind: "zengin" (transfer file handed to the bank), "payment_summary_xlsx" / "payment_summary_pdf" (summary
# for the accounting office), "zengin_result" / "csv_result" (the bank's result file taken in).
file_exported = Signal()


def unregister_provider(name: str) -> None:
    _providers.pop(name, None)


# Sent by payments, inside the transaction that creates a batch, with the payables it took.
# kwargs: program_code: str, source_refs: list[str], actor: Actor.  A provider may move its records on
# (casework: 交付決定 → 支払準備中); an exception rolls the batch back.
payables_batched = Signal()
