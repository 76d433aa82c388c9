"""Casework screens around the cases: program settings, amount simulator, notice wording and batches,
inquiries."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.casework.models import Case, Channel, NoticeJob, NoticeKind, NoticeTemplate
from madoguchi.casework.selectors import find_resident_for_inquiry, list_inquiries
from madoguchi.casework.services.access import require_action
from madoguchi.casework.services.inquiries import log_inquiry
from madoguchi.casework.services.notices import (
    download_job,
    eligible_cases,
    ensure_templates,
    save_template,
    start_batch,
)
from madoguchi.core.era import EraDateError, parse_date
from madoguchi.core.errors import BusinessRuleError
from madoguchi.programs.models import Rounding, SubsidyRule
from madoguchi.programs.services.amounts import breakdown
from madoguchi.programs.services.rules import configure_rule
from madoguchi.register.models import Program
from madoguchi.web.views.casework import abilities

INT_FIELDS = ("rate_numerator", "rate_denominator", "cap", "rounding_unit")
BOOL_FIELDS = ("one_per_household", "exclude_past_grantees", "require_residence")


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, purpose="事業の運用")


@login_required
@require_http_methods(["GET", "POST"])
def program_settings(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "configure")
    rule = SubsidyRule.objects.filter(program=program).first() or SubsidyRule(program=program)
    if request.method == "POST":
        values: dict[str, object] = {}
        try:
            for key in INT_FIELDS:
                raw = request.POST.get(key, "").replace(",", "").strip()
                if not raw.isdigit():
                    label = getattr(SubsidyRule._meta.get_field(key), "verbose_name", key)
                    raise BusinessRuleError(f"{label}は0以上の整数で入力してください。")
                values[key] = int(raw)
            for key in BOOL_FIELDS:
                values[key] = request.POST.get(key) == "on"
            values["rounding"] = request.POST.get("rounding", Rounding.FLOOR)
            values["residence_prefix"] = request.POST.get("residence_prefix", "").strip()
            values["fiscal_label"] = request.POST.get("fiscal_label", "").strip()
            for key in ("period_start", "period_end"):
                raw = request.POST.get(key, "").strip()
                values[key] = parse_date(raw) if raw else None
            values["required_attachments"] = [x.strip() for x in request.POST.get("required_attachments", "").splitlines()
                                              if x.strip()]
            values["pledges"] = [x.strip() for x in request.POST.get("pledges", "").splitlines() if x.strip()]
            configure_rule(actor=actor, program=program, values=values)
        except (BusinessRuleError, EraDateError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "交付ルールを保存しました。")
            return redirect("casework:settings", code=code)
    ensure_templates(program) if rule.pk else None
    return render(request, "web/casework/settings.html", {
        "program": program, "rule": rule, "roundings": Rounding.choices,
        "templates": NoticeTemplate.objects.filter(program=program), "kinds": NoticeKind.choices,
    })


@login_required
@require_GET
def simulate(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "view")
    rule = SubsidyRule.objects.filter(program=program).first()
    result = None
    error = ""
    raw = request.GET.get("cost", "").replace(",", "").replace("円", "").strip()
    if raw:
        if not raw.isdigit():
            error = "費用は数字（円）で入力してください。"
        elif rule is None:
            error = "この事業の交付ルールが設定されていません。"
        else:
            result = breakdown(rule, int(raw))
    return render(request, "web/casework/simulate.html", {
        "program": program, "rule": rule, "result": result, "error": error, "cost": raw,
    })


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "configure")
    if kind not in NoticeKind.values:
        return HttpResponse(status=404)
    ensure_templates(program)
    tpl = NoticeTemplate.objects.get(program=program, kind=kind)
    if request.method == "POST":
        try:
            save_template(actor=actor, template=tpl, values={k: request.POST.get(k, "") for k in
                                                             ("form_label", "doc_prefix", "title", "body", "record", "appeal")})
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{tpl.get_kind_display()}の文面を保存しました。")
            return redirect("casework:settings", code=code)
    return render(request, "web/casework/template.html", {"program": program, "tpl": tpl})


@login_required
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "notices")
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        try:
            if kind not in NoticeKind.values:
                raise BusinessRuleError("通知書の種類を選んでください。")
            job = start_batch(actor=actor, program=program, kind=kind)
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{job.get_kind_display()} {job.total} 件の作成を開始しました。")
        return redirect("casework:notices", code=code)
    counts = [(k, label, len(eligible_cases(program, k))) for k, label in NoticeKind.choices]
    jobs = NoticeJob.objects.filter(program=program).defer("pdf")[:20]
    return render(request, "web/casework/notices.html", {"program": program, "counts": counts, "jobs": jobs})


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(NoticeJob.objects.defer("pdf").select_related("program"), pk=pk)
    require_action(_actor(request), job.program.code, "notices")
    return render(request, "web/casework/_job.html", {"job": job})


@login_required
@require_GET
def job_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(NoticeJob.objects.select_related("program"), pk=pk)
    try:
        pdf = download_job(actor=_actor(request), job=job)
    except BusinessRuleError as exc:
        return HttpResponse(str(exc), status=409)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notices-{job.pk}-{job.kind}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def inquiries(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "inquiry")
    case = None
    number = (request.POST.get("case_number") or request.GET.get("case") or "").strip()
    if number:
        case = Case.objects.filter(program=program, number=number.zfill(6)).first()
    resident_no = request.GET.get("resident_no", "").strip()
    if request.method == "GET" and resident_no:
        found = find_resident_for_inquiry(actor, program, resident_no)
        if found is not None:
            return redirect("casework:resident_inquiries", code=code, resident_id=found)
        messages.error(request, f"住民番号 {resident_no} の対象者は、この事業で対応できる住民の中にいません。")
    if request.method == "POST":
        try:
            if number and case is None:
                raise BusinessRuleError(f"受付番号 {number} の申請はありません。")
            at = None
            if request.POST.get("at"):
                at = dt.datetime.fromisoformat(request.POST["at"]).astimezone()
            log_inquiry(actor=actor, program=program, case=case, caller=request.POST.get("caller", ""),
                        question=request.POST.get("question", ""), answer=request.POST.get("answer", ""),
                        channel=request.POST.get("channel", Channel.PHONE), at=at)
        except (BusinessRuleError, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "問合せの対応を記録しました。")
            if case is not None and request.POST.get("back") == "case":
                return redirect("casework:detail", pk=case.pk)
            return redirect("casework:inquiries", code=code)
    history_of = case if request.method == "GET" and case is not None else None
    rows = list_inquiries(actor, program, case=history_of)
    return render(request, "web/casework/inquiries.html", {
        "program": program, "rows": rows, "channels": Channel.choices, "number": number,
        "can": abilities(actor, code), "history_of": history_of, "resident_no": resident_no,
    })
