"""Administration of users, organisations, role settings and terminals (role: administrator).

Each function checks the actor, validates, changes, and returns a :class:`Change` whose description the
caller writes to the access log in the same transaction (accounts sits below audit, ADR 0001; the web layer
wraps the call and the log row in one ``transaction.atomic``).  Nothing here reads residents' data.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, OrganisationKind, Role, RoleSetting, Terminal, User
from madoguchi.core.errors import AccessRefused, BusinessRuleError

# Which kinds of organisation a role's users may belong to.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.DEPARTMENT_STAFF: {OrganisationKind.DEPARTMENT},
    Role.PRIVACY_OFFICE: {OrganisationKind.PRIVACY_OFFICE},
    Role.CONTRACTOR: {OrganisationKind.CONTRACTOR},
    Role.SUBCONTRACTOR: {OrganisationKind.SUBCONTRACTOR},
    Role.AUDITOR: {OrganisationKind.AUDIT},
    Role.ADMINISTRATOR: {OrganisationKind.IT},
}


@dataclass(frozen=True)
class Change:
    obj: Any
    target: str  # what changed, for the access log, e.g. "利用者 tanto: 作成（…）"


def require_administrator(actor: Actor) -> None:
    user = actor.user
    if user is None or not user.is_active or user.role != Role.ADMINISTRATOR:
        raise AccessRefused("この画面はシステム管理者だけが利用できます。")


def _role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


def create_user(*, actor: Actor, username: str, display_name: str, role: str, organisation: Organisation,
                password: str) -> Change:
    require_administrator(actor)
    username = username.strip()
    if not username:
        raise BusinessRuleError("利用者IDを入力してください。")
    if User.objects.filter(username=username).exists():
        raise BusinessRuleError(f"利用者ID「{username}」は既に使われています。")
    if role not in ROLE_ORGANISATION_KINDS:
        raise BusinessRuleError("ロールが正しくありません。")
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise BusinessRuleError(f"ロール「{_role_label(role)}」の利用者は「{organisation.get_kind_display()}」"
                                f"の組織には所属できません。")
    user = User(username=username, display_name=display_name.strip(), role=role, organisation=organisation)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise BusinessRuleError("パスワード: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
    return Change(user, f"利用者 {username}: 作成（{_role_label(role)}、{organisation.code}）")


def set_user_active(*, actor: Actor, user: User, active: bool) -> Change:
    require_administrator(actor)
    if not active and actor.user is not None and actor.user.pk == user.pk:
        raise BusinessRuleError("自分自身を利用停止にはできません。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return Change(user, f"利用者 {user.username}: {'利用再開' if active else '利用停止'}")


def unlock_user(*, actor: Actor, user: User) -> Change:
    """Lift the account lock and forget its recent password failures (ADR 0020); the web layer logs it."""
    from madoguchi.accounts.services.auth import clear_failures

    require_administrator(actor)
    clear_failures(user.username)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    return Change(user, f"利用者 {user.username}: ロック解除")


def reset_totp(*, actor: Actor, user: User) -> Change:
    """The user enrols a new authenticator at their next log-in."""
    require_administrator(actor)
    user.totp_secret = ""
    user.totp_confirmed = False
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret", "totp_confirmed", "totp_last_step"])
    return Change(user, f"利用者 {user.username}: 二要素認証をリセット")


def create_organisation(*, actor: Actor, code: str, name: str, kind: str,
                        parent: Organisation | None = None) -> Change:
    require_administrator(actor)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise BusinessRuleError("コードと名称を入力してください。")
    if Organisation.objects.filter(code=code).exists():
        raise BusinessRuleError(f"組織コード「{code}」は既に使われています。")
    if kind not in OrganisationKind.values:
        raise BusinessRuleError("組織の種別が正しくありません。")
    if kind == OrganisationKind.SUBCONTRACTOR:
        if parent is None or parent.kind not in (OrganisationKind.CONTRACTOR, OrganisationKind.SUBCONTRACTOR):
            raise BusinessRuleError("再委託先には委託元（委託先または再委託先）を指定してください。")
    elif parent is not None:
        raise BusinessRuleError("委託元を指定できるのは再委託先だけです。")
    org = Organisation.objects.create(code=code, name=name, kind=kind, parent=parent)
    via = f"、委託元 {parent.code}" if parent else ""
    return Change(org, f"組織 {code}: 作成（{org.get_kind_display()}{via}）")


def update_role_setting(*, actor: Actor, role: str, require_totp: bool, terminal_bound: bool) -> Change:
    require_administrator(actor)
    if role not in Role.values:
        raise BusinessRuleError("ロールが正しくありません。")
    setting, _ = RoleSetting.objects.get_or_create(role=role)
    setting.require_totp, setting.terminal_bound = require_totp, terminal_bound
    setting.save(update_fields=["require_totp", "terminal_bound"])
    return Change(setting, f"ロール設定 {role}: 二要素認証={'必須' if require_totp else '任意'}、"
                           f"端末限定={'あり' if terminal_bound else 'なし'}")


def create_terminal(*, actor: Actor, name: str, organisation: Organisation, network: str,
                    roles: list[str]) -> Change:
    require_administrator(actor)
    name, network = name.strip(), network.strip()
    if not name:
        raise BusinessRuleError("端末名を入力してください。")
    try:
        normalised = str(ipaddress.ip_network(network, strict=False))
    except ValueError as exc:
        raise BusinessRuleError(f"IPアドレス範囲「{network}」が正しくありません（例: 10.20.30.0/24）。") from exc
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise BusinessRuleError(f"ロールが正しくありません: {', '.join(unknown)}")
    terminal = Terminal.objects.create(name=name, organisation=organisation, network=normalised,
                                       roles=sorted(set(roles)))
    return Change(terminal, f"端末 {name}: 登録（{organisation.code}、{normalised}、"
                            f"ロール {','.join(terminal.roles) or 'すべて'}）")


def set_terminal_active(*, actor: Actor, terminal: Terminal, active: bool) -> Change:
    require_administrator(actor)
    terminal.active = active
    terminal.save(update_fields=["active"])
    return Change(terminal, f"端末 {terminal.name}（{terminal.network}）: {'有効化' if active else '無効化'}")
