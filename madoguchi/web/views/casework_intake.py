"""Casework intake screens: e-form CSV import with its column mapping, paper applications, past
grantees and the duplicate check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.casework.models import FormProfile, PastGranteeList
from madoguchi.casework.selectors import open_candidates
from madoguchi.casework.services.access import past_grantees_declared, require_action
from madoguchi.casework.services.duplicates import import_past_grantees, run_check
from madoguchi.casework.services.editing import open_for_edit, update_application
from madoguchi.casework.services.eligibility import pledges, required_attachments
from madoguchi.casework.services.intake import (
    FIELDS,
    KIND_NOTES,
    PLEDGE_PREFIX,
    REQUIRED_ALTERNATIVES,
    REQUIRED_FIELDS,
    enter_paper_application,
    field_kind,
    import_form_csv,
    save_profile,
)
from madoguchi.core.errors import BusinessRuleError, ImportRejected
from madoguchi.core.idformat import SheetSigns
from madoguchi.register.models import Program
from madoguchi.register.policy import policy_for
from madoguchi.web.views.casework import abilities
from madoguchi.web.views.casework_banks import BANK_KEYS, bank_context
from madoguchi.web.views.lookup import visible_case

MAX_UPLOAD = 20 * 1024 * 1024


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, purpose="申請の受付")


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "intake")
    profiles = list(FormProfile.objects.filter(program=program))
    errors: list[object] = []
    result = None
    signs = SheetSigns()
    if request.method == "POST":
        upload = request.FILES.get("file")
        profile = next((p for p in profiles if str(p.pk) == request.POST.get("profile")), None)
        if upload is None or profile is None:
            messages.error(request, "取込設定とファイルを選んでください。")
        elif upload.size and upload.size > MAX_UPLOAD:
            messages.error(request, "ファイルが大きすぎます（上限 20 MB）。")
        else:
            try:
                result = import_form_csv(actor=actor, program=program, profile=profile, data=upload.read(),
                                         signs=signs)
            except ImportRejected as exc:
                errors = list(exc.errors)
            else:
                messages.success(request, f"新規 {len(result.created)} 件を受け付けました。変更なし {result.unchanged} 件、"
                                          f"内容の違う再送 {len(result.flagged)} 件（要確認）。")
                if result.gaiji_unmapped:
                    messages.warning(request, "外字対応表にない外字があります（" + "、".join(result.gaiji_unmapped)
                                     + "）。外字対応表で標準の文字を登録してください。")
    return render(request, "web/casework/import.html", {
        "program": program, "profiles": profiles, "errors": errors, "result": result,
        "can": abilities(actor, code), "sheet_notes": signs.messages(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "intake")
    profile = FormProfile.objects.filter(program=program, pk=request.GET.get("id") or 0).first()
    current = {f: h for h, f in (profile.mapping if profile else {}).items() if f and not f.startswith(PLEDGE_PREFIX)}
    pledges = "\n".join(f"{h}={f.removeprefix(PLEDGE_PREFIX)}" for h, f in (profile.mapping if profile else {}).items()
                        if f.startswith(PLEDGE_PREFIX))
    ignored = "\n".join(h for h, f in (profile.mapping if profile else {}).items() if not f)
    if request.method == "POST":
        mapping: dict[str, str] = {}
        for key in FIELDS:
            header = request.POST.get(f"col_{key}", "").strip()
            if header:
                mapping[header] = key
        for line in request.POST.get("pledges", "").splitlines():
            if "=" in line:
                header, pledge = (x.strip() for x in line.split("=", 1))
                if header and pledge:
                    mapping[header] = PLEDGE_PREFIX + pledge
        for line in request.POST.get("ignored", "").splitlines():
            if line.strip():
                mapping[line.strip()] = ""
        name = request.POST.get("name", "").strip()
        try:
            if not name:
                raise BusinessRuleError("取込設定の名称を入力してください。")
            saved = save_profile(actor=actor, program=program, name=name, mapping=mapping,
                                 form_ref=request.POST.get("form_ref", "").strip())
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"取込設定「{saved.name}」を保存しました。")
            return redirect("casework:import", code=code)
    required_text = {k: f"または{FIELDS[a]}" for k, a in REQUIRED_ALTERNATIVES.items()}
    rows = [(key, label, current.get(key, ""), key in REQUIRED_FIELDS, KIND_NOTES.get(field_kind(key), ""),
             required_text.get(key, "")) for key, label in FIELDS.items()]
    return render(request, "web/casework/profile.html", {
        "program": program, "profile": profile, "rows": rows, "pledges": pledges, "ignored": ignored,
        "profiles": FormProfile.objects.filter(program=program),
    })


PAPER_FIELDS = [k for k in FIELDS if k != "response_id"]


@login_required
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "intake")
    pledge_names = pledges(program)
    values: dict[str, str] = {}
    errors: list[object] = []
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in PAPER_FIELDS}
        raw = dict(values)
        for i, name in enumerate(pledge_names):
            raw[PLEDGE_PREFIX + name] = "1" if request.POST.get(f"pledge_{i}") else ""
        raw["attachments"] = ";".join(request.POST.getlist("attachments"))
        try:
            case = enter_paper_application(actor=actor, program=program, raw=raw)
        except ImportRejected as exc:
            errors = list(exc.errors)
        else:
            messages.success(request, f"受付番号 {case.number} で受け付けました。")
            return redirect("casework:detail", pk=case.pk)
    rows = [(k, FIELDS[k], values.get(k, ""), k in REQUIRED_FIELDS) for k in PAPER_FIELDS if k not in BANK_KEYS]
    return render(request, "web/casework/paper.html", {
        "program": program, "rows": rows, "errors": errors, "pledges": list(enumerate(pledge_names)),
        "attachments": required_attachments(program), "b": bank_context(code, values),
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    case = visible_case(request, pk)
    require_action(actor, case.program.code, "intake")
    pledge_names = pledges(case.program)
    values = open_for_edit(actor=actor, case=case) if request.method == "GET" else {}
    errors: list[object] = []
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in PAPER_FIELDS}
        raw = dict(values)
        for i, name in enumerate(pledge_names):
            raw[PLEDGE_PREFIX + name] = "1" if request.POST.get(f"pledge_{i}") else ""
        raw["attachments"] = ";".join(request.POST.getlist("attachments"))
        try:
            update_application(actor=actor, case=case, raw=raw, note=request.POST.get("note", ""))
        except ImportRejected as exc:
            errors = list(exc.errors)
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "申請の内容を変更しました。")
            return redirect("casework:detail", pk=case.pk)
    rows = [(k, FIELDS[k], values.get(k, ""), k in REQUIRED_FIELDS) for k in PAPER_FIELDS if k not in BANK_KEYS]
    agreed = {i for i, name in enumerate(pledge_names) if values.get(PLEDGE_PREFIX + name)}
    attached = set((values.get("attachments") or "").split(";"))
    return render(request, "web/casework/paper.html", {
        "program": case.program, "rows": rows, "errors": errors, "pledges": list(enumerate(pledge_names)),
        "attachments": required_attachments(case.program), "case": case, "agreed": agreed,
        "attached": attached, "b": bank_context(case.program.code, values),
    })


@login_required
@require_http_methods(["GET", "POST"])
def duplicates(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    require_action(actor, code, "duplicates")
    errors: list[object] = []
    if request.method == "POST" and request.POST.get("action") == "check":
        n = run_check(actor=actor, program=program)
        messages.success(request, f"重複の確認を行いました（新しい候補 {n} 件）。")
        return redirect("casework:duplicates", code=code)
    if request.method == "POST" and request.POST.get("action") == "grantees":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "ファイルを選んでください。")
        else:
            try:
                lst = import_past_grantees(actor=actor, program=program, name=request.POST.get("name", ""),
                                           data=upload.read())
            except ImportRejected as exc:
                errors = list(exc.errors)
            else:
                messages.success(request, f"過去の交付決定者リスト「{lst.name}」（{lst.grantees.count()}件）を取り込みました。")
                return redirect("casework:duplicates", code=code)
    candidates, open_total = open_candidates(actor, program)
    return render(request, "web/casework/duplicates.html", {
        "program": program, "candidates": candidates, "open_total": open_total, "errors": errors,
        "lists": PastGranteeList.objects.filter(program=program).order_by("-imported_at"),
        "declared": past_grantees_declared(policy_for(actor), code),
        "can": abilities(actor, code),
    })
