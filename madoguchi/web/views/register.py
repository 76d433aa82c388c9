"""The register (事業台帳): program list, one revision's page, the council workflow and the documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Program, Revision
from madoguchi.register.selectors import program_rows, revision_page
from madoguchi.register.services import authoring, documents, workflow
from madoguchi.register.services.access import require_author, require_decider, require_read
from madoguchi.web.views.register_evidence import program_evidence
from madoguchi.web.views.register_forms import (
    DecisionForm,
    OverviewForm,
    ProgramForm,
    WithdrawalForm,
    WithdrawalRequestForm,
)


def load(request: HttpRequest, code: str, number: int) -> tuple[Actor, Program, Revision]:
    actor = Actor.from_request(request)
    program = get_object_or_404(Program.objects.select_related("department"), code=code)
    require_read(actor, program)
    revision = get_object_or_404(Revision.objects.select_related("program", "based_on"), program=program,
                                 number=number)
    return actor, program, revision


def frozen_redirect(request: HttpRequest, revision: Revision) -> HttpResponse | None:
    """A frozen revision has no edit pages: say why and go back to it."""
    if not revision.is_frozen:
        return None
    messages.error(request, f"第{revision.number}版は「{revision.get_status_display()}」のため変更できません。"
                            "変更するには、承認済みの版から新しい版を作成してください。")
    return redirect(revision_url(revision))


def revision_url(revision: Revision, anchor: str = "") -> str:
    url = reverse("register:revision", args=[revision.program.code, revision.number])
    return f"{url}#{anchor}" if anchor else url


@login_required
def programs(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    return render(request, "web/register/programs.html", {
        "rows": program_rows(actor), "can_create": request.user.role == Role.DEPARTMENT_STAFF,  # type: ignore[union-attr]
        "can_edit_templates": request.user.role == Role.PRIVACY_OFFICE,  # type: ignore[union-attr]
    })


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    if request.user.role != Role.DEPARTMENT_STAFF:  # type: ignore[union-attr]
        raise AccessRefused("事業を登録できるのは担当課の職員だけです。", action="register.create")
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = authoring.create_program(code=form.cleaned_data["code"], name=form.cleaned_data["name"],
                                               title=form.cleaned_data["title"], actor=actor,
                                               program_type=form.cleaned_data["program_type"])
        except BusinessRuleError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, "事業を登録しました。続けて事業の概要を入力してください。")
            return redirect("register:overview", program.code, 1)
    return render(request, "web/register/form.html", {"form": form, "title": "事業を登録する",
                                                      "submit_label": "登録する", "cancel": reverse("register:programs")})


@login_required
def program(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.from_request(request)
    prog = get_object_or_404(Program, code=code)
    require_read(actor, prog)
    latest = prog.revisions.order_by("-number").first()
    if latest is None:
        return redirect("register:programs")
    return redirect(revision_url(latest))


@login_required
def revision(request: HttpRequest, code: str, number: int) -> HttpResponse:
    actor, program, rev = load(request, code, number)
    context = revision_page(actor, program, rev)
    context["decision_form"] = DecisionForm()
    context["withdrawal_form"] = WithdrawalForm(initial={"reason": rev.withdrawal_reason})
    context["withdrawal_request_form"] = WithdrawalRequestForm()
    context["evidence"] = program_evidence(program.code) if rev.status == "approved" else None
    return render(request, "web/register/revision.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest, code: str, number: int) -> HttpResponse:
    actor, program, rev = load(request, code, number)
    require_author(actor, program)
    if (back := frozen_redirect(request, rev)) is not None:
        return back
    initial = {name: getattr(rev, name) for name in OverviewForm.base_fields}
    form = OverviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.save_overview(revision=rev, data=form.cleaned_data, actor=actor)
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "事業の概要を保存しました。")
            return redirect(revision_url(rev, "overview"))
    return render(request, "web/register/form.html", {
        "form": form, "title": "事業の概要", "program": program, "revision": rev, "submit_label": "保存する",
        "cancel": revision_url(rev)})


@login_required
@require_POST
def submit(request: HttpRequest, code: str, number: int) -> HttpResponse:
    actor, program, rev = load(request, code, number)
    try:
        workflow.submit_revision(revision=rev, actor=actor)
    except workflow.SubmissionBlocked as exc:
        messages.error(request, str(exc) + "\n" + "\n".join(f"・{p.message}" for p in exc.problems))
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "審議会へ提出しました。個人情報保護担当課が決定を記録します。")
    return redirect(revision_url(rev))


@login_required
@require_POST
def decide(request: HttpRequest, code: str, number: int) -> HttpResponse:
    actor, program, rev = load(request, code, number)
    require_decider(actor, program)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        context = revision_page(actor, program, rev)
        context["decision_form"] = form
        return render(request, "web/register/revision.html", context, status=400)
    data = form.cleaned_data
    try:
        if data["outcome"] == "approve":
            workflow.approve_revision(revision=rev, decided_on=data["decided_on"], meeting=data["meeting"],
                                      kind=data["kind"], comments=data["comments"], actor=actor)
            messages.success(request, f"第{rev.number}版の{data['kind']}を記録しました。この版は凍結されました。")
        else:
            workflow.return_revision(revision=rev, comments=data["comments"], actor=actor)
            messages.success(request, f"第{rev.number}版を差し戻しました。")
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    return redirect(revision_url(rev))


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """廃止: the department requests it; the privacy office records the council's decision."""
    actor, program, rev = load(request, code, number)
    if request.POST.get("action") == "request":
        require_author(actor, program)
        request_form = WithdrawalRequestForm(request.POST)
        if not request_form.is_valid():
            messages.error(request, "廃止の理由を入力してください。")
            return redirect(revision_url(rev, "withdrawal"))
        try:
            workflow.request_withdrawal(revision=rev, reason=request_form.cleaned_data["reason"], actor=actor)
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "廃止を申し出ました。審議会の決定後、個人情報保護担当課が廃止を記録します。")
        return redirect(revision_url(rev, "withdrawal"))
    require_decider(actor, program)
    form = WithdrawalForm(request.POST)
    if not form.is_valid():
        context = revision_page(actor, program, rev)
        context["withdrawal_form"] = form
        return render(request, "web/register/revision.html", context, status=400)
    data = form.cleaned_data
    try:
        workflow.withdraw_revision(revision=rev, withdrawn_on=data["withdrawn_on"], meeting=data["meeting"],
                                   reason=data["reason"], actor=actor)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"第{rev.number}版の廃止を記録しました。この登録による権限はなくなりました。")
    return redirect(revision_url(rev))


@login_required
@require_POST
def new_revision(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.from_request(request)
    prog = get_object_or_404(Program, code=code)
    require_read(actor, prog)
    try:
        draft = workflow.start_revision(prog, actor=actor)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect("register:program", code)
    messages.success(request, f"第{draft.based_on.number if draft.based_on else ''}版を写して第{draft.number}版を作成しました。"
                              "変更した箇所は「前の版との違い」に表示されます。")
    return redirect(revision_url(draft))


@login_required
def document(request: HttpRequest, code: str, number: int, fmt: str) -> HttpResponse:
    actor, program, rev = load(request, code, number)
    try:
        data = documents.council_document(revision=rev, fmt=fmt, actor=actor)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect(revision_url(rev))
    response = HttpResponse(data, content_type=documents.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{program.code}-r{rev.number}.{fmt}"'
    return response


@login_required
def file_register(request: HttpRequest, fmt: str) -> HttpResponse:
    actor = Actor.from_request(request)
    try:
        data = documents.file_register(fmt=fmt, actor=actor)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect("register:programs")
    response = HttpResponse(data, content_type=documents.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="personal-information-files.{fmt}"'
    return response
