"""Notices (交付決定通知書, 不交付決定通知書, 補正依頼書): A4 PDFs with embedded fonts (ReportLab, ADR 0002).

Wording comes from :class:`NoticeTemplate` rows that staff edit (Django template language).  A notice
keeps its document number when reprinted.  Batches render into one multi-page PDF as a job with progress.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, JobStatus, Notice, NoticeJob, NoticeKind, NoticeTemplate, Status
from madoguchi.casework.services.access import require_action
from madoguchi.core.era import fiscal_year_wareki, format_wareki
from madoguchi.core.errors import BusinessRuleError
from madoguchi.core.jobs.runner import JobFailed, Progress
from madoguchi.core.jobs.runner import run_job as run_job_now
from madoguchi.core.jobs.tasks import enqueue
from madoguchi.core.pdf import MAIN, draw_string, register_fonts
from madoguchi.register.models import Program

KIND_STATUSES: dict[str, tuple[str, ...]] = {
    NoticeKind.GRANT: (Status.GRANTED, Status.QUEUED, Status.PAID, Status.TRANSFER_FAILED, Status.RETRANSFER,
                       Status.CLOSED),
    NoticeKind.REFUSAL: (Status.NOT_GRANTED, Status.CLOSED),
    NoticeKind.CORRECTION: (Status.CORRECTION_REQUESTED,),
}
APPEAL_DEFAULT = (
    "1　この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、"
    "{{ head }}に対して審査請求をすることができます。\n"
    "2　この決定の取消しを求める訴えは、この決定があったことを知った日の翌日から起算して6か月以内に、"
    "{{ municipality }}を被告として（訴訟において{{ municipality }}を代表する者は{{ head }}となります。）"
    "提起することができます。"
)
DEFAULTS: dict[str, dict[str, str]] = {
    NoticeKind.GRANT: {
        "form_label": "第3号様式（第7条関係）",
        "title": "{{ fiscal_year }}{{ subsidy_name }}交付決定通知書",
        "body": "{{ application_date }}付けで申請のあった{{ subsidy_name }}について、"
                "下記のとおり交付することに決定したので通知します。",
        "record": "1　交付決定額　　金{{ amount }}円\n2　補助対象経費　{{ cost }}円\n"
                  "3　補助の内容　　{{ items }}\n4　振込予定口座　{{ bank }}",
        "appeal": APPEAL_DEFAULT,
    },
    NoticeKind.REFUSAL: {
        "form_label": "第4号様式（第7条関係）",
        "title": "{{ fiscal_year }}{{ subsidy_name }}不交付決定通知書",
        "body": "{{ application_date }}付けで申請のあった{{ subsidy_name }}について、"
                "下記の理由により交付しないことに決定したので通知します。",
        "record": "不交付の理由\n{{ reason }}",
        "appeal": APPEAL_DEFAULT,
    },
    NoticeKind.CORRECTION: {
        "form_label": "第5号様式（第6条関係）",
        "title": "{{ subsidy_name }}交付申請書の補正について（依頼）",
        "body": "{{ application_date }}付けで申請のあった{{ subsidy_name }}について、"
                "下記の事項について補正を求めます。{{ deadline }}までに提出してください。",
        "record": "補正の内容\n{{ correction }}",
        "appeal": "",
    },
}
_ENGINE = Engine(autoescape=False)


def template_for(program: Program, kind: str) -> NoticeTemplate:
    tpl = NoticeTemplate.objects.filter(program=program, kind=kind).first()
    if tpl is None:
        d = DEFAULTS[kind]
        tpl = NoticeTemplate(program=program, kind=kind, form_label=d["form_label"], title=d["title"],
                             body=d["body"], record=d["record"], appeal=d["appeal"])
    return tpl


def ensure_templates(program: Program) -> None:
    for kind in NoticeKind.values:
        if not NoticeTemplate.objects.filter(program=program, kind=kind).exists():
            template_for(program, kind).save()


def save_template(*, actor: Actor, template: NoticeTemplate, values: dict[str, str]) -> NoticeTemplate:
    require_action(actor, template.program.code, "configure")
    for key in ("title", "body", "record", "appeal"):
        try:
            _ENGINE.from_string(values.get(key, ""))
        except TemplateSyntaxError as exc:
            raise BusinessRuleError(f"文面の書き方に誤りがあります（{key}）: {exc}") from exc
    for key in ("form_label", "doc_prefix", "title", "body", "record", "appeal"):
        if key in values:
            setattr(template, key, values[key])
    template.updated_by = actor.username
    with transaction.atomic():
        template.save()
        record_access(actor=actor, action=AuditEvent.REGISTER_CHANGE, target=f"notice_template:{template.pk}",
                      program=template.program.code, purpose="通知書の文面の変更")
    return template


@dataclass
class Compiled:
    template: NoticeTemplate
    title: Template
    body: Template
    record: Template
    appeal: Template


def compile_template(tpl: NoticeTemplate) -> Compiled:
    return Compiled(tpl, _ENGINE.from_string(tpl.title), _ENGINE.from_string(tpl.body),
                    _ENGINE.from_string(tpl.record), _ENGINE.from_string(tpl.appeal))


def variables(case: Case, notice: Notice) -> dict[str, Any]:
    purchases = list(case.purchases.all())
    bank = ""
    if case.bank_name:
        bank = f"{case.bank_name} {case.branch_name} {case.get_account_type_display() if case.account_type else ''} " \
               f"****{case.account_number[-3:] if case.account_number else ''}"
    deadline = notice.issued_on + dt.timedelta(days=14)
    return {
        "program_name": case.program.name,
        "subsidy_name": subsidy_name(case.program.name),
        "fiscal_year": fiscal_year_wareki(notice.issued_on),
        "municipality": settings.MUNICIPALITY_NAME,
        "head": settings.MUNICIPALITY_HEAD,
        "name": case.name,
        "address": case.address,
        "postal_code": case.postal_code,
        "number": case.number,
        "application_date": format_wareki(case.application_date or case.received_on),
        "decided_on": format_wareki(case.decided_on) if case.decided_on else "",
        "amount": f"{case.granted_amount or 0:,}",
        "cost": f"{sum(p.total for p in purchases):,}",
        "items": "、".join(p.item for p in purchases),
        "bank": bank,
        "reason": case.decision_reason,
        "correction": case.correction_content,
        "deadline": format_wareki(deadline),
        "doc_number": notice.number,
        "issued_on": format_wareki(notice.issued_on),
    }


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        current = ""
        for ch in para:
            if stringWidth(current + ch, font, size) > width:
                lines.append(current)
                current = ch
            else:
                current += ch
        lines.append(current)
    return lines


def draw_notice(c: Canvas, compiled: Compiled, case: Case, notice: Notice) -> None:
    """One A4 page."""
    ctx = Context(variables(case, notice))
    w, h = A4
    left, right = 25 * mm, w - 20 * mm
    y = h - 20 * mm
    size = 10.5
    tpl = compiled.template
    if tpl.form_label:
        draw_string(c, left, y, tpl.form_label, 9)
    y -= 10 * mm
    for text in (notice.number, format_wareki(notice.issued_on)):
        c.setFont(MAIN, size)
        c.drawRightString(right, y, text)
        y -= 6 * mm
    y -= 4 * mm
    if case.postal_code:
        draw_string(c, left, y, f"〒{case.postal_code}", size)
        y -= 6 * mm
    for line in _wrap(case.address, MAIN, size, 100 * mm):
        draw_string(c, left, y, line, size)
        y -= 6 * mm
    draw_string(c, left, y, f"{case.name}　様", 13)
    y -= 12 * mm
    c.setFont(MAIN, size)
    c.drawRightString(right, y, f"{settings.MUNICIPALITY_HEAD}")
    y -= 16 * mm
    title = compiled.title.render(ctx).strip()
    tw = stringWidth(title, MAIN, 13)
    draw_string(c, (w - tw) / 2, y, title, 13)
    y -= 14 * mm
    for line in _wrap("　" + compiled.body.render(ctx).strip(), MAIN, size, right - left):
        draw_string(c, left, y, line, size)
        y -= 6.5 * mm
    y -= 4 * mm
    c.setFont(MAIN, size)
    c.drawCentredString(w / 2, y, "記")
    y -= 10 * mm
    for line in _wrap(compiled.record.render(ctx).strip(), MAIN, size, right - left - 10 * mm):
        draw_string(c, left + 5 * mm, y, line, size)
        y -= 6.5 * mm
    appeal = compiled.appeal.render(ctx).strip()
    if appeal:
        y = min(y - 10 * mm, 80 * mm)
        draw_string(c, left, y, "教示", size)
        y -= 7 * mm
        for line in _wrap(appeal, MAIN, 9, right - left):
            draw_string(c, left, y, line, 9)
            y -= 5.2 * mm
    c.setFont(MAIN, 8)
    c.drawString(left, 12 * mm, f"受付番号 {case.number}")
    c.showPage()


def subsidy_name(program_name: str) -> str:
    """防犯機器等購入緊急補助事業 → 防犯機器等購入緊急補助金."""
    name = program_name.removesuffix("事業")
    return name + "金" if name.endswith("補助") else name + "補助金"


def _issue(case: Case, kind: str, day: dt.date) -> Notice:
    """The case's notice of this kind; a new one is dated on the decision (or the correction request)."""
    notice = Notice.objects.filter(case=case, kind=kind).order_by("-issued_on").first()
    if notice is not None:
        return notice
    day = (case.correction_requested_on if kind == NoticeKind.CORRECTION else case.decided_on) or day
    serial = (Notice.objects.filter(case__program_id=case.program_id, kind=kind).aggregate(m=Max("serial"))["m"]
              or 0) + 1
    tpl = template_for(case.program, kind)
    number = f"{fiscal_year_wareki(day).removesuffix('年度').replace('令和', '')}{tpl.doc_prefix}第{serial}号"
    return Notice.objects.create(case=case, kind=kind, serial=serial, number=number, issued_on=day)


