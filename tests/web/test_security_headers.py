"""Unsafe defaults (issue 16 item 4): CSP, no-store, POST-only logout, Japanese 404/500 without internals."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path

from madoguchi.audit.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and "unsafe" not in directives["style-src"]


def test_pages_of_a_signed_in_user_are_never_stored(login_client, staff_user):
    client = login_client(staff_user)
    for url in ("/", "/residents/", "/cases/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_logout_by_get_does_not_sign_out(login_client, staff_user):
    client = login_client(staff_user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200  # still signed in
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # now signed out: sent to the login page
    assert AccessLog.objects.filter(action="auth.logout", username=staff_user.username).count() == 1


def test_unknown_url_answers_a_japanese_page_in_the_site_layout_without_the_url_list(login_client, staff_user):
    client = login_client(staff_user)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "ページが見つかりません" in body and 'class="site-header"' in body
    for internal in ("URLconf", "The current path", "no-such-page", "Page not found", "madoguchi.urls", "api/"):
        assert internal not in body


def _boom(request):
    raise RuntimeError("山田太郎 の住所 東京都新宿区西新宿2-8-1 で失敗")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_is_a_japanese_page_without_data():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "エラーが発生しました" in body and 'class="site-header"' in body
    assert "山田太郎" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_csrf_failure_is_japanese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "画面の有効期限が切れました" in response.content.decode()


def test_terminal_address_comes_from_the_trusted_proxy_only(settings, staff_user):
    from django.test import Client as _Client

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    behind_proxy = _Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.20.30.40")
    behind_proxy.post("/accounts/login/", {"username": "nobody-proxy", "password": "wrong-password"})
    direct = _Client(REMOTE_ADDR="192.0.2.9", HTTP_X_REAL_IP="10.99.99.99")
    direct.post("/accounts/login/", {"username": "nobody-direct", "password": "wrong-password"})
    assert AccessLog.objects.filter(target="nobody-proxy").get().address == "10.20.30.40"
    assert AccessLog.objects.filter(target="nobody-direct").get().address == "192.0.2.9"
