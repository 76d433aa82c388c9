"""Reads for the payments screens, scoped by the access policy."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import AccessRefused
from madoguchi.payments.models import ItemStatus, PaymentBatch, PaymentItem
from madoguchi.payments.services.access import payment_program_codes, require_view
from madoguchi.register.models import Program
from madoguchi.register.policy import AccessPolicy


def visible_programs(actor: Actor) -> list[Program]:
    codes = payment_program_codes(actor)
    if not codes:
        raise AccessRefused("支払の情報を見る権限がありません（事業を所管する課の職員、または振込事務を委託された事業者だけが見られます）。")
    return list(Program.objects.filter(code__in=codes).order_by("code"))


def batches_for(actor: Actor, *, program_code: str = "") -> QuerySet[PaymentBatch]:
    codes = {p.code for p in visible_programs(actor)}
    if program_code:
        codes &= {program_code}
    return (PaymentBatch.objects.filter(program__code__in=codes).select_related("program", "created_by")
            .annotate(failed=Count("items", filter=Q(items__status=ItemStatus.FAILED)),
                      pending=Count("items", filter=Q(items__status=ItemStatus.PENDING)))
            .order_by("-created_at", "-id"))


def batch_for(actor: Actor, pk: int, *, policy: AccessPolicy | None = None) -> PaymentBatch:
    batch = PaymentBatch.objects.select_related("program", "created_by", "locked_by").filter(pk=pk).first()
    if batch is None:
        raise AccessRefused("その支払バッチはありません。", target=f"payment_batch:{pk}")
    require_view(actor, batch.program.code, policy=policy)
    return batch


def item_for(actor: Actor, pk: int) -> PaymentItem:
    item = PaymentItem.objects.select_related("batch", "program").filter(pk=pk).first()
    if item is None:
        raise AccessRefused("その支払明細はありません。", target=f"payment_item:{pk}")
    require_view(actor, item.program.code)
    return item


def failed_items_for(actor: Actor) -> QuerySet[PaymentItem]:
    codes = {p.code for p in visible_programs(actor)}
    return (PaymentItem.objects.filter(program__code__in=codes, status=ItemStatus.FAILED, retransfer__isnull=True)
            .select_related("batch", "program").order_by("program__code", "batch_id", "line_no"))
