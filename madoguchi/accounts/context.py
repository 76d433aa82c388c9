"""The acting user, with where they act from.  Every service takes one as ``actor``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    address: str = ""
    channel: str = "web"  # web, api, cli, task
    purpose: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, *, channel: str = "web", purpose: str = "") -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, address=str(request.META.get("REMOTE_ADDR") or ""), channel=channel,  # type: ignore[arg-type]
                   purpose=purpose)

    @classmethod
    def cli(cls, user: User | None, *, purpose: str = "") -> Actor:
        return cls(user=user, address="cli", channel="cli", purpose=purpose)

    @property
    def username(self) -> str:
        if self.user:
            return self.user.username
        return "(cli)" if self.channel == "cli" else "(anonymous)"

    @property
    def organisation_code(self) -> str:
        org = getattr(self.user, "organisation", None)
        return org.code if org else ""

    @property
    def role(self) -> str:
        return self.user.role if self.user else ""
