"""Binding roles to registered terminals (issue 4, point 2).

When the role's :class:`RoleSetting` has ``terminal_bound`` on, a user may act only from an address inside an
active :class:`Terminal` of their own organisation whose roles include theirs (empty roles = every role).
"""

from __future__ import annotations

from madoguchi.accounts.models import RoleSetting, Terminal, User


def role_is_terminal_bound(role: str) -> bool:
    return RoleSetting.objects.filter(role=role, terminal_bound=True).exists()


def terminal_for(user: User, address: str) -> Terminal | None:
    """The registered terminal the address belongs to, for this user's organisation and role."""
    if not user.organisation_id:
        return None
    for terminal in Terminal.objects.filter(organisation_id=user.organisation_id, active=True):
        if (not terminal.roles or user.role in terminal.roles) and terminal.contains(address):
            return terminal
    return None


def terminal_refusal(user: User, address: str) -> str:
    """Why this user may not act from this address ("" when they may)."""
    if not role_is_terminal_bound(user.role) or terminal_for(user, address) is not None:
        return ""
    return (f"このロール（{user.get_role_display()}）は登録された端末からのみ利用できます。"
            f"この端末（{address or '不明'}）は登録されていません。")
