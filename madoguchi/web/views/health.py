"""``/healthz``: for the monitor and the reverse proxy; no login, no residents' data, not in the access log."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from madoguchi.core.health import check_health


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with ``{"status": "ok", "database": "ok", "worker": …}``; 503 when the database or the worker fails."""
    health = check_health()
    return JsonResponse(health.as_dict(), status=200 if health.healthy else 503)
