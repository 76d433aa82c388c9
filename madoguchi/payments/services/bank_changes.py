"""The ward's list of merged and closed bank/branch codes (issue 19 §6, ADR 0016).

:func:`save_change` / :func:`delete_change` keep the list (department staff and the administrator; each
change is written to the access log); :func:`changes` is the provider registered in
:mod:`madoguchi.core.bankchanges`, cached for :data:`CACHE_SECONDS` (this process sees a change at once).
Accounts are warned about at entry and refused at batch lock (:func:`madoguchi.payments.services.batches.snapshot`).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.bankchanges import CodeChange
from madoguchi.core.banking import AccountError, lookup_bank, lookup_branch, normalise_code
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.payments.models import BankCodeChange, CodeChangeKind

CACHE_SECONDS = 30.0
EDITORS = (Role.ADMINISTRATOR, Role.DEPARTMENT_STAFF)

_lock = threading.Lock()
_cache: dict[str, object] = {"at": -1.0, "rows": ()}


def changes() -> Sequence[CodeChange]:
    """The list as :class:`CodeChange` values (cached)."""
    now = time.monotonic()
    if now - float(_cache["at"]) < CACHE_SECONDS:  # type: ignore[arg-type]
        return _cache["rows"]  # type: ignore[return-value]
    with _lock:
        rows = tuple(CodeChange(r.bank_code, r.branch_code, r.kind, r.effective_date, r.successor_bank_code,
                                r.successor_branch_code, r.note) for r in BankCodeChange.objects.all())
        _cache["rows"] = rows
        _cache["at"] = now
    return rows


def clear_cache() -> None:
    _cache["at"] = -1.0


def check_may_edit(actor: Actor) -> None:
    user = actor.user
    if user is None or not user.is_active or user.role not in EDITORS:
        raise AccessRefused("金融機関コードの統廃合の一覧を変更する権限がありません（システム管理者・担当課職員のみ）。",
                            action="payments.bank_changes")


@dataclass(frozen=True)
class ChangeInput:
    bank_code: str
    branch_code: str
    kind: str
    effective_date: dt.date
    successor_bank_code: str = ""
    successor_branch_code: str = ""
    note: str = ""


def _clean(data: ChangeInput) -> ChangeInput:
    """Codes zero-padded and checked; the successor must be in the master.  Raises BusinessRuleError."""
    bank = normalise_code(data.bank_code, 4)
    branch = normalise_code(data.branch_code, 3) if data.branch_code.strip() else ""
    succ_bank = normalise_code(data.successor_bank_code, 4) if data.successor_bank_code.strip() else ""
    succ_branch = normalise_code(data.successor_branch_code, 3) if data.successor_branch_code.strip() else ""
    problems = []
    if not (len(bank) == 4 and bank.isdigit()):
        problems.append("金融機関コードは4桁の数字です")
    if branch and not (len(branch) == 3 and branch.isdigit()):
        problems.append("支店コードは3桁の数字です（金融機関全体なら空欄）")
    if data.kind not in CodeChangeKind.values:
        problems.append("種別は合併か廃止です")
    if data.kind == CodeChangeKind.MERGED and not succ_bank:
        problems.append("合併の場合は承継先の金融機関コードを入力してください")
    if succ_branch and not succ_bank:
        problems.append("承継先の支店コードには承継先の金融機関コードが必要です")
    if succ_bank and (succ_bank, succ_branch) == (bank, branch):
        problems.append("承継先が元のコードと同じです")
    if succ_bank and not problems:
        try:
            lookup_bank(succ_bank)
            if succ_branch:
                lookup_branch(succ_bank, succ_branch)
        except AccountError as exc:
            problems.extend(f"承継先: {e}" for e in exc.errors.values())
    if problems:
        raise BusinessRuleError("、".join(problems) + "。")
    return ChangeInput(bank, branch, data.kind, data.effective_date, succ_bank, succ_branch, data.note.strip()[:200])


def save_change(*, data: ChangeInput, actor: Actor) -> BankCodeChange:
    """Add or replace the entry of (bank, branch).  Raises AccessRefused or BusinessRuleError."""
    check_may_edit(actor)
    clean = _clean(data)
    with transaction.atomic():
        row, _created = BankCodeChange.objects.update_or_create(
            bank_code=clean.bank_code, branch_code=clean.branch_code,
            defaults={"kind": clean.kind, "effective_date": clean.effective_date,
                      "successor_bank_code": clean.successor_bank_code,
                      "successor_branch_code": clean.successor_branch_code, "note": clean.note,
                      "updated_by": actor.username})
        record_access(actor=actor, action=AuditEvent.BANK_CODE_CHANGE, target=f"bank_code_change:{row.pk}",
                      reason=f"金融機関コードの統廃合を登録: {row}")
        transaction.on_commit(clear_cache)
    clear_cache()
    return row


def delete_change(*, row: BankCodeChange, actor: Actor) -> None:
    check_may_edit(actor)
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.BANK_CODE_CHANGE, target=f"bank_code_change:{row.pk}",
                      reason=f"金融機関コードの統廃合を削除: {row}")
        row.delete()
        transaction.on_commit(clear_cache)
    clear_cache()
