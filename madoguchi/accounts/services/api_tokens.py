"""API tokens: issue, revoke, check (ADR 0013).  Nothing here reads residents' data.

A token is ``mdg_<prefix>_<secret>``: ``prefix`` is 8 random characters shown on screens so people can
tell tokens apart; ``secret`` is 32 random bytes (URL-safe base64).  Only the SHA-256 digest of the whole
token is stored, so a copy of the database does not hold a usable token; the token is shown once, when it
is issued.  A plain (unkeyed, fast) hash is enough because the token has 256 bits of randomness: there is
nothing to guess by brute force, unlike a password.

Who may issue: the administrator, for any active user with an organisation; a user, for themselves, when
their role is in ``MADOGUCHI_API_TOKEN_SELF_ROLES`` (settings; default: department staff).  The owner of a
token or the administrator may revoke it.  Every token expires, at most ``MADOGUCHI_API_TOKEN_MAX_DAYS``
days after it is issued (default 90).

Each issue and revocation returns a :class:`Change`; the caller writes it to the access log in the same
transaction (accounts sits below audit, ADR 0001).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import string
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import ApiToken, Role, User
from madoguchi.accounts.services.administration import Change
from madoguchi.core.errors import AccessRefused, BusinessRuleError

PREFIX = "mdg_"
PREFIX_LENGTH = 8
DEFAULT_MAX_DAYS = 90
DEFAULT_SELF_ROLES = (Role.DEPARTMENT_STAFF,)
# last_used_at is written at most once per this many seconds per token (one write per call is not needed)
LAST_USE_RESOLUTION_SECONDS = 60
_ALPHABET = string.ascii_lowercase + string.digits


def max_days() -> int:
    """The longest validity a token may be issued with, in days (setting ``MADOGUCHI_API_TOKEN_MAX_DAYS``)."""
    return int(getattr(settings, "MADOGUCHI_API_TOKEN_MAX_DAYS", DEFAULT_MAX_DAYS))


def self_issue_roles() -> frozenset[str]:
    """Roles whose users may issue tokens for themselves (setting ``MADOGUCHI_API_TOKEN_SELF_ROLES``)."""
    return frozenset(getattr(settings, "MADOGUCHI_API_TOKEN_SELF_ROLES", DEFAULT_SELF_ROLES))


def digest_of(token: str) -> str:
    """The stored form of a token: SHA-256 hex of its UTF-8 bytes (64 characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _is_admin(actor: Actor) -> bool:
    user = actor.user
    return bool(user is not None and user.is_active and user.role == Role.ADMINISTRATOR)


def may_issue_for(actor: Actor, subject: User) -> bool:
    """Whether ``actor`` may issue a token for ``subject`` (administrator: anyone; others: themselves
    when their role allows it)."""
    user = actor.user
    if user is None or not user.is_active:
        return False
    if _is_admin(actor):
        return True
    return user.pk == subject.pk and user.role in self_issue_roles()


def visible_tokens(actor: Actor) -> QuerySet[ApiToken]:
    """The tokens ``actor`` may list: every token for the administrator, otherwise their own."""
    qs = ApiToken.objects.select_related("user", "organisation")
    if _is_admin(actor):
        return qs
    if actor.user is None:
        return qs.none()
    return qs.filter(user=actor.user)


@dataclass(frozen=True)
class Issued:
    """A token just issued: ``token`` is the only time the clear text exists; show it once."""

    change: Change
    token: str
    record: ApiToken


def _label(token: ApiToken) -> str:
    return f"APIトークン {PREFIX}{token.prefix}…（用途「{token.name}」、利用者 {token.user.username}）"


def issue_token(*, actor: Actor, user: User, name: str, days: int) -> Issued:
    """Issue a token for ``user`` valid ``days`` days (1 … :func:`max_days`).

    Raises AccessRefused when the actor may not issue for that user, BusinessRuleError for an empty name,
    a validity out of range, or a user who is inactive or belongs to no organisation.
    """
    if not may_issue_for(actor, user):
        raise AccessRefused("この利用者のAPIトークンを発行する権限がありません。", action="api_token.issue",
                            target=f"user:{user.pk}")
    name = name.strip()
    if not name:
        raise BusinessRuleError("用途を入力してください（例: 申請管理システムとの連携）。")
    limit = max_days()
    if not 1 <= days <= limit:
        raise BusinessRuleError(f"有効期間は1日から{limit}日までで指定してください。")
    if not user.is_active:
        raise BusinessRuleError(f"利用者「{user.username}」は利用停止中のため、APIトークンを発行できません。")
    if user.organisation_id is None:
        raise BusinessRuleError(f"利用者「{user.username}」は所属がないため、APIトークンを発行できません。")
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH))
    text = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, organisation_id=user.organisation_id, name=name[:100], prefix=prefix, digest=digest_of(text),
            created_at=now, created_by=actor.username, expires_at=now + dt.timedelta(days=days))
    target = f"{_label(record)}: 発行（有効期限 {timezone.localtime(record.expires_at):%Y-%m-%d %H:%M}）"
    return Issued(Change(record, target), text, record)


