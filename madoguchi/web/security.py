"""Security middleware of the site: no caching of pages, a JSON request log without residents' data,
the health endpoint, and the site's own 404/500 handlers (ADR 0018, docs/operations.md)."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

request_log = logging.getLogger("madoguchi.request")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response Django makes (pages, downloads, htmx fragments).

    Pages show residents' data to a signed-in user; no browser, proxy or shared terminal may keep a copy.
    Static files are served before this middleware (whitenoise) and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class RequestLogMiddleware:
    """One JSON log line per request: method, URL pattern (not the path or query), status, duration, user id.

    Level INFO (on in production: ``MADOGUCHI_REQUEST_LOG_LEVEL``); 5xx answers at ERROR.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        if request_log.isEnabledFor(level):
            request_log.log(level, "request", extra={
                "method": request.method,
                "route": ("/" + match.route) if match is not None else "(unresolved)",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            })
        return response


class ProxyAddressMiddleware:
    """The terminal's address behind the reverse proxy: ``REMOTE_ADDR`` from ``X-Real-IP``.

    Behind nginx every request comes from 127.0.0.1; the access log, terminal binding and throttling need the
    terminal's own address.  The header is believed only when the request comes from an address in
    ``TRUSTED_PROXIES`` (``MADOGUCHI_TRUSTED_PROXIES``; in production 127.0.0.1 and ::1, elsewhere none),
    and only when it is a valid IP address (docs/nginx.conf sets it, replacing any the client sent).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(getattr(settings, "TRUSTED_PROXIES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        real = request.META.get("HTTP_X_REAL_IP", "")
        if real and request.META.get("REMOTE_ADDR") in self.trusted:
            with contextlib.suppress(ValueError):  # not an address: keep the proxy's
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(real.strip()))
        return self.get_response(request)
