"""Administration: users (list, create, deactivate/reactivate, unlock, reset TOTP).  No residents' data."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, Role, User
from madoguchi.accounts.services import administration as admin
from madoguchi.audit.events import AuditEvent
from madoguchi.web.views.admin_access import administrator, logged_change


class UserForm(forms.Form):
    username = forms.CharField(label="利用者ID", max_length=150)
    display_name = forms.CharField(label="表示名", max_length=100, required=False)
    role = forms.ChoiceField(label="ロール", choices=Role.choices)
    organisation = forms.ModelChoiceField(label="所属", queryset=Organisation.objects.order_by("kind", "code"))
    password = forms.CharField(label="初期パスワード", widget=forms.PasswordInput, min_length=10,
                               help_text="10文字以上。本人に安全な方法で伝え、初回に変更してもらいます。")


@require_http_methods(["GET", "POST"])
@administrator
def users(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok = logged_change(request, actor, AuditEvent.ADMIN_USER, lambda: admin.create_user(
            actor=actor, username=d["username"], display_name=d["display_name"], role=d["role"],
            organisation=d["organisation"], password=d["password"]))
        if ok:
            return redirect("administration:users")
    rows = User.objects.select_related("organisation").order_by("organisation__code", "username")
    return render(request, "web/administration/users.html", {"form": form, "users": rows, "now": timezone.now()})


@require_http_methods(["GET"])
@administrator
def user_detail(request: HttpRequest, actor: Actor, user_id: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("organisation"), pk=user_id)
    return render(request, "web/administration/user_detail.html", {
        "subject": user, "locked": user.is_locked(), "is_self": user.pk == actor.user.pk if actor.user else False,
    })


ACTIONS = {
    "deactivate": lambda actor, user: admin.set_user_active(actor=actor, user=user, active=False),
    "activate": lambda actor, user: admin.set_user_active(actor=actor, user=user, active=True),
    "unlock": lambda actor, user: admin.unlock_user(actor=actor, user=user),
    "reset-totp": lambda actor, user: admin.reset_totp(actor=actor, user=user),
}


@require_POST
@administrator
def user_action(request: HttpRequest, actor: Actor, user_id: int, action: str) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    if action not in ACTIONS:
        return HttpResponse(status=404)
    logged_change(request, actor, AuditEvent.ADMIN_USER, lambda: ACTIONS[action](actor, user))
    return redirect("administration:user", user_id=user.pk)
