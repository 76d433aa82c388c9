"""Turns :class:`AccessRefused` raised anywhere below a view into a logged 403 page, and an upload refused for
its size (madoguchi.core.uploads) into a 413 page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused
from madoguchi.core.uploads import refused_limit, too_large_message


class AccessRefusedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AccessRefused):
            return None
        # The view's transaction has rolled back by now; this row is written in its own.
        record_denied(
            actor=Actor.from_request(request),
            action=AuditEvent.ACCESS_DENIED,
            reason=exception.reason,
            target=exception.target or request.path[:200],
            program=exception.program,
        )
        return render(request, "web/403.html", {"reason": exception.reason}, status=403)


class UploadTooLargeMiddleware:
    """Answers 413 with a Japanese message, before the view runs, when an upload exceeded IMPORT_MAX_BYTES
    (nothing of it was written).  Placed after CsrfViewMiddleware, which has parsed the form by then."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: object, view_args: object,
                     view_kwargs: object) -> HttpResponse | None:
        if request.method != "POST" or not (request.content_type or "").startswith("multipart/"):
            return None
        request.POST  # noqa: B018 -- parse now (the size handler marks a refused upload)
        limit = refused_limit(request)
        if limit is None:
            return None
        return render(request, "web/413.html", {"message": too_large_message(limit)}, status=413)
