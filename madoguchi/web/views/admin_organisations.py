"""Administration: organisations (ward departments, contractors, sub-contractors with their parent)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, OrganisationKind
from madoguchi.accounts.services import administration as admin
from madoguchi.audit.events import AuditEvent
from madoguchi.web.views.admin_access import administrator, logged_change


class OrganisationForm(forms.Form):
    code = forms.SlugField(label="コード", max_length=64, help_text="半角英数字とハイフン。例: dept-tax")
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="種別", choices=OrganisationKind.choices)
    parent = forms.ModelChoiceField(
        label="委託元（再委託先のみ）", required=False,
        queryset=Organisation.objects.filter(kind__in=[OrganisationKind.CONTRACTOR, OrganisationKind.SUBCONTRACTOR]),
    )


@require_http_methods(["GET", "POST"])
@administrator
def organisations(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if logged_change(request, actor, AuditEvent.ADMIN_ORGANISATION, lambda: admin.create_organisation(
                actor=actor, code=d["code"], name=d["name"], kind=d["kind"], parent=d["parent"])):
            return redirect("administration:organisations")
    rows = Organisation.objects.select_related("parent").order_by("kind", "code")
    return render(request, "web/administration/organisations.html", {"form": form, "organisations": rows})
