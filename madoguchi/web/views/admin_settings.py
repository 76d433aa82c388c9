"""Administration: per-role security settings and registered terminals."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, Role, RoleSetting, Terminal
from madoguchi.accounts.services import administration as admin
from madoguchi.audit.events import AuditEvent
from madoguchi.web.views.admin_access import administrator, logged_change


@require_http_methods(["GET"])
@administrator
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/administration/index.html")


@require_http_methods(["GET", "POST"])
@administrator
def roles(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        role = request.POST.get("role", "")
        logged_change(request, actor, AuditEvent.ADMIN_ROLE_SETTING, lambda: admin.update_role_setting(
            actor=actor, role=role, require_totp=request.POST.get("require_totp") == "on",
            terminal_bound=request.POST.get("terminal_bound") == "on"))
        return redirect("administration:roles")
    current = {s.role: s for s in RoleSetting.objects.all()}
    rows = [{"role": value, "label": label, "setting": current.get(value)} for value, label in Role.choices]
    return render(request, "web/administration/roles.html", {"rows": rows})


class TerminalForm(forms.Form):
    name = forms.CharField(label="端末名", max_length=100)
    organisation = forms.ModelChoiceField(label="設置組織", queryset=Organisation.objects.order_by("kind", "code"))
    network = forms.CharField(label="IPアドレス範囲", max_length=64, help_text="例: 10.20.30.0/24、1台なら 10.20.30.5")
    roles = forms.MultipleChoiceField(label="利用できるロール（選ばなければすべて）", choices=Role.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)


@require_http_methods(["GET", "POST"])
@administrator
def terminals(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = TerminalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if logged_change(request, actor, AuditEvent.ADMIN_TERMINAL, lambda: admin.create_terminal(
                actor=actor, name=d["name"], organisation=d["organisation"], network=d["network"],
                roles=list(d["roles"]))):
            return redirect("administration:terminals")
    rows = Terminal.objects.select_related("organisation").order_by("organisation__code", "name")
    return render(request, "web/administration/terminals.html", {"form": form, "terminals": rows,
                                                                 "role_labels": dict(Role.choices)})


@require_POST
@administrator
def terminal_toggle(request: HttpRequest, actor: Actor, terminal_id: int) -> HttpResponse:
    terminal = get_object_or_404(Terminal, pk=terminal_id)
    logged_change(request, actor, AuditEvent.ADMIN_TERMINAL,
                  lambda: admin.set_terminal_active(actor=actor, terminal=terminal, active=not terminal.active))
    return redirect("administration:terminals")
