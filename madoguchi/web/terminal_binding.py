"""Refuses every request of a terminal-bound role from an unregistered address (issue 4, point 2).

The check is repeated on each request (a session must not outlive a move to another network): the refusal
is logged, the session ended, and a 403 page shown.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from madoguchi.accounts.context import Actor
from madoguchi.accounts.middleware import client_address
from madoguchi.accounts.services.terminals import terminal_refusal
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access


class TerminalBindingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = terminal_refusal(user, client_address(request))  # type: ignore[arg-type]
            if reason:
                record_access(actor=Actor.from_request(request), action=AuditEvent.TERMINAL_REFUSED,
                              allowed=False, reason=reason, target=request.path[:200])
                logout(request)
                return render(request, "web/403.html", {"reason": reason}, status=403)
        return self.get_response(request)
