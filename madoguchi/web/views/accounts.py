"""Log-in (password, then TOTP when the role requires it) and log-out."""

from __future__ import annotations

import segno
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.accounts.services.auth import LoginOutcome, check_password_login, totp_uri, verify_totp
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access

PENDING_KEY = "pending_totp_user"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _finish_login(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record_access(actor=Actor.from_request(request), action=AuditEvent.LOGIN)
    return redirect(_next_url(request))


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        result = check_password_login(username=username, password=request.POST.get("password", ""))
        actor = Actor(user=result.user, address=str(request.META.get("REMOTE_ADDR") or ""))
        if result.outcome == LoginOutcome.OK and result.user:
            return _finish_login(request, result.user)
        if result.outcome == LoginOutcome.NEEDS_TOTP and result.user:
            request.session[PENDING_KEY] = result.user.pk
            request.session["pending_next"] = _next_url(request)
            return redirect("accounts:totp")
        event = AuditEvent.LOGIN_LOCKED if result.outcome == LoginOutcome.LOCKED else AuditEvent.LOGIN_FAILED
        record_access(actor=actor, action=event, allowed=False, target=username[:150], reason=result.outcome)
        error = result.message
    return render(request, "accounts/login.html", {"error": error, "next": request.GET.get("next", "")},
                  status=200 if not error else 401)


@require_http_methods(["GET", "POST"])
def totp_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    user = User.objects.filter(pk=pending).first() if pending else None
    if user is None:
        return redirect("accounts:login")
    error = ""
    if request.method == "POST":
        if verify_totp(user, request.POST.get("code", "")):
            del request.session[PENDING_KEY]
            nxt = request.session.pop("pending_next", "/")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            record_access(actor=Actor.from_request(request), action=AuditEvent.LOGIN)
            return redirect(nxt)
        record_access(actor=Actor(user=user, address=str(request.META.get("REMOTE_ADDR") or "")),
                      action=AuditEvent.LOGIN_FAILED, allowed=False, reason="totp")
        error = "確認コードが違います。"
    context: dict[str, object] = {"error": error, "enrolled": user.totp_confirmed}
    if not user.totp_confirmed:
        uri = totp_uri(user)
        context["qr_svg"] = segno.make(uri).svg_inline(scale=4)
        context["secret"] = user.totp_secret
    return render(request, "accounts/totp.html", context)


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_access(actor=Actor.from_request(request), action=AuditEvent.LOGOUT)
    logout(request)
    return redirect("accounts:login")
