"""The JSON API (Django Ninja, OpenAPI at /api/docs).  Handlers only parse, call services and serialise.

Who calls: an API token (``Authorization: Bearer mdg_…``) or the browser's session (:mod:`madoguchi.api.auth`).
Every answer about residents goes through the access policy (madoguchi.register.policy) and is logged;
every refusal answers 401/403 JSON and is logged with ``record_denied`` (its own transaction, after the
handler's has rolled back).  An object that does not exist and one the caller may not see are refused alike
(403).  The schema and Swagger UI (served from the package's static files, no CDN) need a signed-in user or
a token (ADR 0013).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from madoguchi.accounts.context import Actor
from madoguchi.api.auth import API_AUTH, log_refused_authentication, signed_in_docs
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, BusinessRuleError

DESCRIPTION = """\
区の事業の申請・対象者・住民の情報を、承認された登録（アクセス方針）のとおりに返す API です。

- 認証: `Authorization: Bearer <APIトークン>`（画面「APIトークン」で発行）。ブラウザでログイン中ならそのセッションでも使えます。
- 返す項目は、呼び出した利用者の組織に登録で認められた項目だけです（認められていない項目は値が空なのではなく、項目ごとありません）。
- 呼出しはすべてアクセスログに記録されます。拒否（401・403）も記録されます。
- 存在しない番号と、閲覧を認められていない番号は、同じ 403 で答えます。
"""

api = NinjaAPI(title="madoguchi API", version="1", auth=API_AUTH, urls_namespace="api", description=DESCRIPTION,
               docs_decorator=signed_in_docs)


@api.exception_handler(AccessRefused)
def access_refused(request: HttpRequest, exc: AccessRefused) -> HttpResponse:
    record_denied(actor=Actor.from_request(request, channel="api"), action=AuditEvent.ACCESS_DENIED,
                  reason=exc.reason, target=(exc.target or request.path)[:200], program=exc.program)
    return api.create_response(request, {"detail": exc.reason, "logged": True}, status=403)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    log_refused_authentication(request, exc)
    detail = exc.message if getattr(exc, "check", None) is not None else "ログインするか、APIトークンを付けてください。"
    response = api.create_response(request, {"detail": detail, "logged": True}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="madoguchi"'
    return response


@api.exception_handler(BusinessRuleError)
def business_rule(request: HttpRequest, exc: BusinessRuleError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "logged": False}, status=400)


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Malformed parameters: 422 with the fields named (nothing read, nothing logged about residents)."""
    errors: list[dict[str, Any]] = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
                                    for e in exc.errors]
    return api.create_response(request, {"detail": "入力が正しくありません。", "errors": errors}, status=422)


from madoguchi.api import endpoints  # noqa: E402,F401  (registers the routes on ``api``)
