from __future__ import annotations

import random

import pytest

from madoguchi.register.models import Revision
from tests.register.factories import role_users, valid_revision


@pytest.fixture
def users(db):
    return role_users()


@pytest.fixture
def revision(users) -> Revision:
    return valid_revision()


@pytest.fixture
def demo(db):
    """The demo organisations, users and the five seed programs."""
    from madoguchi.accounts.services.demo import seed as seed_accounts
    from madoguchi.register.services.demo import seed as seed_register

    class Quiet:
        def write(self, *_args: object, **_kwargs: object) -> None:
            pass

    seed_accounts(rng=random.Random(1), scale="small", stdout=Quiet())
    seed_register(rng=random.Random(1), scale="small", stdout=Quiet())
    return Revision.objects.get(program__code="crime-prevention-subsidy-2026", number=2)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Eight users per test: a cheap hasher keeps the suite quick (log-in itself is tested in accounts)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