def render_pdf(cases: Iterable[Case], kind: str, *, day: dt.date | None = None,
               progress: Any = None) -> bytes:
    """Render one PDF page per case (issuing a number where there is none); ``progress(done)`` per page."""
    register_fonts()
    day = day or timezone.localdate()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=MAIN, initialFontSize=10.5)
    c.setTitle(str(NoticeKind(kind).label))
    compiled: dict[int, Compiled] = {}
    for done, case in enumerate(cases, start=1):
        if case.status not in KIND_STATUSES[kind]:
            raise BusinessRuleError(f"受付番号 {case.number} は「{case.get_status_display()}」のため、"
                                    f"{NoticeKind(kind).label}を作成できません。")
        if case.program_id not in compiled:
            compiled[case.program_id] = compile_template(template_for(case.program, kind))
        notice = _issue(case, kind, day)
        Notice.objects.filter(pk=notice.pk).update(printed_count=notice.printed_count + 1)
        draw_notice(c, compiled[case.program_id], case, notice)
        if progress is not None:
            progress(done)
    c.save()
    return buf.getvalue()


def print_notice(*, actor: Actor, case: Case, kind: str) -> bytes:
    """Render (or reprint, with the same number) one case's notice."""
    require_action(actor, case.program.code, "notices")
    with transaction.atomic():
        pdf = render_pdf([case], kind)
        record_access(actor=actor, action=AuditEvent.NOTICE_RENDER, target=f"case:{case.pk}:{kind}",
                      residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                      purpose=f"{NoticeKind(kind).label}の印刷")
    return pdf


