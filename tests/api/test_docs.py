"""/api/docs and the OpenAPI schema: served from the package (no CDN), only to a signed-in user or a token."""

from __future__ import annotations

from django.test import Client

from madoguchi.audit.models import AccessLog
from tests.api.tokens import bearer_client, issue


def test_docs_need_a_login_and_refusals_are_logged(db):
    for url in ("/api/docs", "/api/openapi.json"):
        response = Client().get(url)
        assert response.status_code in (302, 401), url
        row = AccessLog.objects.latest("id")
        assert not row.allowed and row.target == url


def test_swagger_ui_is_served_from_the_package(world, client_for):
    response = client_for("owner").get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_the_schema_is_given_to_a_token(world):
    response = bearer_client(issue(world.users["contractor"])).get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/programs/{program_code}/cases" in paths and "/api/programs/{program_code}/participants" in paths
    assert bearer_client("mdg_wrong_token").get("/api/openapi.json").status_code == 401
