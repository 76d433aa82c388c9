"""Password check with lock-out, and the TOTP second factor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.models import RoleSetting, User


class LoginOutcome(StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None
    message: str = ""


def role_requires_totp(role: str) -> bool:
    return RoleSetting.objects.filter(role=role, require_totp=True).exists()


def check_password_login(*, username: str, password: str) -> LoginResult:
    """Check a username and password.  Counts failures and locks the account after too many."""
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None and user.is_locked(now):
            return LoginResult(LoginOutcome.LOCKED, user, "アカウントはロックされています。しばらくしてから再度お試しください。")
        authed = authenticate(username=username, password=password)
        if authed is None:
            if user is None:
                return LoginResult(LoginOutcome.BAD_CREDENTIALS, None, "利用者IDまたはパスワードが違います。")
            if not user.is_active:
                return LoginResult(LoginOutcome.INACTIVE, user, "このアカウントは利用停止中です。")
            user.failed_logins += 1
            if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
                user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
                user.failed_logins = 0
                user.save(update_fields=["failed_logins", "locked_until"])
                return LoginResult(
                    LoginOutcome.LOCKED, user,
                    f"パスワードを{settings.LOGIN_MAX_FAILURES}回続けて誤ったため、"
                    f"{settings.LOGIN_LOCK_MINUTES}分間ロックしました。",
                )
            user.save(update_fields=["failed_logins"])
            return LoginResult(LoginOutcome.BAD_CREDENTIALS, user, "利用者IDまたはパスワードが違います。")
        assert isinstance(authed, User)
        if authed.failed_logins or authed.locked_until:
            authed.failed_logins = 0
            authed.locked_until = None
            authed.save(update_fields=["failed_logins", "locked_until"])
        if role_requires_totp(authed.role):
            return LoginResult(LoginOutcome.NEEDS_TOTP, authed)
        return LoginResult(LoginOutcome.OK, authed)


def ensure_totp_secret(user: User) -> str:
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed = False
        user.save(update_fields=["totp_secret", "totp_confirmed"])
    return user.totp_secret


def totp_uri(user: User) -> str:
    return pyotp.TOTP(ensure_totp_secret(user)).provisioning_uri(name=user.username, issuer_name="madoguchi")


def verify_totp(user: User, code: str) -> bool:
    """Check a six-digit code (one step of clock drift allowed); the first success confirms enrolment."""
    if not user.totp_secret:
        return False
    ok = pyotp.TOTP(user.totp_secret).verify(code.strip(), valid_window=1)
    if ok and not user.totp_confirmed:
        user.totp_confirmed = True
        user.save(update_fields=["totp_confirmed"])
    return ok
