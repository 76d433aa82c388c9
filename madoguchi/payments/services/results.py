"""Results of a batch: the bank's return file, marking by hand, and account correction of failed items.

Two result formats are accepted (see docs/guide/payments.md):

1. **Zengin format**: the 120-byte layout of the 総合振込 file we sent (header 1, data 2, trailer 8,
   end 9; CP932; any line ending), each data record carrying its **result code at position 112** (the
   振込指定区分 column, as in the 口座振替 result layout).  The item is found by 顧客コード1 (positions
   92–101, which we write as the item's number); amount and account must equal what we sent.
   Result codes: 0 済 / 1 口座なし / 2 口座解約済み / 3 名義相違 / 4 預金者の都合・取引停止 /
   8 依頼人の都合 / 9 その他.
2. **CSV** (UTF-8, UTF-8 with BOM or CP932) with the columns ``顧客コード, 受取人, 金額, 結果`` and
   optionally ``理由``.  結果: 済/振込済/成功/OK/0 → paid; 不能/振込不能/失敗/NG/エラー or a code 1–9 →
   failed (the reason is the 理由 column, else the code's meaning).  受取人 is the holder kana (any
   width) or the payee name.

Every line is checked first; a line naming an item not in the batch, a wrong amount, or a result that
contradicts one already recorded refuses the whole file with every line's error, and nothing changes.
Items not in the file stay pending.  For each settled item :data:`madoguchi.core.payables.payment_settled`
is sent inside the transaction (casework reopens the case for account correction on a failure).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.banking import validate_account
from madoguchi.core.bankkana import BankKanaError, to_bank_kana, truncate
from madoguchi.core.csvio import read_all_rows
from madoguchi.core.errors import BusinessRuleError, ImportRejected, RowError
from madoguchi.core.payables import file_exported, payment_settled
from madoguchi.payments import zengin
from madoguchi.payments.models import BatchStatus, ItemStatus, PaymentBatch, PaymentItem, ResultImport

RESULT_CODES: dict[str, str] = {
    "0": "",
    "1": "該当口座なし",
    "2": "口座解約済み",
    "3": "受取人名義相違",
    "4": "預金者の都合・取引停止",
    "8": "依頼人の都合",
    "9": "その他の理由",
}
PAID_WORDS = {"済", "済み", "振込済", "振込済み", "成功", "OK", "PAID", "0"}
FAILED_WORDS = {"不能", "振込不能", "失敗", "NG", "エラー", "FAILED"}
CSV_REQUIRED = ["顧客コード", "受取人", "金額", "結果"]


@dataclass(frozen=True)
class Outcome:
    line: int
    item_id: int
    paid: bool
    reason: str


def _settleable(batch: PaymentBatch) -> None:
    if batch.status not in (BatchStatus.EXPORTED, BatchStatus.RESULTS_IMPORTED):
        raise BusinessRuleError(f"このバッチは「{batch.get_status_display()}」のため結果を登録できません"
                                "（振込データを作成した後に登録します）。")


def _parse_zengin(data: bytes) -> tuple[list[tuple[int, str, zengin.Data]], list[RowError]]:
    try:
        lines = zengin.split_records(data)
    except zengin.ZenginError as exc:
        return [], [RowError(exc.line, "", exc.reason)]
    out: list[tuple[int, str, zengin.Data]] = []
    errors: list[RowError] = []
    for line, raw in zengin.iter_data(lines):
        try:
            record = zengin.parse_data(raw, line)
        except (zengin.ZenginError, UnicodeDecodeError) as exc:
            errors.append(RowError(line, "", getattr(exc, "reason", "読めない文字があります")))
            continue
        out.append((line, raw[111:112].decode("ascii", errors="replace"), record))
    if not out and not errors:
        errors.append(RowError(0, "", "データ・レコード（データ区分 2）がありません"))
    return out, errors


def _outcomes_zengin(data: bytes, items: dict[int, PaymentItem]) -> tuple[list[Outcome], list[RowError]]:
    records, errors = _parse_zengin(data)
    outcomes: list[Outcome] = []
    for line, code, record in records:
        item = items.get(int(record.customer_code1)) if record.customer_code1.strip().isdigit() else None
        if item is None:
            errors.append(RowError(line, "顧客コード1",
                                   f"このバッチにない明細です（顧客コード {record.customer_code1.strip()}）"))
            continue
        if record.amount != item.amount or record.account_number != item.account_number \
                or record.bank_code != item.bank_code or record.branch_code != item.branch_code:
            errors.append(RowError(line, "振込金額", "金額または口座が、送った振込データと一致しません"))
            continue
        if code not in RESULT_CODES:
            errors.append(RowError(line, "結果コード", f"結果コード「{code}」が分かりません（0〜4, 8, 9）"))
            continue
        outcomes.append(Outcome(line, item.pk, code == "0", RESULT_CODES[code]))
    return outcomes, errors


def _holder_matches(text: str, item: PaymentItem) -> bool:
    if text == item.payee_name or text.replace("　", " ") == item.payee_name.replace("　", " "):
        return True
    try:
        return truncate(to_bank_kana(text), 30) == item.holder_kana
    except BankKanaError:
        return False


def _outcomes_csv(data: bytes, items: dict[int, PaymentItem]) -> tuple[list[Outcome], list[RowError]]:
    _header, rows, errors = read_all_rows(data, required=CSV_REQUIRED, optional=["理由"])
    outcomes: list[Outcome] = []
    for row in rows:
        v = row.values
        code = v["顧客コード"].strip()
        item = items.get(int(code)) if code.isdigit() else None
        if item is None:
            errors.append(RowError(row.line, "顧客コード", f"このバッチにない明細です（顧客コード {code or '空欄'}）"))
            continue
        amount_text = v["金額"].replace(",", "").replace("円", "").strip()
        if not amount_text.isdigit() or int(amount_text) != item.amount:
            errors.append(RowError(row.line, "金額", f"金額が振込データ（{item.amount:,}円）と一致しません"))
            continue
        if not _holder_matches(v["受取人"].strip(), item):
            errors.append(RowError(row.line, "受取人", "受取人が振込データの口座名義と一致しません"))
            continue
        result = v["結果"].strip().upper()
        reason = v.get("理由", "").strip()
        if result in PAID_WORDS:
            outcomes.append(Outcome(row.line, item.pk, True, ""))
        elif result in FAILED_WORDS or result in RESULT_CODES:
            outcomes.append(Outcome(row.line, item.pk, False, reason or RESULT_CODES.get(result, "") or "振込不能"))
        else:
            errors.append(RowError(row.line, "結果", f"結果「{v['結果']}」が分かりません（済 または 不能）"))
    return outcomes, errors


def _check_against_recorded(outcomes: list[Outcome], items: dict[int, PaymentItem]) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[int, int] = {}
    for o in outcomes:
        if o.item_id in seen:
            errors.append(RowError(o.line, "顧客コード", f"同じ明細が{seen[o.item_id]}行目にもあります"))
            continue
        seen[o.item_id] = o.line
        item = items[o.item_id]
        status = ItemStatus.PAID if o.paid else ItemStatus.FAILED
        if item.status != ItemStatus.PENDING and item.status != status:
            errors.append(RowError(o.line, "結果", f"この明細は既に「{item.get_status_display()}」として登録されています"))
    return errors


def _apply(batch: PaymentBatch, outcomes: list[Outcome], items: dict[int, PaymentItem], *, actor: Actor,
           file_format: str, filename: str, sha256: str) -> ResultImport:
    now = timezone.now()
    changed: list[PaymentItem] = []
    for o in outcomes:
        item = items[o.item_id]
        if item.status != ItemStatus.PENDING:
            continue  # the same result again: nothing to do
        item.status = ItemStatus.PAID if o.paid else ItemStatus.FAILED
        item.failure_reason = "" if o.paid else o.reason[:200]
        item.settled_at = now
        changed.append(item)
    PaymentItem.objects.bulk_update(changed, ["status", "failure_reason", "settled_at"], batch_size=500)
    log = ResultImport.objects.create(
        batch=batch, filename=filename[:200], file_format=file_format, sha256=sha256, created_by=actor.user,
        paid_count=sum(1 for i in changed if i.status == ItemStatus.PAID),
        failed_count=sum(1 for i in changed if i.status == ItemStatus.FAILED),
    )
    batch.status = BatchStatus.RESULTS_IMPORTED
    batch.save(update_fields=["status"])
    record_access(actor=actor, action=AuditEvent.PAYMENT_RESULT,
                  residents=[i.resident_id for i in changed if i.resident_id is not None],
                  target=f"payment_batch:{batch.pk}", program=batch.program.code,
                  purpose=f"振込結果の登録（{file_format}）")
    for item in changed:
        payment_settled.send(sender=PaymentItem, source_ref=item.source_ref, paid=item.status == ItemStatus.PAID,
                             reason=item.failure_reason, actor=actor)
    return log


def import_results(*, batch: PaymentBatch, data: bytes, filename: str, actor: Actor) -> ResultImport:
    """Take in the bank's result file (Zengin or CSV).  Raises ImportRejected; then nothing changed."""
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().select_related("program").get(pk=batch.pk)
        _settleable(batch)
        items = {i.pk: i for i in batch.items.all()}
        is_zengin = data[:1] == b"1" and (len(data.split(b"\n", 1)[0].rstrip(b"\r")) == zengin.RECORD_BYTES
                                         or b"\n" not in data[:200])
        file_format = "zengin" if is_zengin else "csv"
        outcomes, errors = (_outcomes_zengin if is_zengin else _outcomes_csv)(data, items)
        errors += _check_against_recorded(outcomes, items)
        if errors:
            raise ImportRejected(sorted(errors, key=lambda e: e.line))
        if not outcomes:
            raise ImportRejected([RowError(0, "", "結果の行がありません")])
        sha = hashlib.sha256(data).hexdigest()
        log = _apply(batch, outcomes, items, actor=actor, file_format=file_format, filename=filename, sha256=sha)
        file_exported.send(sender=ResultImport, program_code=batch.program.code, kind=f"{file_format}_result",
                           filename=filename, sha256=sha, record_count=len(outcomes), actor=actor,
                           items=[f"payment_item:{o.item_id}" for o in outcomes], reissued=False)
    return log


