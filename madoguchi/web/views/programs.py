"""The program page (one per program, every type) and enrolment from it (ADR 0010)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import BusinessRuleError, ImportRejected, RowError
from madoguchi.programs.selectors import program_page
from madoguchi.programs.services.enrolment import (
    EnrolmentResult,
    enrol_from_csv,
    enrol_from_master,
    enrol_resident,
)
from madoguchi.register.models import Program
from madoguchi.web.views.register_evidence import program_evidence

MAX_UPLOAD = 20 * 1024 * 1024


def _render(request: HttpRequest, program: Program, errors: list[RowError] | None = None) -> HttpResponse:
    actor = Actor.from_request(request)
    page = program_page(actor, program)
    return render(request, "web/programs/page.html", {
        "page": page, "program": program, "errors": errors or [],
        "evidence": program_evidence(program.code) if page.owner else None,
    })


@login_required
@require_GET
def page(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, get_object_or_404(Program.objects.select_related("department"), code=code))


@login_required
@require_POST
def enrol(request: HttpRequest, code: str) -> HttpResponse:
    program = get_object_or_404(Program.objects.select_related("department"), code=code)
    actor = Actor.from_request(request)
    source = request.POST.get("source", "")
    try:
        result: EnrolmentResult
        if source == "master":
            result = enrol_from_master(program=program, rule=request.POST.get("rule", ""), actor=actor)
        elif source == "csv":
            upload = request.FILES.get("file")
            if upload is None:
                raise BusinessRuleError("名簿のファイルを選んでください。")
            if upload.size and upload.size > MAX_UPLOAD:
                raise BusinessRuleError("ファイルが大きすぎます（上限 20 MB）。")
            result = enrol_from_csv(program=program, data=upload.read(), actor=actor)
        elif source == "resident":
            result = enrol_resident(program=program, resident_no=request.POST.get("resident_no", ""), actor=actor)
        else:
            raise BusinessRuleError("登録の方法を選んでください。")
    except ImportRejected as exc:
        messages.error(request, f"{len(exc.errors)}件の誤りがあるため、1人も登録していません。")
        return _render(request, program, list(exc.errors))
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect("programs:page", code=code)
    text = f"個人の範囲「{result.scope}」に {result.added} 人を登録しました。"
    if result.already:
        text += f"（既に登録済みの {result.already} 人はそのままです）"
    messages.success(request, text)
    return redirect("programs:page", code=code)
