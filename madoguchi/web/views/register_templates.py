"""The municipality's checklist templates and clause sets (edited by the privacy office)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import BusinessRuleError
from madoguchi.register.defaults import ensure_templates
from madoguchi.register.models import (
    ChecklistAspect,
    ChecklistMeasure,
    ChecklistSide,
    ChecklistTemplate,
    Clause,
    ClauseSet,
)
from madoguchi.register.services import templates as svc
from madoguchi.register.services.access import require_template_editor


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    require_template_editor(Actor.from_request(request))
    ensure_templates()
    return render(request, "web/register/templates.html", {
        "templates": ChecklistTemplate.objects.prefetch_related("measures"),
        # 乙 (contractor) before 丙 (sub-contractor), as the council documents print them.
        "clause_sets": sorted(ClauseSet.objects.prefetch_related("clauses"), key=lambda s: s.party != "乙")})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    actor = Actor.from_request(request)
    require_template_editor(actor)
    template = get_object_or_404(ChecklistTemplate, kind=kind)
    if request.method == "POST":
        try:
            for measure in template.measures.all():
                text = request.POST.get(f"text-{measure.pk}")
                if text is None:
                    continue
                active = request.POST.get(f"active-{measure.pk}") == "on"
                if text.strip() != measure.text or active != measure.active:
                    svc.update_measure(measure=measure, text=text, active=active, actor=actor)
            new_text = request.POST.get("new-text", "").strip()
            if new_text:
                svc.add_measure(template=template, side=request.POST.get("new-side", ChecklistSide.WARD),
                                aspect=request.POST.get("new-aspect", ChecklistAspect.OPERATIONAL), text=new_text,
                                actor=actor)
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "チェックリストのひな形を保存しました。作成中の版には、次に概要を保存したときに新しい対策が加わります。")
            return redirect("register:template_edit", kind)
    return render(request, "web/register/template_edit.html", {
        "template": template, "measures": ChecklistMeasure.objects.filter(template=template),
        "sides": ChecklistSide.choices, "aspects": ChecklistAspect.choices})


@login_required
@require_http_methods(["GET", "POST"])
def clauses_edit(request: HttpRequest, party: str) -> HttpResponse:
    actor = Actor.from_request(request)
    require_template_editor(actor)
    clause_set = get_object_or_404(ClauseSet, party=party)
    if request.method == "POST":
        try:
            for clause in clause_set.clauses.all():
                heading = request.POST.get(f"heading-{clause.pk}")
                text = request.POST.get(f"text-{clause.pk}")
                if heading is None or text is None:
                    continue
                active = request.POST.get(f"active-{clause.pk}") == "on"
                if (heading.strip(), text.strip(), active) != (clause.heading, clause.text, clause.active):
                    svc.update_clause(clause=clause, heading=heading, text=text, active=active, actor=actor)
            if request.POST.get("new-heading", "").strip() or request.POST.get("new-text", "").strip():
                svc.add_clause(clause_set=clause_set, heading=request.POST.get("new-heading", ""),
                               text=request.POST.get("new-text", ""), actor=actor)
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "特記事項を保存しました。")
            return redirect("register:clauses_edit", party)
    return render(request, "web/register/clauses_edit.html", {
        "clause_set": clause_set, "clauses": Clause.objects.filter(clause_set=clause_set)})
