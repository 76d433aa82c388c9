"""Password check with throttling, terminal binding, and the TOTP second factor (ADR 0020).

- Password failures are throttled, each within ``LOGIN_LOCK_MINUTES``: ``LOGIN_MAX_FAILURES`` for one name
  from one source address (only that source is refused for that name), ``LOGIN_SOURCE_MAX_FAILURES`` from one
  source for any names (that source is refused), ``LOGIN_ACCOUNT_MAX_FAILURES`` for one account from all
  sources (the account is locked).  One attacker therefore cannot lock anyone out: their own source is refused
  long before the account.
- Unknown name, wrong password and a throttled or locked account get the same answer (no account probing);
  only a refused source is told so (it names no account).
- A locked account still signs in from its own registered terminal with its password and TOTP code, and the
  administrator can unlock it (both logged).  TOTP code failures lock the account after
  ``LOGIN_MAX_FAILURES`` (whoever enters codes knows the password).
- An inactive account is only named as such to someone who knows its password.
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

from madoguchi.accounts.models import LoginFailure, RoleSetting, User
from madoguchi.accounts.services.terminals import terminal_for, terminal_refusal

BAD_CREDENTIALS = "利用者IDまたはパスワードが違います。"
LOCKED = "アカウントはロックされています。しばらくしてから再度お試しください。"
SOURCE_REFUSED = "この端末からのログインの失敗が続いたため、しばらく受け付けません。時間をおいて再度お試しください。"


class LoginOutcome(StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    BAD_CREDENTIALS = "bad_credentials"
    BAD_TOTP = "bad_totp"
    LOCKED = "locked"
    INACTIVE = "inactive"
    TERMINAL_REFUSED = "terminal_refused"
    SOURCE_REFUSED = "source_refused"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None
    message: str = ""
    # NEEDS_TOTP for a locked account at its own registered terminal: the TOTP step must let it through
    via_terminal: bool = False


def _limits() -> tuple[int, int, int, timedelta]:
    """(per name and source, per source, per account, window); defaults 5, 20, 20 failures in 15 minutes."""
    pair = int(settings.LOGIN_MAX_FAILURES)
    return (pair, int(getattr(settings, "LOGIN_SOURCE_MAX_FAILURES", 4 * pair)),
            int(getattr(settings, "LOGIN_ACCOUNT_MAX_FAILURES", 4 * pair)),
            timedelta(minutes=int(settings.LOGIN_LOCK_MINUTES)))


def _failures(now: datetime, **match: str) -> int:
    return LoginFailure.objects.filter(at__gt=now - _limits()[3], **match).count()


def clear_failures(username: str, address: str | None = None) -> None:
    """Forget the failures for a name (from one source, or from all when unlocking)."""
    failures = LoginFailure.objects.filter(username=username[:150])
    if address is not None:
        failures = failures.filter(address=address[:64])
    failures.delete()


def role_requires_totp(role: str) -> bool:
    return RoleSetting.objects.filter(role=role, require_totp=True).exists()


def _count_password_failure(username: str, address: str, user: User | None, now: datetime) -> LoginResult:
    """Record a wrong password; lock the account when all sources together reach the account limit.
    The answer is the same whatever happened (an outsider learns nothing)."""
    pair_max, _, account_max, window = _limits()
    LoginFailure.objects.filter(at__lt=now - 2 * window).delete()  # no longer counted: keep the table small
    LoginFailure.objects.create(at=now, username=username[:150], address=address[:64])
    outcome = LoginOutcome.BAD_CREDENTIALS
    if user is not None:
        user.failed_logins += 1
        fields = ["failed_logins"]
        if _failures(now, username=user.username) >= account_max:
            user.locked_until = now + _limits()[3]
            fields.append("locked_until")
            outcome = LoginOutcome.LOCKED
        user.save(update_fields=fields)
    if _failures(now, username=username[:150], address=address[:64]) >= pair_max:
        outcome = LoginOutcome.LOCKED
    return LoginResult(outcome, user, BAD_CREDENTIALS)


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


def _at_own_terminal(user: User, address: str) -> bool:
    """A locked account may still sign in here: its own registered terminal, with a confirmed TOTP."""
    return bool(address) and user.totp_confirmed and terminal_for(user, address) is not None


def check_password_login(*, username: str, password: str, address: str = "") -> LoginResult:
    """Check a username and password (and the terminal, when the role is bound to terminals).

    Returns a :class:`LoginResult`; BAD_CREDENTIALS and LOCKED carry the same message.  ``address`` is the
    source (REMOTE_ADDR).  Rules: ADR 0020 and the module docstring."""
    now = timezone.now()
    pair_max, source_max, _, _ = _limits()
    if _failures(now, address=address[:64]) >= source_max:
        return LoginResult(LoginOutcome.SOURCE_REFUSED, None, SOURCE_REFUSED)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        authed = authenticate(username=username, password=password)  # always: the same time for every case
        if _failures(now, username=username[:150], address=address[:64]) >= pair_max:
            return LoginResult(LoginOutcome.LOCKED, user, BAD_CREDENTIALS)
        via_terminal = False
        if user is not None and user.is_locked(now):
            if not (authed is not None and _at_own_terminal(user, address)):
                return LoginResult(LoginOutcome.LOCKED, user, BAD_CREDENTIALS)
            via_terminal = True
        if authed is None:
            if user is not None and not user.is_active and user.check_password(password):
                return LoginResult(LoginOutcome.INACTIVE, user, "このアカウントは利用停止中です。")
            return _count_password_failure(username, address, user if user and user.is_active else None, now)
        assert isinstance(authed, User)
        refusal = terminal_refusal(authed, address)
        if refusal:
            return LoginResult(LoginOutcome.TERMINAL_REFUSED, authed, refusal)
        if via_terminal or role_requires_totp(authed.role):
            return LoginResult(LoginOutcome.NEEDS_TOTP, authed, via_terminal=via_terminal)
        clear_failures(username, address)
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


def check_totp_login(*, user_id: int, code: str, now: float | None = None, address: str = "") -> LoginResult:
    """The second step: a wrong code counts as a failed log-in (so codes cannot be guessed).  A locked
    account passes only at its own registered terminal (``address``), and the lock is then lifted."""
    moment = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None:
            return LoginResult(LoginOutcome.BAD_CREDENTIALS, None, BAD_CREDENTIALS)
        via_terminal = user.is_locked(moment) and _at_own_terminal(user, address)
        if user.is_locked(moment) and not via_terminal:
            return LoginResult(LoginOutcome.LOCKED, user, LOCKED)
        if not verify_totp(user, code, now=now):
            if via_terminal:  # already locked: count the guess without moving the lock
                LoginFailure.objects.create(at=moment, username=user.username, address=address[:64])
                return LoginResult(LoginOutcome.BAD_TOTP, user, "確認コードが違います。")
            return _count_failure(user, moment, LoginOutcome.BAD_TOTP, "確認コードが違います。")
        clear_failures(user.username, address)
        if user.failed_logins or user.locked_until:
            user.failed_logins = 0
            user.locked_until = None
            user.save(update_fields=["failed_logins", "locked_until"])
        return LoginResult(LoginOutcome.OK, user, via_terminal=via_terminal)
