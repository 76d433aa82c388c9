"""Payment batches: create (draft) → lock (snapshot) → … → close; re-transfer batches for failed items.

Items come from the providers registered in :mod:`madoguchi.core.payables` (ADR 0001): payments never
imports the layers that decide payments.  Creating a batch takes every payable of the program that has
no item yet.  Two operators creating batches at the same moment are serialised by a row lock on the
program's :class:`PaymentProfile`; should anything slip past it, the partial unique constraints on
:class:`PaymentItem` refuse the second insert and the whole creation is rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core import bankchanges
from madoguchi.core.banking import AccountError, validate_account
from madoguchi.core.bankkana import truncate
from madoguchi.core.calendar import is_bank_business_day, next_bank_business_day
from madoguchi.core.errors import BusinessRuleError
from madoguchi.core.payables import Payable, payables_batched, payables_for
from madoguchi.payments.models import (
    BatchKind,
    BatchStatus,
    ItemStatus,
    NewCode,
    PaymentBatch,
    PaymentItem,
    PaymentProfile,
)
from madoguchi.payments.zengin import MAX_AMOUNT
from madoguchi.register.models import Program

SNAPSHOT_FIELDS = ["resident_id", "payee_name", "bank_code", "bank_name", "bank_kana", "branch_code",
                   "branch_name", "branch_kana", "account_type", "account_number", "account_last4",
                   "holder_kana", "amount", "beneficiary_key", "purpose"]


def _ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class NotBusinessDay(BusinessRuleError):
    def __init__(self, day: dt.date, proposed: dt.date) -> None:
        super().__init__(f"{_ymd(day)}は銀行の休業日のため振込指定日にできません。次の営業日は {_ymd(proposed)} です。")
        self.day = day
        self.proposed = proposed


@dataclass(frozen=True)
class ItemProblem:
    source_ref: str
    payee_name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source_ref}（{self.payee_name}）: {self.reason}"


class PayablesRejected(BusinessRuleError):
    """Some payables cannot be paid as they are; nothing was created or changed."""

    def __init__(self, problems: list[ItemProblem], *, action: str = "作成") -> None:
        head = f"{len(problems)}件の支払に誤りがあるため、バッチを{action}しませんでした（何も変更していません）。"
        super().__init__(head + "\n" + "\n".join(str(p) for p in problems[:200]))
        self.problems = problems


class BatchConflict(BusinessRuleError):
    pass


@dataclass
class CreateResult:
    batch: PaymentBatch
    skipped: list[ItemProblem] = field(default_factory=list)


def check_transfer_date(day: dt.date, *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if day < today:
        raise BusinessRuleError(f"振込指定日（{_ymd(day)}）が過ぎています。")
    if not is_bank_business_day(day):
        raise NotBusinessDay(day, next_bank_business_day(day))


def _profile(program: Program, *, lock: bool) -> PaymentProfile:
    qs = PaymentProfile.objects.select_related("program")
    if lock:
        qs = qs.select_for_update()
    try:
        return qs.get(program=program)
    except PaymentProfile.DoesNotExist as exc:
        raise BusinessRuleError(f"事業「{program.name}」の振込依頼人（委託者コード・口座）が設定されていません。") from exc


def snapshot(payable: Payable, profile: PaymentProfile, *, transfer_date: dt.date | None = None) -> dict[str, object]:
    """The validated fields of an item for a payable; raises ValueError with a Japanese reason.

    With ``transfer_date``, an account at a bank or branch code merged or closed by that day (the ward's
    list, :mod:`madoguchi.core.bankchanges`; issue 19 §6) is refused with the successor proposed."""
    if not isinstance(payable.amount, int) or not 1 <= payable.amount <= MAX_AMOUNT:
        raise ValueError(f"金額は1円から{MAX_AMOUNT:,}円（10桁）までです（{payable.amount}円）")
    if not payable.beneficiary_key or not payable.purpose:
        raise ValueError("受取人キーと支払の目的が必要です")
    try:
        account = validate_account(bank_code=payable.bank_code, branch_code=payable.branch_code,
                                   account_type=payable.account_type, account_number=payable.account_number,
                                   holder_kana=payable.holder_kana, extra_symbols=profile.extra_symbols)
    except AccountError as exc:
        raise ValueError("、".join(exc.errors.values())) from exc
    if transfer_date is not None:
        refused = bankchanges.refusal(account.bank.code, account.branch.code, transfer_date=transfer_date)
        if refused:
            raise ValueError(refused)
    return {
        "resident_id": payable.resident_id, "payee_name": payable.payee_name[:200],
        "bank_code": account.bank.code, "bank_name": account.bank.name, "bank_kana": truncate(account.bank.kana_half, 15),
        "branch_code": account.branch.code, "branch_name": account.branch.name,
        "branch_kana": truncate(account.branch.kana_half, 15), "account_type": account.account_type,
        "account_number": account.account_number, "account_last4": account.account_number[-4:],
        "holder_kana": truncate(account.holder_kana, 30), "amount": payable.amount,
        "beneficiary_key": payable.beneficiary_key, "purpose": payable.purpose,
    }


def _bulk_insert(items: list[PaymentItem]) -> None:
    try:
        with transaction.atomic():
            PaymentItem.objects.bulk_create(items, batch_size=1000)
    except IntegrityError as exc:
        raise BatchConflict("同じ支払を含むバッチが同時に作成されたか、既に支払予定・支払済みの受取人が含まれています。"
                            "一覧を更新してから、もう一度作成してください（何も変更していません）。") from exc


def _refresh_totals(batch: PaymentBatch) -> None:
    agg = batch.items.aggregate(total=Sum("amount"))
    batch.item_count = batch.items.count()
    batch.total_amount = int(agg["total"] or 0)


def _resident_ids(items: Iterable[PaymentItem]) -> list[int]:
    return [i.resident_id for i in items if i.resident_id is not None]


def create_batch(*, program: Program, transfer_date: dt.date, actor: Actor, skip_invalid: bool = False) -> CreateResult:
    """A draft batch of every payable of the program that is not in any batch yet.

    Payables that cannot be paid (unknown bank, bad account number, name not in bank kana, amount out of
    range, a beneficiary already paid for this purpose) refuse the whole batch with every problem listed,
    unless ``skip_invalid``: then they are left out and returned in ``skipped``.
    """
    check_transfer_date(transfer_date)
    with transaction.atomic():
        profile = _profile(program, lock=True)  # serialises batch creation per program
        existing = PaymentItem.objects.filter(program=program)
        taken = set(existing.values_list("source_ref", flat=True))
        live = set(existing.exclude(status=ItemStatus.FAILED).values_list("beneficiary_key", "purpose"))
        problems: list[ItemProblem] = []
        rows: list[dict[str, object]] = []
        seen_refs: set[str] = set()
        for payable in payables_for(program.code, program.program_type):
            if payable.program_code != program.code or payable.source_ref in taken:
                continue
            key = (payable.beneficiary_key, payable.purpose)
            if payable.source_ref in seen_refs:
                problems.append(ItemProblem(payable.source_ref, payable.payee_name, "同じ支払根拠が二度あります"))
                continue
            if key in live:
                problems.append(ItemProblem(payable.source_ref, payable.payee_name,
                                            "この受取人には同じ目的の支払が既にあります（二重払いになります）"))
                continue
            try:
                row = snapshot(payable, profile, transfer_date=transfer_date)
            except ValueError as exc:
                problems.append(ItemProblem(payable.source_ref, payable.payee_name, str(exc)))
                continue
            seen_refs.add(payable.source_ref)
            live.add(key)
            row["source_ref"] = payable.source_ref
            rows.append(row)
        if problems and not skip_invalid:
            raise PayablesRejected(problems)
        if not rows:
            raise BusinessRuleError("バッチに入れる支払がありません（支払対象はすべて他のバッチに入っています）。")
        batch = PaymentBatch.objects.create(program=program, transfer_date=transfer_date, created_by=actor.user,
                                            kind=BatchKind.REGULAR)
        items = [PaymentItem(batch=batch, program=program, line_no=n, new_code=NewCode.OTHER, **row)  # type: ignore[arg-type]
                 for n, row in enumerate(rows, start=1)]
        _bulk_insert(items)
        batch.item_count = len(items)
        batch.total_amount = sum(i.amount for i in items)
        batch.save(update_fields=["item_count", "total_amount"])
        record_access(actor=actor, action=AuditEvent.PAYMENT_BATCH, residents=_resident_ids(items),
                      target=f"payment_batch:{batch.pk}", program=program.code, purpose="支払バッチの作成")
        payables_batched.send(sender=PaymentBatch, program_code=program.code,
                              source_refs=[i.source_ref for i in items], actor=actor)
    return CreateResult(batch, problems)


def _locked_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().select_related("program").get(pk=batch.pk)


def lock_batch(*, batch: PaymentBatch, actor: Actor) -> list[ItemProblem]:
    """Take the snapshot and freeze the batch.  Returns the items dropped because their payable is gone.

    Each item of a regular batch is refreshed from its payable as it is now (a corrected account or
    amount is taken); an item whose payable is no longer offered (case withdrawn) is dropped.  Any item
    that cannot be paid refuses the lock with every problem listed; nothing changes.
    """
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.DRAFT:
            raise BusinessRuleError(f"このバッチは「{batch.get_status_display()}」のため確定できません。")
        profile = _profile(batch.program, lock=False)
        current = {p.source_ref: p for p in payables_for(batch.program.code, batch.program.program_type)
                   if p.program_code == batch.program.code}
        items = list(batch.items.all())
        dropped: list[ItemProblem] = []
        problems: list[ItemProblem] = []
        changed: list[PaymentItem] = []
        for item in items:
            if item.retransfer_of_id is not None:
                continue  # a re-transfer's account is the correction, fixed when the batch was made
            payable = current.get(item.source_ref)
            if payable is None:
                dropped.append(ItemProblem(item.source_ref, item.payee_name, "支払対象でなくなったため外しました"))
                continue
            try:
                row = snapshot(payable, profile)
            except ValueError as exc:
                problems.append(ItemProblem(item.source_ref, item.payee_name, str(exc)))
                continue
            if any(getattr(item, k) != v for k, v in row.items()):
                for k, v in row.items():
                    setattr(item, k, v)
                changed.append(item)
        # merged or closed bank/branch codes on the transfer day (the ward's list; issue 19 §6), re-transfers too
        drop_refs = {d.source_ref for d in dropped}
        for item in items:
            refused = "" if item.source_ref in drop_refs else bankchanges.refusal(
                item.bank_code, item.branch_code, transfer_date=batch.transfer_date)
            if refused:
                problems.append(ItemProblem(item.source_ref, item.payee_name, refused))
        if problems:
            raise PayablesRejected(problems, action="確定")
        if drop_refs:
            batch.items.filter(source_ref__in=drop_refs).delete()
        if changed:
            try:
                with transaction.atomic():
                    PaymentItem.objects.bulk_update(changed, SNAPSHOT_FIELDS, batch_size=500)
            except IntegrityError as exc:
                raise BatchConflict("確定しようとした支払が、他のバッチの支払と重複しています（何も変更していません）。") from exc
        _refresh_totals(batch)
        if batch.item_count == 0:
            raise BusinessRuleError("支払が1件もないため確定できません。バッチを破棄してください。")
        batch.status = BatchStatus.LOCKED
        batch.locked_by = actor.user
        batch.locked_at = timezone.now()
        batch.save(update_fields=["status", "locked_by", "locked_at", "item_count", "total_amount"])
        record_access(actor=actor, action=AuditEvent.PAYMENT_BATCH, residents=_resident_ids(items),
                      target=f"payment_batch:{batch.pk}", program=batch.program.code, purpose="支払バッチの確定")
    return dropped


def remove_item(*, item: PaymentItem, actor: Actor) -> None:
    """Take one item out of a draft batch (it becomes available for a later batch)."""
    with transaction.atomic():
        batch = _locked_batch(item.batch)
        if batch.status != BatchStatus.DRAFT:
            raise BusinessRuleError("確定したバッチの明細は外せません。")
        PaymentItem.objects.filter(pk=item.pk, batch=batch).delete()
        _refresh_totals(batch)
        batch.save(update_fields=["item_count", "total_amount"])
        record_access(actor=actor, action=AuditEvent.PAYMENT_BATCH, residents=_resident_ids([item]),
                      target=f"payment_item:{item.pk}", program=batch.program.code, purpose="明細をバッチから外す")


def discard_batch(*, batch: PaymentBatch, actor: Actor) -> None:
    """Delete a draft batch; its payables become available again."""
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status != BatchStatus.DRAFT:
            raise BusinessRuleError("確定したバッチは破棄できません。")
        ids = list(batch.items.exclude(resident_id=None).values_list("resident_id", flat=True))
        record_access(actor=actor, action=AuditEvent.PAYMENT_BATCH, residents=[int(i) for i in ids if i is not None],
                      target=f"payment_batch:{batch.pk}", program=batch.program.code, purpose="支払バッチの破棄")
        batch.items.all().delete()
        batch.delete()


def close_batch(*, batch: PaymentBatch, actor: Actor) -> None:
    with transaction.atomic():
        batch = _locked_batch(batch)
        if batch.status not in (BatchStatus.EXPORTED, BatchStatus.RESULTS_IMPORTED):
            raise BusinessRuleError(f"このバッチは「{batch.get_status_display()}」のため完了にできません。")
        pending = batch.items.filter(status=ItemStatus.PENDING).count()
        if pending:
            raise BusinessRuleError(f"結果が分からない明細が{pending}件あるため完了にできません。")
        batch.status = BatchStatus.CLOSED
        batch.closed_at = timezone.now()
        batch.save(update_fields=["status", "closed_at"])
        record_access(actor=actor, action=AuditEvent.PAYMENT_BATCH, target=f"payment_batch:{batch.pk}",
                      program=batch.program.code, purpose="支払バッチの完了")


# --- re-transfers ---------------------------------------------------------------------------------

def awaiting_correction(program: Program) -> list[PaymentItem]:
    """Failed items not yet re-transferred (with or without an account correction)."""
    return list(PaymentItem.objects.filter(program=program, status=ItemStatus.FAILED, retransfer__isnull=True)
                .select_related("batch").order_by("batch_id", "line_no"))


ACCOUNT_FIELDS = ("bank_code", "branch_code", "account_type", "account_number", "holder_kana")


def _retransfer_accounts(program: Program, failed: list[PaymentItem], profile: PaymentProfile,
                         ) -> tuple[dict[int, dict[str, object]], list[ItemProblem]]:
    """The account each failed item is re-transferred to: the correction recorded here, else the payable as
    its provider offers it now when its account differs from the failed one (corrected in casework)."""
    current = {p.source_ref: p for p in payables_for(program.code, program.program_type) if p.program_code == program.code}
    accounts: dict[int, dict[str, object]] = {}
    problems: list[ItemProblem] = []
    for old in failed:
        if old.has_correction:
            accounts[old.pk] = _corrected_account(old)
            continue
        payable = current.get(old.source_ref)
        if payable is None:
            continue
        try:
            row = snapshot(payable, profile)
        except ValueError as exc:
            problems.append(ItemProblem(old.source_ref, old.payee_name, str(exc)))
            continue
        if any(row[f] != getattr(old, f) for f in ACCOUNT_FIELDS):
            accounts[old.pk] = {k: v for k, v in row.items() if k not in ("amount", "beneficiary_key", "purpose")}
    return accounts, problems


def create_retransfer_batch(*, program: Program, transfer_date: dt.date, actor: Actor) -> PaymentBatch:
    """A batch (新規コード 2 変更分) of every failed item whose account has been corrected."""
    check_transfer_date(transfer_date)
    with transaction.atomic():
        profile = _profile(program, lock=True)
        accounts, problems = _retransfer_accounts(program, awaiting_correction(program), profile)
        if problems:
            raise PayablesRejected(problems)
        failed = [i for i in awaiting_correction(program) if i.pk in accounts]
        if not failed:
            raise BusinessRuleError("口座を訂正した振込不能の明細がありません（先に口座を訂正してください）。")
        batch = PaymentBatch.objects.create(program=program, transfer_date=transfer_date, created_by=actor.user,
                                            kind=BatchKind.RETRANSFER)
        items = []
        for n, old in enumerate(failed, start=1):
            fields = {f: getattr(old, f) for f in SNAPSHOT_FIELDS}
            fields.update(accounts[old.pk])
            items.append(PaymentItem(batch=batch, program=program, source_ref=old.source_ref, line_no=n,
                                     new_code=NewCode.CHANGED, retransfer_of=old, **fields))  # type: ignore[arg-type]
        _bulk_insert(items)
        _refresh_totals(batch)
        batch.save(update_fields=["item_count", "total_amount"])
        record_access(actor=actor, action=AuditEvent.PAYMENT_BATCH, residents=_resident_ids(items),
                      target=f"payment_batch:{batch.pk}", program=program.code, purpose="再振込バッチの作成")
    return batch


def _corrected_account(item: PaymentItem) -> dict[str, object]:
    account = validate_account(bank_code=item.corrected_bank_code, branch_code=item.corrected_branch_code,
                               account_type=item.corrected_account_type,
                               account_number=item.corrected_account_number, holder_kana=item.corrected_holder_kana)
    return {"bank_code": account.bank.code, "bank_name": account.bank.name, "bank_kana": truncate(account.bank.kana_half, 15),
            "branch_code": account.branch.code, "branch_name": account.branch.name,
            "branch_kana": truncate(account.branch.kana_half, 15), "account_type": account.account_type,
            "account_number": account.account_number, "account_last4": account.account_number[-4:],
            "holder_kana": truncate(account.holder_kana, 30)}
