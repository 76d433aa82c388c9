"""The JSON API (Django Ninja, OpenAPI at /api/docs).  Handlers only parse, call services and serialise."""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="madoguchi API", version="1", auth=django_auth, urls_namespace="api")


@api.get("/health", auth=None)
def health(request: object) -> dict[str, str]:
    return {"status": "ok"}
