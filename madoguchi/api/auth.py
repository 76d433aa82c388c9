"""How the API knows who calls (ADR 0013): a bearer API token, or the browser's session.

- ``Authorization: Bearer mdg_…``: the token is checked by :func:`madoguchi.accounts.services.api_tokens.check_token`;
  a token that is unknown, revoked, expired, or whose user is inactive or moved organisation, is refused outright
  (401, logged) even when a session cookie is sent too.  A valid token makes its user the request's user, so
  the access policy and the access log treat the call exactly as the same user's screens.
- The session of a signed-in browser (Swagger UI at ``/api/docs``) is accepted as before.

The OpenAPI schema and Swagger UI (``/api/openapi.json``, ``/api/docs``) are served only to a signed-in user
or a valid token (:func:`signed_in_docs`); anonymous requests are refused and logged.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.accounts.services.api_tokens import TokenCheck, check_token
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied

REFUSED = "APIトークンが無効です（誤り・取消し・期限切れのいずれか）。管理者に確認してください。"


class InvalidToken(AuthenticationError):
    """A bearer token was presented and cannot be used; ``check`` says why (for the log, not the caller)."""

    def __init__(self, check: TokenCheck) -> None:
        super().__init__(401, REFUSED)
        self.check = check


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


def authenticate_bearer(request: HttpRequest) -> User | None:
    """The user of the request's bearer token; None when no bearer token is sent; InvalidToken when unusable."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    check = check_token(token.strip(), address=_address(request))
    if check.user is None:
        raise InvalidToken(check)
    request.user = check.user
    return check.user


class ApiTokenAuth(HttpBearer):
    """Ninja's bearer authentication with madoguchi's API tokens."""

    def __call__(self, request: HttpRequest) -> Any:
        return authenticate_bearer(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover - __call__ does it
        return authenticate_bearer(request)


API_AUTH = [ApiTokenAuth(), django_auth]


def log_refused_authentication(request: HttpRequest, exc: Exception) -> None:
    """Write the refusal of an unauthenticated call: a revoked or expired token names its user."""
    check = getattr(exc, "check", None)
    if isinstance(check, TokenCheck) and check.token is not None:
        actor = Actor(user=check.token.user, address=_address(request), channel="api")
        reason = check.refusal
    elif isinstance(check, TokenCheck):
        actor, reason = Actor(user=None, address=_address(request), channel="api"), check.refusal
    else:
        actor, reason = Actor.from_request(request, channel="api"), "ログインしていません。"
    record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason=reason, target=request.path[:200])


def signed_in_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI schema and Swagger UI only for a signed-in user or a valid API token; others refused, logged."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            authenticate_bearer(request)
        except InvalidToken as exc:
            log_refused_authentication(request, exc)
            return JsonResponse({"detail": REFUSED}, status=401)
        if not request.user.is_authenticated:
            log_refused_authentication(request, AuthenticationError())
            if request.path.endswith(".json"):
                return JsonResponse({"detail": "ログインしてください。"}, status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