def revoke_token(*, actor: Actor, token: ApiToken) -> Change:
    """Revoke ``token`` now (its owner or the administrator).  Revoking twice is refused as a business rule."""
    user = actor.user
    if user is None or not user.is_active or not (_is_admin(actor) or token.user_id == user.pk):
        raise AccessRefused("このAPIトークンを取り消す権限がありません。", action="api_token.revoke",
                            target=f"api_token:{token.pk}")
    if token.revoked_at:
        raise BusinessRuleError("このAPIトークンは既に取り消されています。")
    token.revoked_at = timezone.now()
    token.revoked_by = actor.username
    token.save(update_fields=["revoked_at", "revoked_by"])
    return Change(token, f"{_label(token)}: 取消し")


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of presenting a token: ``user`` when it may be used, else ``refusal`` (why, for the log).

    ``token`` is set whenever the token was found (so a refusal of a revoked or expired token can name its
    user in the access log).  The answer to the caller is the same for every refusal.
    """

    user: User | None
    token: ApiToken | None
    refusal: str = ""


def check_token(text: str, *, address: str = "", now: dt.datetime | None = None) -> TokenCheck:
    """Find the token ``text`` and say whether it may be used now; records its last use (at most once a minute).

    Refusals (``TokenCheck.refusal``): unknown token, revoked, expired, user inactive, user moved to another
    organisation.
    """
    moment = now or timezone.now()
    if not text.startswith(PREFIX) or len(text) > 200:
        return TokenCheck(None, None, "APIトークンの形式が正しくありません。")
    token = ApiToken.objects.select_related("user", "user__organisation").filter(digest=digest_of(text)).first()
    if token is None:
        return TokenCheck(None, None, "APIトークンが登録されていません。")
    state = token.state(moment)
    if state == "revoked":
        return TokenCheck(None, token, f"APIトークン {PREFIX}{token.prefix}… は取り消されています。")
    if state == "expired":
        return TokenCheck(None, token, f"APIトークン {PREFIX}{token.prefix}… は有効期限が切れています。")
    user = token.user
    if not user.is_active:
        return TokenCheck(None, token, f"APIトークン {PREFIX}{token.prefix}… の利用者は利用停止中です。")
    if user.organisation_id != token.organisation_id:
        return TokenCheck(None, token, f"APIトークン {PREFIX}{token.prefix}… の利用者は発行時の組織に所属していません。")
    stale = moment - dt.timedelta(seconds=LAST_USE_RESOLUTION_SECONDS)
    if token.last_used_at is None or token.last_used_at < stale or token.last_used_address != address[:64]:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment, last_used_address=address[:64])
    return TokenCheck(user, token)
