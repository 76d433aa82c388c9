"""Exporting a locked batch: the Zengin 総合振込 file (produced once, then returned byte for byte) and the
summary for the accounting office (XLSX with every item, PDF with the totals by bank).

Every export and every download is written to the access log (PAYMENT_EXPORT, with the residents'
ids) in the same transaction, and announced through :data:`madoguchi.core.payables.file_exported` for
the hand-over ledger.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.banking import lookup_bank, lookup_branch
from madoguchi.core.bankkana import to_bank_kana
from madoguchi.core.errors import BusinessRuleError
from madoguchi.core.payables import file_exported
from madoguchi.payments import zengin
from madoguchi.payments.models import BatchStatus, PaymentBatch, PaymentItem, PaymentProfile, ZenginFile


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content: bytes
    sha256: str
    record_count: int
    total_amount: int
    created: bool  # False when an earlier export was returned


def item_key(item_id: int) -> str:
    return f"payment_item:{item_id}"


def build_header(batch: PaymentBatch, profile: PaymentProfile) -> zengin.Header:
    bank = lookup_bank(profile.bank_code)
    branch = lookup_branch(profile.bank_code, profile.branch_code)
    return zengin.Header(
        requester_code=profile.requester_code, requester_name=to_bank_kana(profile.requester_name, extra=profile.extra_symbols),
        transfer_date=batch.transfer_date, bank_code=bank.code, bank_name=bank.kana_half,
        branch_code=branch.code, branch_name=branch.kana_half, account_type=profile.account_type,
        account_number=profile.account_number,
    )


def build_records(items: list[PaymentItem], profile: PaymentProfile) -> list[zengin.Data]:
    return [zengin.Data(
        bank_code=i.bank_code, bank_name=i.bank_kana, branch_code=i.branch_code, branch_name=i.branch_kana,
        account_type=i.account_type, account_number=i.account_number, holder_name=i.holder_kana,
        amount=i.amount, new_code=i.new_code, customer_code1=str(i.pk), designation=profile.designation or " ",
    ) for i in items]


def _recipient(profile: PaymentProfile) -> str:
    bank = lookup_bank(profile.bank_code)
    branch = lookup_branch(profile.bank_code, profile.branch_code)
    return f"{bank.name}（{bank.code}） {branch.name}（{branch.code}）"


def _filename(batch: PaymentBatch) -> str:
    return f"zengin_{batch.program.code}_{batch.pk}_{batch.transfer_date:%Y%m%d}.txt"


def _resident_ids(batch: PaymentBatch) -> list[int]:
    ids = batch.items.exclude(resident_id=None).values_list("resident_id", flat=True)
    return [int(r) for r in ids if r is not None]


def export_batch(*, batch: PaymentBatch, actor: Actor) -> ExportedFile:
    """Produce the Zengin file of a locked batch, or return the one produced before (same bytes)."""
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().select_related("program").get(pk=batch.pk)
        existing = ZenginFile.objects.filter(batch=batch).first()
        created = existing is None
        if existing is None:
            if batch.status != BatchStatus.LOCKED:
                raise BusinessRuleError(f"このバッチは「{batch.get_status_display()}」のため振込データを作れません"
                                        "（先に確定してください）。")
            profile = PaymentProfile.objects.get(program=batch.program)
            items = list(batch.items.order_by("line_no", "id"))
            try:
                content = zengin.write(build_header(batch, profile), build_records(items, profile),
                                       line_ending=profile.line_ending)
            except zengin.ZenginError as exc:
                raise BusinessRuleError(f"振込データを作れません（{exc.line}件目）: {exc.reason}") from exc
            existing = ZenginFile.objects.create(
                batch=batch, filename=_filename(batch), content=base64.b64encode(content).decode("ascii"),
                sha256=hashlib.sha256(content).hexdigest(), size=len(content), record_count=len(items),
                total_amount=sum(i.amount for i in items), line_ending=profile.line_ending, created_by=actor.user,
            )
            batch.status = BatchStatus.EXPORTED
            batch.save(update_fields=["status"])
        else:
            content = base64.b64decode(existing.content)
            if hashlib.sha256(content).hexdigest() != existing.sha256:
                raise BusinessRuleError("保存された振込データが壊れています（SHA-256 が一致しません）。")
        item_ids = list(batch.items.values_list("id", flat=True))
        record_access(actor=actor, action=AuditEvent.PAYMENT_EXPORT, residents=_resident_ids(batch),
                      target=f"payment_batch:{batch.pk}", program=batch.program.code,
                      purpose="全銀振込データの作成" if created else "全銀振込データの再出力")
        profile = PaymentProfile.objects.get(program=batch.program)
        file_exported.send(sender=ZenginFile, program_code=batch.program.code, kind="zengin",
                           filename=existing.filename, sha256=existing.sha256, record_count=existing.record_count,
                           actor=actor, items=[item_key(i) for i in item_ids], reissued=not created,
                           batch_id=batch.pk, recipient=_recipient(profile))
    return ExportedFile(existing.filename, content, existing.sha256, existing.record_count, existing.total_amount,
                        created)


def record_summary_download(*, batch: PaymentBatch, actor: Actor, kind: str, filename: str, content: bytes) -> None:
    """Log a summary download (XLSX/PDF) and announce it to the hand-over ledger."""
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.PAYMENT_EXPORT, residents=_resident_ids(batch),
                      target=f"payment_batch:{batch.pk}", program=batch.program.code,
                      purpose=f"振込の集計表（{kind}）の出力")
        file_exported.send(sender=PaymentBatch, program_code=batch.program.code, kind=f"payment_summary_{kind}",
                           filename=filename, sha256=hashlib.sha256(content).hexdigest(),
                           record_count=batch.item_count, actor=actor,
                           items=[item_key(i) for i in batch.items.values_list("id", flat=True)], reissued=False)
