from __future__ import annotations

import pyotp
import pytest
from django.test import Client

from madoguchi.accounts.models import Role, RoleSetting, User
from madoguchi.audit.models import AccessLog
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_password_is_stored_with_argon2(staff_user):
    assert staff_user.password.startswith("argon2$")


def test_login_succeeds_and_is_logged(staff_user):
    client = Client()
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert AccessLog.objects.filter(username="staff", action="auth.login", allowed=True).count() == 1


def test_wrong_password_is_refused_and_logged(staff_user):
    response = Client().post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 401
    assert "利用者IDまたはパスワードが違います" in response.content.decode()
    assert AccessLog.objects.filter(username="staff", action="auth.login_failed", allowed=False).exists()


def test_repeated_failures_lock_the_account(staff_user, settings):
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 3
    for n in range(3):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post("/accounts/login/", {"username": "staff", "password": "wrong"})
    staff_user.refresh_from_db()
    assert staff_user.is_locked()
    # Even the right password is refused while locked, with the answer a wrong password gets (ADR 0020).
    client = Client()
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 401
    assert "利用者IDまたはパスワードが違います" in response.content.decode()
    assert "ロック" not in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE <= 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_totp_required_for_role(db):
    RoleSetting.objects.create(role=Role.AUDITOR, require_totp=True)
    user = UserFactory(username="aud", role=Role.AUDITOR)
    client = Client()
    response = client.post("/accounts/login/", {"username": "aud", "password": PASSWORD})
    assert response.status_code == 302 and response.url.endswith("/accounts/login/totp/")
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/login/totp/")
    assert "QR" in page.content.decode()
    user = User.objects.get(pk=user.pk)
    bad = client.post("/accounts/login/totp/", {"code": "000000"})
    assert bad.status_code == 401 and "_auth_user_id" not in client.session
    good = client.post("/accounts/login/totp/", {"code": pyotp.TOTP(user.totp_secret).now()})
    assert good.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.totp_confirmed


def test_open_redirect_is_not_followed(staff_user):
    response = Client().post("/accounts/login/?next=https://evil.example/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
