"""Casework screens: progress board, case list, one case and its actions (review, correction, decision,
duplicates, account correction, notice print)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.casework.models import DuplicateCandidate, NoticeKind, ResentResponse, Status
from madoguchi.casework.selectors import board as board_data
from madoguchi.casework.selectors import list_cases, open_case, programs_with_cases
from madoguchi.casework.services import decisions
from madoguchi.casework.services.access import may
from madoguchi.casework.services.duplicates import settle_candidate
from madoguchi.casework.services.editing import EDITABLE_STATUSES
from madoguchi.casework.services.eligibility import computed_amount, findings
from madoguchi.casework.services.intake import settle_resent
from madoguchi.casework.services.notices import KIND_STATUSES, print_notice
from madoguchi.casework.services.transitions import STEPS, allowed_steps, transition
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Program
from madoguchi.register.policy import policy_for
from madoguchi.web.views.lookup import visible_case, visible_or_refuse

ACTIONS = ("intake", "review", "duplicates", "decide", "configure", "account", "inquiry", "notices")


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, purpose="申請・案件の事務")


def _program(request: HttpRequest, code: str) -> Program:
    return get_object_or_404(Program, code=code)


def operators(program: Program) -> list[Any]:
    """Users of the owning department and of the declared contractors (for assigning a case)."""
    from madoguchi.accounts.models import User
    from madoguchi.register.models import Outsourcing

    rev = program.approved_revision()
    orgs = {program.department_id}
    if rev is not None:
        orgs |= set(Outsourcing.objects.filter(revision=rev, parent__isnull=True).values_list("contractor_id", flat=True))
    return list(User.objects.filter(organisation_id__in=orgs, is_active=True).order_by("username"))


def abilities(actor: Actor, code: str) -> dict[str, bool]:
    policy = policy_for(actor)
    return {a: may(policy, code, a) for a in ACTIONS}


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    policy = policy_for(actor)
    programs = programs_with_cases(policy)
    if not programs:
        raise AccessRefused("申請・案件を扱える事業がありません（承認された登録による権限がありません）。")
    code = request.GET.get("program") or programs[0].code
    program = next((p for p in programs if p.code == code), programs[0])
    data = board_data(actor, program)
    return render(request, "web/casework/board.html", {
        "programs": programs, "program": program, "board": data, "can": abilities(actor, program.code),
    })


@login_required
@require_GET
def case_list(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    program = _program(request, code)
    try:
        page_no = int(request.GET.get("page", "1"))
    except ValueError:
        page_no = 1
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    only_open = request.GET.get("candidates") == "open"
    page = list_cases(actor, program, status=status, query=query, page=page_no, only_open_candidates=only_open)
    return render(request, "web/casework/list.html", {
        "program": program, "page": page, "status": status, "q": query, "statuses": Status.choices,
        "only_open": only_open, "can": abilities(actor, program.code),
        "items": policy_for(actor).items_for(program.code),
    })


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    visible_case(request, pk)  # a missing case and one the user may not see are refused alike
    case, data, policy = open_case(actor, pk)
    from madoguchi.web.views.casework_files import attachment_context

    code = case.program.code
    can = {a: may(policy, code, a) for a in ACTIONS}
    steps = [(name, STEPS[name].label) for name in allowed_steps(case)
             if may(policy, code, STEPS[name].action)]
    notice_kinds = [(k, NoticeKind(k).label) for k in NoticeKind.values if case.status in KIND_STATUSES[k]]
    resent = list(ResentResponse.objects.filter(case=case, settled=False)) if can["intake"] else []
    return render(request, "web/casework/detail.html", {
        "case": data, "program": case.program, "can": can, "steps": steps,
        "findings": findings(case) if can["review"] else [],
        "computed_amount": computed_amount(case) if can["decide"] else None,
        "notice_kinds": notice_kinds if can["notices"] else [], "resent": resent,
        "account_failed": case.status == Status.TRANSFER_FAILED,
        "editable": can["intake"] and case.status in EDITABLE_STATUSES,
        "operators": operators(case.program) if can["review"] else [],
        "files": attachment_context(policy, case),
    })


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    case = visible_case(request, pk)
    step = request.POST.get("step", "")
    try:
        if step == "request_correction":
            decisions.request_correction(case=case, content=request.POST.get("content", ""), actor=actor)
        elif step == "grant":
            raw = request.POST.get("amount", "").replace(",", "").strip()
            if raw and not raw.isdigit():
                raise BusinessRuleError("補助決定額は数字で入力してください。")
            decisions.decide_grant(case=case, actor=actor, amount=int(raw) if raw else None)
        elif step == "refuse":
            decisions.decide_refusal(case=case, reason=request.POST.get("reason", ""), actor=actor)
        elif step in STEPS and STEPS[step].action != "system":
            transition(case=case, step=step, actor=actor, note=request.POST.get("note", ""))
        else:
            raise BusinessRuleError("不明な操作です。")
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    else:
        case.refresh_from_db()
        messages.success(request, f"「{STEPS[step].label}」を行いました（現在の状態: {case.get_status_display()}）。")
    return redirect("casework:detail", pk=pk)


@login_required
@require_POST
def queue_all(request: HttpRequest, code: str) -> HttpResponse:
    from madoguchi.casework.services.editing import queue_granted

    n = queue_granted(actor=_actor(request), program=_program(request, code))
    messages.success(request, f"交付決定の申請 {n} 件を支払準備中にしました。")
    return redirect(f"/cases/?program={code}")


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    raw = request.POST.get("user", "")
    decisions.assign(case=case, actor=_actor(request), user_id=int(raw) if raw.isdigit() else None)
    messages.success(request, "担当者を変更しました。")
    return redirect("casework:detail", pk=pk)


@login_required
@require_POST
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    cand = visible_or_refuse(request, DuplicateCandidate.objects.select_related("case__program"), pk,
                             what="重複の候補", target=f"candidate:{pk}", program_of=lambda c: c.case.program.code)
    try:
        settle_candidate(actor=actor, candidate=cand, duplicate=request.POST.get("duplicate") == "yes",
                         reason=request.POST.get("reason", ""))
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "重複の候補を確認しました。")
    return redirect(request.POST.get("next") or f"/cases/case/{cand.case_id}/")


@login_required
@require_POST
def correct_account(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    case = visible_case(request, pk)
    try:
        decisions.correct_account(case=case, actor=actor, values=request.POST.dict())
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "振込先口座を訂正しました。")
    return redirect("casework:detail", pk=pk)


@login_required
@require_POST
def resent_seen(request: HttpRequest, pk: int) -> HttpResponse:
    resent = visible_or_refuse(request, ResentResponse.objects.select_related("case__program"), pk,
                               what="再送された回答", target=f"resent:{pk}", program_of=lambda r: r.case.program.code)
    settle_resent(actor=_actor(request), resent=resent, note=request.POST.get("note", ""))
    messages.success(request, "再送された回答を確認済みにしました。")
    return redirect("casework:detail", pk=resent.case_id)


@login_required
@require_GET
def notice_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = visible_case(request, pk)
    if kind not in NoticeKind.values:
        return HttpResponse(status=404)
    try:
        pdf = print_notice(actor=_actor(request), case=case, kind=kind)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect("casework:detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{case.number}-{kind}.pdf"'
    return response
