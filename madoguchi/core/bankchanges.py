"""Merged and closed financial-institution and branch codes, on top of the zengin-code master (issue 19 §6).

The master (``zengin_code``) is a snapshot: an institution merged into another keeps its code in it until
the package is updated, and some never disappear from old copies.  An account at such a code passes
:func:`madoguchi.core.banking.validate_account` and comes back 振込不能.  The ward keeps a list of the changes
(``payments.BankCodeChange``: code, branch or the whole institution, merged or closed, the date, the
successor) and this module reads it through a registered provider (the layer rule: core reads no tables).

- :func:`change_for` — the change that applies to a bank (and branch) on a day (a branch entry wins over the
  institution's);
- :func:`entry_warnings` — what the person typing an account is told (also for a change still to come);
- :func:`refusal` — why a payment on a transfer day cannot go to that code, with the successor proposed.

Example (JA merger of 2025-04-01): 3647 岩沼市農協 → 3636 仙台農協.  ADR 0016.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from madoguchi.core.banking import AccountError, lookup_bank, lookup_branch

MERGED = "merged"
CLOSED = "closed"


@dataclass(frozen=True)
class CodeChange:
    bank_code: str  # 4 digits
    branch_code: str  # 3 digits, or "" for the whole institution
    kind: str  # MERGED or CLOSED
    effective: dt.date  # the first day the old code can no longer be paid to
    successor_bank_code: str = ""  # "" when closed without a successor
    successor_branch_code: str = ""  # "" = the branch code is to be confirmed with the account holder
    note: str = ""


Provider = Callable[[], Sequence[CodeChange]]
_provider: list[Provider] = []


def set_provider(provider: Provider | None) -> None:
    """Register the function returning the ward's list (payments registers it), or clear it."""
    _provider[:] = [provider] if provider is not None else []


def _changes() -> Sequence[CodeChange]:
    return _provider[0]() if _provider else ()


def change_for(bank_code: str, branch_code: str, *, on: dt.date | None = None) -> CodeChange | None:
    """The change in force for bank/branch on ``on`` (any date when None), branch entry first."""
    found: CodeChange | None = None
    for change in _changes():
        if change.bank_code != bank_code or (on is not None and change.effective > on):
            continue
        if change.branch_code == branch_code:
            return change
        if change.branch_code == "" and found is None:
            found = change
    return found


def _bank_label(code: str) -> str:
    try:
        return f"{code}（{lookup_bank(code).name}）"
    except AccountError:
        return code


def _branch_label(bank_code: str, branch_code: str) -> str:
    try:
        return f"{bank_code}-{branch_code}（{lookup_bank(bank_code).name} {lookup_branch(bank_code, branch_code).name}）"
    except AccountError:
        return f"{bank_code}-{branch_code}"


def successor_text(change: CodeChange, branch_code: str = "") -> str:
    """The proposed successor: '3636-002（仙台農協 長町）', or the institution '3636（仙台農協）' ('' if closed)."""
    if not change.successor_bank_code:
        return ""
    if change.successor_branch_code:
        return _branch_label(change.successor_bank_code, change.successor_branch_code)
    return _bank_label(change.successor_bank_code)


_CONFIRM_BRANCH = "（支店コードは口座の名義人に確認してください）"


def _what(change: CodeChange, bank_code: str, branch_code: str) -> str:
    return _branch_label(bank_code, branch_code) if change.branch_code else _bank_label(bank_code)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def describe(change: CodeChange, bank_code: str, branch_code: str, *, today: dt.date) -> str:
    """One sentence for staff: what happened (or will happen) to the code and what replaces it."""
    what = _what(change, bank_code, branch_code)
    past = change.effective <= today
    if change.kind == CLOSED or not change.successor_bank_code:
        verb = "廃止されました" if past else "廃止されます"
        return f"{what} は {_day(change.effective)}に{verb}。"
    verb = "合併しました" if past else "合併します"
    return f"{what} は {_day(change.effective)}に {successor_text(change, branch_code)} へ{verb}。"


def entry_warnings(bank_code: str, branch_code: str, *, today: dt.date) -> list[str]:
    """Warnings for the person entering an account (merged or closed code, or one about to be)."""
    change = change_for(bank_code, branch_code)
    if change is None:
        return []
    text = describe(change, bank_code, branch_code, today=today)
    if change.effective <= today:
        confirm = _CONFIRM_BRANCH if change.successor_bank_code and not change.successor_branch_code else ""
        return [text + f"この口座には振り込めません。新しい金融機関・支店の口座を確認してください{confirm}。"]
    return [text + "振込日がそれ以降になる場合は、新しい口座を確認してください。"]


def refusal(bank_code: str, branch_code: str, *, transfer_date: dt.date) -> str:
    """Why a payment on ``transfer_date`` to this code is refused ('' when it may go), successor proposed."""
    change = change_for(bank_code, branch_code, on=transfer_date)
    if change is None:
        return ""
    text = describe(change, bank_code, branch_code, today=transfer_date)
    proposal = successor_text(change, branch_code)
    if proposal:
        confirm = "" if change.successor_branch_code else _CONFIRM_BRANCH
        return text + f"振込先を {proposal} の口座に訂正してください{confirm}。"
    return text + "振込先の口座を訂正してください。"