def mark_result(*, item: PaymentItem, paid: bool, reason: str, actor: Actor) -> None:
    """Record one item's result by hand (e.g. from the bank's 振込不能通知 on paper)."""
    if not paid and not reason.strip():
        raise BusinessRuleError("振込不能の理由を入力してください。")
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().select_related("program").get(pk=item.batch_id)
        _settleable(batch)
        item = batch.items.get(pk=item.pk)
        if item.status != ItemStatus.PENDING:
            raise BusinessRuleError(f"この明細は既に「{item.get_status_display()}」です。")
        _apply(batch, [Outcome(0, item.pk, paid, reason.strip())], {item.pk: item}, actor=actor,
               file_format="manual", filename="", sha256="")


def correct_account(*, item: PaymentItem, bank_code: str, branch_code: str, account_type: str,
                    account_number: str, holder_kana: str, actor: Actor) -> PaymentItem:
    """Record the corrected account of a failed item; it goes into the next re-transfer batch.

    Raises :class:`madoguchi.core.banking.AccountError` (field → reason) when the account is not valid.
    """
    account = validate_account(bank_code=bank_code, branch_code=branch_code, account_type=account_type,
                               account_number=account_number, holder_kana=holder_kana)
    with transaction.atomic():
        item = PaymentItem.objects.select_for_update().select_related("program").get(pk=item.pk)
        if item.status != ItemStatus.FAILED:
            raise BusinessRuleError("口座を訂正できるのは振込不能の明細だけです。")
        if PaymentItem.objects.filter(retransfer_of=item).exists():
            raise BusinessRuleError("この明細は既に再振込バッチに入っています。")
        item.corrected_bank_code = account.bank.code
        item.corrected_branch_code = account.branch.code
        item.corrected_account_type = account.account_type
        item.corrected_account_number = account.account_number
        item.corrected_holder_kana = truncate(account.holder_kana, 30)
        item.corrected_at = timezone.now()
        item.save(update_fields=["corrected_bank_code", "corrected_branch_code", "corrected_account_type",
                                 "corrected_account_number", "corrected_holder_kana", "corrected_at"])
        record_access(actor=actor, action=AuditEvent.ACCOUNT_CHANGE,
                      residents=[item.resident_id] if item.resident_id is not None else [],
                      target=f"payment_item:{item.pk}", program=item.program.code, purpose="振込不能の口座訂正")
    return item