def eligible_cases(program: Program, kind: str, *, only_new: bool = True) -> list[int]:
    qs = Case.objects.filter(program=program, status__in=KIND_STATUSES[kind])
    if only_new:
        qs = qs.exclude(notices__kind=kind)
    return list(qs.order_by("number").values_list("pk", flat=True))


def start_batch(*, actor: Actor, program: Program, kind: str, case_ids: list[int] | None = None) -> NoticeJob:
    """Queue a batch job (run after commit through django-tasks)."""
    require_action(actor, program.code, "notices")
    ids = case_ids if case_ids is not None else eligible_cases(program, kind)
    if not ids:
        raise BusinessRuleError("作成する通知書がありません（対象の申請がないか、すべて作成済みです）。")
    with transaction.atomic():
        job = NoticeJob.objects.create(program=program, kind=kind, case_ids=ids, total=len(ids),
                                       created_by=actor.username)
        residents = list(Case.objects.filter(pk__in=ids, resident__isnull=False).values_list("resident_id", flat=True))
        record_access(actor=actor, action=AuditEvent.NOTICE_RENDER, target=f"notice_job:{job.pk}",
                      residents=residents, program=program.code,
                      purpose=f"{NoticeKind(kind).label}の一括作成（{len(ids)}件）", resident_count=len(ids))
        enqueue(job)
    return job


def run_job(job_id: int) -> None:
    """Claim and run one batch job now (a job that is not queued any more is left as it is)."""
    run_job_now(NoticeJob, job_id)


def run(job: NoticeJob, progress: Progress) -> None:
    """The runner of a :class:`NoticeJob` (claimed: status 作成中).  The render is one transaction (numbers
    are issued in it); ``done`` is committed as it goes through ``progress`` (another connection), so the
    page shows n / N while the render runs."""
    NoticeJob.objects.filter(pk=job.pk).update(done=0)
    step = max(1, job.total // 100)

    def report(done: int) -> None:
        if done % step == 0:
            progress.update(done=done)

    cases = (Case.objects.filter(pk__in=job.case_ids).select_related("program")
             .prefetch_related("purchases").order_by("number"))
    try:
        with transaction.atomic():
            pdf = render_pdf(cases.iterator(chunk_size=500), job.kind, progress=report)
    except BusinessRuleError as exc:  # a case whose status changed since the request (names its number only)
        raise JobFailed("rule", str(exc)) from None
    progress.discard()
    NoticeJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=job.total, pdf=pdf,
                                               finished_at=timezone.now())


def download_job(*, actor: Actor, job: NoticeJob) -> bytes:
    """The PDF of a finished batch; the download is written to the access log."""
    require_action(actor, job.program.code, "notices")
    if job.status != JobStatus.DONE or not job.pdf:
        raise BusinessRuleError("まだ作成中です。")
    with transaction.atomic():
        residents = list(Case.objects.filter(pk__in=job.case_ids, resident__isnull=False)
                         .values_list("resident_id", flat=True))
        record_access(actor=actor, action=AuditEvent.NOTICE_RENDER, target=f"notice_job:{job.pk}:download",
                      residents=residents, program=job.program.code, purpose="通知書PDFのダウンロード",
                      resident_count=len(job.case_ids))
    return bytes(job.pdf)
