"""PDFs of the hand-over area (ReportLab, embedded IPAex fonts; ADR 0002): the password notice
(パスワード通知書) and the erasure certificate (消去証明書).  Wording is madoguchi's own; a municipality
edits it here."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from madoguchi.core.era import format_wareki
from madoguchi.core.pdf import GOTHIC, MAIN, draw_string, register_fonts
from madoguchi.handover.models import ErasureRecord, PackageJob
from madoguchi.handover.services.packing import format_password
from madoguchi.register.models import Medium

WIDTH, HEIGHT = A4
LEFT = 25 * mm
RIGHT = WIDTH - 25 * mm


def _wrap(text: str, size: float, width: float, font: str = MAIN) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if pdfmetrics.stringWidth(line + ch, font, size) > width and line:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


class _Page:
    def __init__(self, title: str) -> None:
        register_fonts()
        self.buf = io.BytesIO()
        self.c = rl_canvas.Canvas(self.buf, pagesize=A4, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor(settings.MUNICIPALITY_NAME)
        self.y = HEIGHT - 25 * mm

    def text(self, text: str, size: float = 10.5, *, font: str = MAIN, x: float = LEFT, gap: float = 1.6,
             right: bool = False, center: bool = False) -> None:
        for line in _wrap(text, size, RIGHT - x, font):
            if self.y < 25 * mm:
                self.c.showPage()
                self.y = HEIGHT - 25 * mm
            width = pdfmetrics.stringWidth(line, font, size)
            start = RIGHT - width if right else (WIDTH - width) / 2 if center else x
            draw_string(self.c, start, self.y, line, size, font)
            self.y -= size * gap

    def space(self, amount: float = 6) -> None:
        self.y -= amount * mm

    def row(self, label: str, value: str, size: float = 10.5) -> None:
        draw_string(self.c, LEFT, self.y, label, size, GOTHIC)
        saved = self.y
        lines = _wrap(value, size, RIGHT - LEFT - 45 * mm)
        for line in lines:
            draw_string(self.c, LEFT + 45 * mm, self.y, line, size)
            self.y -= size * 1.6
        if self.y == saved:
            self.y -= size * 1.6

    def pdf(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def render_password_notice(job: PackageJob) -> bytes:
    page = _Page("パスワード通知書")
    handed = timezone.localtime(job.finished_at) if job.finished_at else timezone.localtime()
    page.text(format_wareki(handed.date()), right=True)
    page.space(4)
    page.text(f"{job.recipient.name}　御中", 12)
    page.space(2)
    page.text(f"{settings.MUNICIPALITY_NAME}　{job.program.department.name}", right=True)
    page.space(10)
    page.text("パスワード通知書", 18, font=GOTHIC, center=True)
    page.space(8)
    page.text("お渡しする電磁的記録媒体の暗号化ファイルを開くためのパスワードを通知します。"
              "本通知書は媒体とは別の機会に、鍵付きカバン等で手渡しします。"
              "媒体と同じ場所に保管せず、作業完了後は媒体とともに返却してください。")
    page.space(6)
    entry = getattr(job, "ledger_entry", None)
    page.row("管理簿番号", str(entry.pk) if entry else "—")
    page.row("事業", job.program.name)
    page.row("情報の内容", job.purpose)
    page.row("ファイル名", job.file_name)
    page.row("件数", f"{job.progress_done:,} 件")
    page.row("媒体", f"{dict(Medium.choices).get(job.medium, job.medium)}　{job.medium_label}".strip())
    page.row("SHA-256", job.sha256[:32])
    page.row("", job.sha256[32:])
    page.space(8)
    page.text("パスワード", 12, font=GOTHIC)
    page.space(2)
    page.c.setFont("Courier-Bold", 20)
    page.c.drawString(LEFT + 10 * mm, page.y, format_password(job.password))
    page.y -= 12 * mm
    page.text("※ 4文字ごとの空白は読みやすくするためのもので、入力しません。"
              "英字の大文字・小文字を区別します（0/O、1/l/I は使っていません）。", 9)
    page.space(10)
    page.text("受領確認　　受領日：　　　年　　月　　日　　受領者：＿＿＿＿＿＿＿＿＿＿＿＿＿＿", 10.5)
    return page.pdf()


def render_erasure_certificate(record: ErasureRecord) -> bytes:
    page = _Page("消去証明書")
    finished = timezone.localtime(record.finished_at or record.started_at)
    page.text(f"証明書番号　{record.certificate_no}", right=True)
    page.text(format_wareki(finished.date()), right=True)
    page.space(10)
    page.text("消去証明書", 20, font=GOTHIC, center=True)
    page.space(10)
    page.text("下記の事業で保有していた個人情報を、承認された登録に定める保存期間等に基づき、"
              "下記のとおり消去したことを証明します。消去したデータは復元できません。")
    page.space(6)
    page.text("記", 12, center=True)
    page.space(4)
    page.row("事業", f"{record.program_name}（{record.program_code}）")
    page.row("消去の区分", record.get_scope_display())
    page.row("理由", record.reason)
    page.row("消去方法", record.method)
    page.row("消去日時", finished.strftime("%Y-%m-%d %H:%M"))
    page.row("依頼者", record.requested_by_name)
    page.row("承認者", record.approved_by_name)
    page.row("実施者", record.executed_by_name)
    page.space(4)
    page.text("消去した情報", 11, font=GOTHIC)
    for row in record.counts:
        page.row(f"　{row.get('label', row.get('kind'))}", f"{int(row.get('count', 0)):,} 件")
    page.row("　合計", f"{record.total:,} 件")
    page.space(6)
    page.text("消去の事実（日時・件数・承認者）はアクセスログおよび消去記録として引き続き保存します。", 9)
    page.space(10)
    page.text(f"{settings.MUNICIPALITY_HEAD}", 12, right=True)
    return page.pdf()
