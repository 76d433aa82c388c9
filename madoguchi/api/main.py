"""The JSON API (Django Ninja, OpenAPI at /api/docs).  Handlers only parse, call services and serialise.

Every answer about residents goes through the access policy (madoguchi.register.policy) and is logged;
every refusal answers 403 JSON and is logged with ``record_denied`` (its own transaction, after the
handler's has rolled back).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from madoguchi.accounts.context import Actor
from madoguchi.api.services import residents as svc
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.policy import item_label, policy_for_request

api = NinjaAPI(title="madoguchi API", version="1", auth=django_auth, urls_namespace="api")


@api.exception_handler(AccessRefused)
def access_refused(request: HttpRequest, exc: AccessRefused) -> HttpResponse:
    record_denied(actor=Actor.from_request(request, channel="api"), action=AuditEvent.ACCESS_DENIED,
                  reason=exc.reason, target=(exc.target or request.path)[:200], program=exc.program)
    return api.create_response(request, {"detail": exc.reason, "logged": True}, status=403)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    record_denied(actor=Actor.from_request(request, channel="api"), action=AuditEvent.ACCESS_DENIED,
                  reason="ログインしていません。", target=request.path[:200])
    return api.create_response(request, {"detail": "ログインしてください。"}, status=401)


@api.exception_handler(BusinessRuleError)
def business_rule(request: HttpRequest, exc: BusinessRuleError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


def _policy(request: HttpRequest):  # type: ignore[no-untyped-def]
    return policy_for_request(request, channel="api")


@api.get("/health", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


@api.get("/residents", summary="住民の検索（閲覧を認められた住民・項目のみ）")
def search_residents(request: HttpRequest, q: str = "", birth_date: str = "", address: str = "",
                     program: str = "", limit: int = svc.SEARCH_LIMIT) -> list[dict[str, Any]]:
    return svc.search_residents(policy=_policy(request), q=q, birth_date=birth_date, address=address,
                                program_code=program or None, limit=limit)


@api.get("/residents/{resident_id}", summary="住民の情報（登録で認められた項目のみ）")
def get_resident(request: HttpRequest, resident_id: int, program: str = "") -> dict[str, Any]:
    return svc.view_resident(policy=_policy(request), resident_id=resident_id, program_code=program or None)


@api.get("/programs/{program_code}/export", summary="事業の対象者の出力（登録された項目のみ）")
def export_program(request: HttpRequest, program_code: str, items: Query[list[str]], task: str = "",
                   offset: int = 0, limit: int = svc.EXPORT_LIMIT) -> dict[str, Any]:
    wanted = [i for part in items for i in part.split(",") if i]
    return svc.export_program(policy=_policy(request), program_code=program_code, items=wanted,
                              task=task or None, offset=offset, limit=limit)


@api.get("/policy", summary="自分の組織に認められている事業・項目・業務・期間")
def my_policy(request: HttpRequest) -> dict[str, Any]:
    policy = _policy(request)
    return {
        "refusal": policy.refusal,
        "grants": [
            {"program": g.program_code, "revision": g.revision_number, "kind": g.kind,
             "items": [{"key": k, "name": item_label(k)} for k in sorted(g.items)],
             "tasks": sorted(g.tasks), "media": sorted(g.media),
             "start": g.start.isoformat() if g.start else None, "end": g.end.isoformat() if g.end else None}
            for g in policy.grants
        ],
        "break_glass": [{"resident_id": b.resident_id, "expires_at": b.expires_at.isoformat()}
                        for b in policy.break_glass],
    }
