"""Password check with lock-out, terminal binding, and the TOTP second factor.

- Failures (password or TOTP code) count towards the lock; ``LOGIN_MAX_FAILURES`` in a row lock the account
  for ``LOGIN_LOCK_MINUTES``.  While locked even the right password is refused; the lock lapses by itself.
- An inactive account is only named as such to someone who knows its password (no account probing).
- A TOTP code is accepted once (its time step is remembered), with one step of clock drift either way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.models import RoleSetting, User
from madoguchi.accounts.services.terminals import terminal_refusal

BAD_CREDENTIALS = "利用者IDまたはパスワードが違います。"
LOCKED = "アカウントはロックされています。しばらくしてから再度お試しください。"


class LoginOutcome(StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    BAD_CREDENTIALS = "bad_credentials"
    BAD_TOTP = "bad_totp"
    LOCKED = "locked"
    INACTIVE = "inactive"
    TERMINAL_REFUSED = "terminal_refused"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None
    message: str = ""


def role_requires_totp(role: str) -> bool:
    return RoleSetting.objects.filter(role=role, require_totp=True).exists()


def _count_failure(user: User, now: datetime, outcome: LoginOutcome, message: str) -> LoginResult:
    user.failed_logins += 1
    if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        user.failed_logins = 0
        user.save(update_fields=["failed_logins", "locked_until"])
        return LoginResult(
            LoginOutcome.LOCKED, user,
            f"{settings.LOGIN_MAX_FAILURES}回続けて誤ったため、{settings.LOGIN_LOCK_MINUTES}分間ロックしました。",
        )
    user.save(update_fields=["failed_logins"])
    return LoginResult(outcome, user, message)


def check_password_login(*, username: str, password: str, address: str = "") -> LoginResult:
    """Check a username and password (and the terminal, when the role is bound to terminals)."""
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is not None and user.is_locked(now):
            return LoginResult(LoginOutcome.LOCKED, user, LOCKED)
        authed = authenticate(username=username, password=password)
        if authed is None:
            if user is None:
                return LoginResult(LoginOutcome.BAD_CREDENTIALS, None, BAD_CREDENTIALS)
            if not user.is_active:
                if user.check_password(password):
                    return LoginResult(LoginOutcome.INACTIVE, user, "このアカウントは利用停止中です。")
                return LoginResult(LoginOutcome.BAD_CREDENTIALS, user, BAD_CREDENTIALS)
            return _count_failure(user, now, LoginOutcome.BAD_CREDENTIALS, BAD_CREDENTIALS)
        assert isinstance(authed, User)
        refusal = terminal_refusal(authed, address)
        if refusal:
            return LoginResult(LoginOutcome.TERMINAL_REFUSED, authed, refusal)
        if role_requires_totp(authed.role):
            return LoginResult(LoginOutcome.NEEDS_TOTP, authed)
        if authed.failed_logins or authed.locked_until:
            authed.failed_logins = 0
            authed.locked_until = None
            authed.save(update_fields=["failed_logins", "locked_until"])
        return LoginResult(LoginOutcome.OK, authed)


def ensure_totp_secret(user: User) -> str:
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed = False
        user.save(update_fields=["totp_secret", "totp_confirmed"])
    return user.totp_secret


def totp_uri(user: User) -> str:
    return pyotp.TOTP(ensure_totp_secret(user)).provisioning_uri(name=user.username, issuer_name="madoguchi")


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret)
    step = int(now // totp.interval)
    for candidate in (step - 1, step, step + 1):
        if pyotp.utils.strings_equal(code, totp.generate_otp(candidate)):
            return candidate
    return None


def verify_totp(user: User, code: str, *, now: float | None = None) -> bool:
    """Check a six-digit code (one step of clock drift allowed), once only; the first success confirms
    enrolment."""
    code = code.strip()
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return False
    step = _matching_step(user.totp_secret, code, time.time() if now is None else now)
    if step is None or step <= user.totp_last_step:
        return False
    user.totp_last_step = step
    user.totp_confirmed = True
    user.save(update_fields=["totp_last_step", "totp_confirmed"])
    return True


def check_totp_login(*, user_id: int, code: str, now: float | None = None) -> LoginResult:
    """The second step: a wrong code counts as a failed log-in (so codes cannot be guessed)."""
    moment = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None:
            return LoginResult(LoginOutcome.BAD_CREDENTIALS, None, BAD_CREDENTIALS)
        if user.is_locked(moment):
            return LoginResult(LoginOutcome.LOCKED, user, LOCKED)
        if not verify_totp(user, code, now=now):
            return _count_failure(user, moment, LoginOutcome.BAD_TOTP, "確認コードが違います。")
        if user.failed_logins or user.locked_until:
            user.failed_logins = 0
            user.locked_until = None
            user.save(update_fields=["failed_logins", "locked_until"])
        return LoginResult(LoginOutcome.OK, user)
