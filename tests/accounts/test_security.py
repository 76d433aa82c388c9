"""Hardening of the log-in: lock expiry, session expiry, TOTP enrolment, replay and guessing."""

from __future__ import annotations

import datetime as dt
import time

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from madoguchi.accounts.models import Role, RoleSetting, User
from madoguchi.accounts.services.auth import LoginOutcome, check_password_login, verify_totp
from madoguchi.audit.models import AccessLog
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_lock_lapses_by_itself(staff_user, settings):
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 2
    for n in range(2):
        check_password_login(username="staff", password="wrong", address=f"10.0.0.{n}")
    staff_user.refresh_from_db()
    assert staff_user.is_locked()
    assert check_password_login(username="staff", password=PASSWORD).outcome == LoginOutcome.LOCKED
    from madoguchi.accounts.models import LoginFailure
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=16))  # the failures lapse too
    # the lock lapses after LOGIN_LOCK_MINUTES
    later = staff_user.locked_until + dt.timedelta(seconds=1)
    assert not staff_user.is_locked(later)
    User.objects.filter(pk=staff_user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    result = check_password_login(username="staff", password=PASSWORD)
    assert result.outcome == LoginOutcome.OK
    staff_user.refresh_from_db()
    assert staff_user.locked_until is None and staff_user.failed_logins == 0


def test_lock_lasts_the_configured_minutes(staff_user, settings):
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 1
    settings.LOGIN_LOCK_MINUTES = 15
    before = timezone.now()
    result = check_password_login(username="staff", password="wrong")
    assert result.outcome == LoginOutcome.LOCKED and result.message == "利用者IDまたはパスワードが違います。"
    staff_user.refresh_from_db()
    assert dt.timedelta(minutes=15) <= staff_user.locked_until - before < dt.timedelta(minutes=15, seconds=30)


def test_lock_is_logged(staff_user, settings):
    settings.LOGIN_MAX_FAILURES = 1
    post_login(Client(), "staff", "wrong")
    post_login(Client(), "staff")
    assert list(AccessLog.objects.values_list("action", "allowed")) == [
        ("auth.locked", False), ("auth.locked", False)]


def test_inactive_account_is_not_revealed_without_its_password(staff_user):
    staff_user.is_active = False
    staff_user.save()
    wrong = check_password_login(username="staff", password="wrong")
    assert wrong.outcome == LoginOutcome.BAD_CREDENTIALS and "利用停止" not in wrong.message
    right = check_password_login(username="staff", password=PASSWORD)
    assert right.outcome == LoginOutcome.INACTIVE
    staff_user.refresh_from_db()
    assert staff_user.failed_logins == 0


def test_unknown_user_gets_the_same_message_as_a_wrong_password(staff_user):
    assert (check_password_login(username="nobody", password="x").message
            == check_password_login(username="staff", password="x").message)


def test_session_settings_expire_idle_sessions(settings):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_an_expired_session_is_signed_out(staff_user):
    client = Client()
    assert post_login(client, "staff").status_code == 302
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_session_key_changes_at_log_in(staff_user):
    client = Client()
    before = client.session.session_key  # the test client saves a fresh session and sets its cookie
    assert before and Session.objects.filter(session_key=before).exists()
    post_login(client, "staff")
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


@pytest.fixture
def totp_user(db):
    RoleSetting.objects.create(role=Role.AUDITOR, require_totp=True)
    return UserFactory(username="aud", role=Role.AUDITOR)


def test_totp_enrolment_then_later_log_ins_ask_only_for_the_code(totp_user):
    client = Client()
    post_login(client, "aud")
    first = client.get("/accounts/login/totp/").content.decode()
    assert "QRコード" in first and "data-testid=\"totp-secret\"" in first
    user = User.objects.get(pk=totp_user.pk)
    assert user.totp_secret and not user.totp_confirmed
    # the QR code is not shown again with a different secret: the secret stays until enrolment
    client.get("/accounts/login/totp/")
    assert User.objects.get(pk=user.pk).totp_secret == user.totp_secret
    assert client.post("/accounts/login/totp/", {"code": pyotp.TOTP(user.totp_secret).now()}).status_code == 302
    user.refresh_from_db()
    assert user.totp_confirmed
    client.post("/accounts/logout/")
    again = Client()
    post_login(again, "aud")
    page = again.get("/accounts/login/totp/").content.decode()
    assert "QRコード" not in page and user.totp_secret not in page


def test_a_totp_code_is_accepted_once(totp_user):
    secret = pyotp.random_base32()
    User.objects.filter(pk=totp_user.pk).update(totp_secret=secret, totp_confirmed=True)
    user = User.objects.get(pk=totp_user.pk)
    now = time.time()
    code = pyotp.TOTP(secret).at(now)
    assert verify_totp(user, code, now=now)
    assert not verify_totp(user, code, now=now)
    # an older code (the previous step) is not accepted after a newer one either
    assert not verify_totp(user, pyotp.TOTP(secret).at(now - 30), now=now)
    assert verify_totp(user, pyotp.TOTP(secret).at(now + 30), now=now + 30)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef"])
def test_malformed_codes_are_refused(totp_user, code):
    User.objects.filter(pk=totp_user.pk).update(totp_secret=pyotp.random_base32())
    assert not verify_totp(User.objects.get(pk=totp_user.pk), code)


def test_guessing_totp_codes_locks_the_account(totp_user, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    post_login(client, "aud")
    client.get("/accounts/login/totp/")
    for _ in range(2):
        assert client.post("/accounts/login/totp/", {"code": "000000"}).status_code == 401
    locked = client.post("/accounts/login/totp/", {"code": "000000"})
    assert locked.status_code == 401 and "ロック" in locked.content.decode()
    user = User.objects.get(pk=totp_user.pk)
    assert user.is_locked()
    # even the right code does not help now: the pending log-in was dropped
    response = client.post("/accounts/login/totp/", {"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.status_code == 302 and response.url.endswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert AccessLog.objects.filter(username="aud", action="auth.locked").exists()


def test_password_success_does_not_reset_failures_before_the_code(totp_user, settings):
    settings.LOGIN_MAX_FAILURES = 3
    User.objects.filter(pk=totp_user.pk).update(failed_logins=2)
    assert check_password_login(username="aud", password=PASSWORD).outcome == LoginOutcome.NEEDS_TOTP
    assert User.objects.get(pk=totp_user.pk).failed_logins == 2


def test_pending_totp_log_in_expires(totp_user):
    client = Client()
    post_login(client, "aud")
    session = client.session
    session["pending_totp_at"] = time.time() - 301
    session.save()
    user = User.objects.get(pk=totp_user.pk)
    response = client.post("/accounts/login/totp/", {"code": pyotp.TOTP(user.totp_secret or "A" * 32).now()})
    assert response.status_code == 302 and response.url.endswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_totp_page_without_a_password_step_goes_back_to_log_in(db):
    response = Client().get("/accounts/login/totp/")
    assert response.status_code == 302 and response.url.endswith("/accounts/login/")
