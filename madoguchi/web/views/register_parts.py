"""Editing the parts of a draft revision: person scopes and items, systems, linkages, outsourcings,
certifications, checklist answers and the data flow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.core.errors import BusinessRuleError
from madoguchi.register.models import (
    ChecklistAnswer,
    FlowStep,
    Linkage,
    MeasureAnswer,
    Outsourcing,
    PersonScope,
    RecordedItem,
    Revision,
    System,
)
from madoguchi.register.selectors import grouped_item_choices
from madoguchi.register.services import authoring
from madoguchi.register.services.access import require_author
from madoguchi.web.views.register import frozen_redirect, load, revision_url
from madoguchi.web.views.register_forms import (
    CertificationForm,
    FlowStepForm,
    LinkageForm,
    OutsourcingForm,
    ScopeForm,
    SystemForm,
)

PARTS: dict[str, Any] = {"scope": PersonScope, "system": System, "linkage": Linkage, "outsourcing": Outsourcing,
                         "flow": FlowStep}
TITLES = {"scope": "個人の範囲と記録項目", "system": "記録するコンピュータ（電算処理）", "linkage": "外部結合",
          "outsourcing": "業務委託・再委託", "flow": "個人情報の流れ（手順）"}


def _recorded_keys(revision: Revision) -> set[str]:
    return set(RecordedItem.objects.filter(scope__revision=revision).values_list("item__key", flat=True))


def _form(kind: str, revision: Revision, data: Any, instance: Any) -> forms.Form:
    if kind == "scope":
        initial = ({"name": instance.name, "items": [r.item.key for r in instance.recorded_items.all()],
                    "file_name": instance.file_name, "file_kind": instance.file_kind} if instance else {})
        return ScopeForm(data, initial=initial, item_choices=grouped_item_choices())
    if kind == "system":
        initial = ({f: getattr(instance, f) for f in SystemForm.base_fields} if instance else {"domestic_law": True})
        return SystemForm(data, initial=initial)
    recorded = _recorded_keys(revision)
    if kind == "linkage":
        initial = {f: getattr(instance, f) for f in LinkageForm.base_fields if f != "items"} if instance else {}
        if instance:
            initial["items"] = [i.key for i in instance.items.all()]
        return LinkageForm(data, initial=initial, item_choices=grouped_item_choices(recorded))
    if kind == "outsourcing":
        initial = {"hands_over_data": True}
        if instance:
            initial = {f: getattr(instance, f) for f in OutsourcingForm.base_fields
                       if f not in ("items", "certifications", "media_kinds")}
            initial["items"] = [i.key for i in instance.items.all()]
            initial["certifications"] = list(instance.certifications.all())
            initial["media_kinds"] = instance.media
            recorded |= set(initial["items"])
        return OutsourcingForm(data, initial=initial, revision=revision, item_choices=grouped_item_choices(recorded))
    initial = {}
    if instance:
        initial = {f: getattr(instance, f) for f in FlowStepForm.base_fields if f != "items"}
        initial["items"] = [i.key for i in instance.items.all()]
    else:
        initial = {"flow_no": 1, "number": revision.flow_steps.filter(flow_no=1).count() + 1}
    return FlowStepForm(data, initial=initial, item_choices=grouped_item_choices(recorded))


def _save(kind: str, revision: Revision, form: forms.Form, instance: Any, actor: Any) -> None:
    data = dict(form.cleaned_data)
    if kind == "scope":
        authoring.save_scope(revision=revision, name=data["name"], item_keys=data["items"], actor=actor, scope=instance,
                             file_name=data["file_name"], file_kind=data["file_kind"])
    elif kind == "system":
        authoring.save_system(revision=revision, data=data, actor=actor, system=instance)
    elif kind == "linkage":
        items = data.pop("items")
        authoring.save_linkage(revision=revision, data=data, item_keys=items, actor=actor, linkage=instance)
    elif kind == "outsourcing":
        items, certs = data.pop("items"), data.pop("certifications")
        data["media"] = data.pop("media_kinds")
        authoring.save_outsourcing(revision=revision, data=data, item_keys=items, certifications=certs, actor=actor,
                                   outsourcing=instance)
    else:
        items = data.pop("items")
        authoring.save_flow_step(revision=revision, data=data, item_keys=items, actor=actor, step=instance)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, code: str, number: int, kind: str, pk: int | None = None) -> HttpResponse:
    if kind not in PARTS:
        raise Http404("ありません。")
    actor, program, revision = load(request, code, number)
    require_author(actor, program)
    if (back := frozen_redirect(request, revision)) is not None:
        return back
    model = PARTS[kind]
    instance = get_object_or_404(model, pk=pk, revision=revision) if pk else None
    form = _form(kind, revision, request.POST or None, instance)
    if request.method == "POST" and form.is_valid():
        try:
            _save(kind, revision, form, instance, actor)
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{TITLES[kind]}を保存しました。")
            return redirect(revision_url(revision, kind))
    return render(request, "web/register/form.html", {
        "form": form, "title": TITLES[kind] + ("の変更" if instance else "の追加"), "program": program,
        "revision": revision, "submit_label": "保存する", "cancel": revision_url(revision, kind)})


@login_required
@require_POST
def part_delete(request: HttpRequest, code: str, number: int, kind: str, pk: int) -> HttpResponse:
    if kind not in PARTS:
        raise Http404("ありません。")
    actor, program, revision = load(request, code, number)
    part = get_object_or_404(PARTS[kind], pk=pk, revision=revision)
    try:
        authoring.delete_part(revision=revision, part=part, actor=actor)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{TITLES[kind]}を削除しました。")
    return redirect(revision_url(revision, kind))


@login_required
@require_http_methods(["GET", "POST"])
def certification_new(request: HttpRequest, code: str, number: int) -> HttpResponse:
    actor, program, revision = load(request, code, number)
    require_author(actor, program)
    form = CertificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.add_certification(program=program, actor=actor, **form.cleaned_data)
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "認証を登録しました。委託の画面で選べます。")
            return redirect(revision_url(revision, "outsourcing"))
    return render(request, "web/register/form.html", {
        "form": form, "title": "委託先の認証を登録する", "program": program, "revision": revision,
        "submit_label": "登録する", "cancel": revision_url(revision, "outsourcing")})


@login_required
@require_http_methods(["GET", "POST"])
def answers(request: HttpRequest, code: str, number: int) -> HttpResponse:
    actor, program, revision = load(request, code, number)
    require_author(actor, program)
    if (back := frozen_redirect(request, revision)) is not None:
        return back
    rows = list(ChecklistAnswer.objects.filter(revision=revision).select_related("measure__template")
                .order_by("measure__template__kind", "measure__side", "measure__aspect", "measure__order"))
    errors: dict[int, str] = {}
    if request.method == "POST":
        submitted = {}
        for row in rows:
            answer = request.POST.get(f"answer-{row.pk}", "")
            reason = request.POST.get(f"reason-{row.pk}", "")
            if answer == MeasureAnswer.NOT_NEEDED and not reason.strip():
                errors[row.pk] = "「－」とする場合は、必要がない理由を入力してください。"
            row.answer, row.reason = answer, reason
            submitted[row.pk] = (answer, reason)
        if not errors:
            try:
                authoring.save_answers(revision=revision, answers=submitted, actor=actor)
            except BusinessRuleError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "チェックリストの回答を保存しました。")
                return redirect(revision_url(revision, "checklists"))
    groups: dict[str, list[ChecklistAnswer]] = {}
    for row in rows:
        groups.setdefault(row.measure.template.title, []).append(row)
    return render(request, "web/register/answers.html", {
        "program": program, "revision": revision, "groups": groups, "errors": errors,
        "error_count": len(errors)}, status=400 if errors else 200)
