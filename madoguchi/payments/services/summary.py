"""The summary of a batch for the accounting office (会計課): XLSX (every item) and PDF (totals by bank).

Account numbers appear masked (last four digits); the full numbers are only in the Zengin file.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from madoguchi.core.era import format_wareki
from madoguchi.core.sheets import append_row
from madoguchi.payments.models import PaymentBatch, PaymentItem, ZenginFile


@dataclass(frozen=True)
class BankTotal:
    bank_code: str
    bank_name: str
    count: int
    amount: int


def bank_totals(batch: PaymentBatch) -> list[BankTotal]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for code, name, amount in batch.items.order_by("bank_code").values_list("bank_code", "bank_name", "amount"):
        entry = counts[(code, name)]
        entry[0] += 1
        entry[1] += amount
    return [BankTotal(code, name, c, a) for (code, name), (c, a) in sorted(counts.items())]


def _title(batch: PaymentBatch) -> str:
    kind = "再振込" if batch.kind == "retransfer" else "振込"
    return f"{batch.program.name} {kind}集計表（バッチ {batch.pk}）"


def _sha(batch: PaymentBatch) -> str:
    f = ZenginFile.objects.filter(batch=batch).first()
    return f.sha256 if f else "（未作成）"


def summary_xlsx(batch: PaymentBatch) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("振込明細")
    append_row(ws, [_title(batch)])
    append_row(ws, ["振込指定日", format_wareki(batch.transfer_date), "件数", batch.item_count,
               "合計金額", batch.total_amount])
    append_row(ws, ["振込データ SHA-256", _sha(batch)])
    append_row(ws, [])
    append_row(ws, ["No.", "顧客コード", "受取人氏名", "口座名義（カナ）", "金融機関コード", "金融機関名", "支店コード",
               "支店名", "預金種目", "口座番号（下4桁）", "金額", "新規コード", "結果", "不能の理由"])
    items = batch.items.order_by("line_no", "id").only(
        "id", "line_no", "payee_name", "holder_kana", "bank_code", "bank_name", "branch_code", "branch_name",
        "account_type", "account_last4", "amount", "new_code", "status", "failure_reason")
    for item in items.iterator(chunk_size=2000):
        append_row(ws, [item.line_no, item.customer_code, item.payee_name, item.holder_kana, item.bank_code,
                   item.bank_name, item.branch_code, item.branch_name, item.get_account_type_display(),
                   f"***{item.account_last4}", item.amount, item.new_code, item.get_status_display(),
                   item.failure_reason])
    totals = wb.create_sheet("金融機関別")
    append_row(totals, ["金融機関コード", "金融機関名", "件数", "金額"])
    for t in bank_totals(batch):
        append_row(totals, [t.bank_code, t.bank_name, t.count, t.amount])
    append_row(totals, ["", "合計", batch.item_count, batch.total_amount])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def summary_pdf(batch: PaymentBatch) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from madoguchi.core.pdf import markup, register_fonts

    main, gothic, _fallback = register_fonts()
    title_style = ParagraphStyle("title", fontName=gothic, fontSize=14, leading=20)
    body = ParagraphStyle("body", fontName=main, fontSize=10, leading=15)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=_title(batch), author="madoguchi")
    info = [
        ["事業", batch.program.name],
        ["振込指定日", format_wareki(batch.transfer_date)],
        ["種類", batch.get_kind_display()],
        ["件数", f"{batch.item_count:,} 件"],
        ["合計金額", f"{batch.total_amount:,} 円"],
        ["振込データ SHA-256", _sha(batch)],
        ["作成日時", timezone.localtime().strftime("%Y-%m-%d %H:%M")],
    ]
    rows: list[list[str]] = [["金融機関コード", "金融機関名", "件数", "金額（円）"]]
    rows += [[t.bank_code, t.bank_name, f"{t.count:,}", f"{t.amount:,}"] for t in bank_totals(batch)]
    rows.append(["", "合計", f"{batch.item_count:,}", f"{batch.total_amount:,}"])
    style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), main), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
    ])
    info_table = Table([[Paragraph(markup(a), body), Paragraph(markup(b), body)] for a, b in info],
                       colWidths=[40 * mm, 130 * mm])
    info_table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    table = Table(rows, colWidths=[30 * mm, 70 * mm, 25 * mm, 45 * mm], repeatRows=1)
    table.setStyle(style)
    sign = Table([["課長", "係長", "担当", "会計課"], ["", "", "", ""]], colWidths=[25 * mm] * 4,
                 rowHeights=[7 * mm, 18 * mm])
    sign.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), main), ("FONTSIZE", (0, 0), (-1, -1), 9),
                              ("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("ALIGN", (0, 0), (-1, 0), "CENTER")]))
    doc.build([Paragraph(markup(_title(batch)), title_style), Spacer(1, 6 * mm), info_table, Spacer(1, 6 * mm),
               Paragraph("金融機関別の内訳", body), Spacer(1, 2 * mm), table, Spacer(1, 10 * mm), sign])
    return out.getvalue()


def summary_filename(batch: PaymentBatch, ext: str) -> str:
    return f"payment_summary_{batch.program.code}_{batch.pk}.{ext}"


def items_of(batch: PaymentBatch) -> list[PaymentItem]:
    return list(batch.items.order_by("line_no", "id"))
