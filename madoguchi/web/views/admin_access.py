"""Gatekeeping for the auditor and administrator screens.

A signed-in user without the role gets :class:`AccessRefused` (the middleware logs it and answers 403).
An anonymous visitor is refused too: the refusal is logged here, then the log-in page is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from madoguchi.accounts.context import Actor
from madoguchi.accounts.services.administration import Change, require_administrator
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access, record_denied
from madoguchi.core.errors import BusinessRuleError

View = Callable[..., HttpResponseBase]


def guarded(check: Callable[[Actor], None]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            actor = Actor.from_request(request)
            if actor.user is None:
                record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason="ログインしていません。",
                              target=request.path[:200])
                return redirect_to_login(request.get_full_path())
            check(actor)
            return view(request, actor, *args, **kwargs)
        return wrapper
    return decorate


def logged_change(request: HttpRequest, actor: Actor, event: AuditEvent, change: Callable[[], Change]) -> bool:
    """Run an administration change and its access-log row in one transaction; show the outcome as a message."""
    try:
        with transaction.atomic():
            done = change()
            record_access(actor=actor, action=event, target=done.target)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, f"{done.target}（アクセスログに記録しました）")
    return True


administrator = guarded(require_administrator)
