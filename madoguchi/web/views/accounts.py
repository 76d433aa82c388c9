"""Log-in (password, then TOTP when the role requires it) and log-out."""

from __future__ import annotations

import time

import segno
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.accounts.services.auth import LoginOutcome, check_password_login, check_totp_login, totp_uri
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access

PENDING_KEY = "pending_totp_user"
PENDING_AT_KEY = "pending_totp_at"
PENDING_SECONDS = 300  # the code must be entered within five minutes of the password

DENIED_EVENTS = {
    LoginOutcome.LOCKED: AuditEvent.LOGIN_LOCKED,
    LoginOutcome.SOURCE_REFUSED: AuditEvent.LOGIN_LOCKED,
    LoginOutcome.TERMINAL_REFUSED: AuditEvent.TERMINAL_REFUSED,
}
PENDING_TERMINAL_KEY = "pending_totp_terminal"


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _finish_login(request: HttpRequest, user: User, next_url: str, *, via_terminal: bool = False) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record_access(actor=Actor.from_request(request), action=AuditEvent.LOGIN,
                  reason="ロック中のアカウント: 登録端末から二要素認証でログインし、ロックを解除" if via_terminal else "")
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        result = check_password_login(username=username, password=request.POST.get("password", ""),
                                      address=_address(request))
        if result.outcome == LoginOutcome.OK and result.user:
            return _finish_login(request, result.user, _next_url(request))
        if result.outcome == LoginOutcome.NEEDS_TOTP and result.user:
            request.session.cycle_key()
            request.session[PENDING_KEY] = result.user.pk
            request.session[PENDING_AT_KEY] = time.time()
            request.session["pending_next"] = _next_url(request)
            request.session[PENDING_TERMINAL_KEY] = result.via_terminal
            return redirect("accounts:totp")
        actor = Actor(user=result.user, address=_address(request))
        event = DENIED_EVENTS.get(result.outcome, AuditEvent.LOGIN_FAILED)
        record_access(actor=actor, action=event, allowed=False, target=username[:150],
                      reason=result.message if result.outcome == LoginOutcome.TERMINAL_REFUSED else result.outcome)
        # (the same answer for an unknown name, a wrong password and a locked account: ADR 0020)
        error = result.message
    return render(request, "accounts/login.html", {"error": error, "next": request.GET.get("next", "")},
                  status=200 if not error else 401)


def _drop_pending(request: HttpRequest) -> None:
    for key in (PENDING_KEY, PENDING_AT_KEY, "pending_next", PENDING_TERMINAL_KEY):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
def totp_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    started = float(request.session.get(PENDING_AT_KEY) or 0)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending else None
    if user is None or time.time() - started > PENDING_SECONDS:
        _drop_pending(request)
        return redirect("accounts:login")
    error = ""
    if request.method == "POST":
        result = check_totp_login(user_id=user.pk, code=request.POST.get("code", ""), address=_address(request))
        if result.outcome == LoginOutcome.OK and result.user:
            nxt = request.session.get("pending_next") or "/"
            _drop_pending(request)
            return _finish_login(request, result.user, nxt, via_terminal=result.via_terminal)
        record_access(actor=Actor(user=user, address=_address(request)),
                      action=AuditEvent.LOGIN_LOCKED if result.outcome == LoginOutcome.LOCKED
                      else AuditEvent.LOGIN_FAILED, allowed=False, reason=f"totp:{result.outcome}")
        if result.outcome == LoginOutcome.LOCKED:
            _drop_pending(request)
            return render(request, "accounts/login.html", {"error": result.message, "next": ""}, status=401)
        error = result.message
        user.refresh_from_db()
    context: dict[str, object] = {"error": error, "enrolled": user.totp_confirmed}
    if not user.totp_confirmed:
        uri = totp_uri(user)
        context["qr_svg"] = segno.make(uri).svg_inline(scale=4)
        context["secret"] = user.totp_secret
    return render(request, "accounts/totp.html", context, status=200 if not error else 401)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only: a link or an image on any page must not sign a user out)."""
    if request.user.is_authenticated:
        record_access(actor=Actor.from_request(request), action=AuditEvent.LOGOUT)
    logout(request)
    return redirect("accounts:login")
