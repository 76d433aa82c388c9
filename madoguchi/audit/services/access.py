"""Who may read the access log: auditors and the privacy office."""

from __future__ import annotations

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.core.errors import AccessRefused

AUDIT_READERS = frozenset({Role.AUDITOR, Role.PRIVACY_OFFICE})


def require_audit_reader(actor: Actor) -> None:
    user = actor.user
    if user is None or not user.is_active or user.role not in AUDIT_READERS:
        raise AccessRefused("アクセスログを閲覧できるのは監査担当と個人情報保護担当だけです。")

