"""Issuing tokens in tests through the service, as the administrator would on the screen."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import ApiToken, OrganisationKind, Role, User
from madoguchi.accounts.services.api_tokens import issue_token
from tests.factories import OrganisationFactory, UserFactory


def administrator() -> User:
    org = OrganisationFactory(code="it-tokens", name="情報システム課", kind=OrganisationKind.IT)
    return UserFactory(username="token-admin", role=Role.ADMINISTRATOR, organisation=org)


def issue(user: User, *, days: int = 30, state: str = "active") -> str:
    """A token for ``user``: ``active``, ``revoked`` or ``expired`` (expired by moving its expiry back)."""
    issued = issue_token(actor=Actor(user=administrator(), address="127.0.0.1"), user=user, name="テスト連携",
                         days=days)
    if state == "revoked":
        ApiToken.objects.filter(pk=issued.record.pk).update(revoked_at=timezone.now(), revoked_by="token-admin")
    elif state == "expired":
        ApiToken.objects.filter(pk=issued.record.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    return issued.token


def bearer_client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
