from __future__ import annotations

import pytest

from madoguchi.accounts.context import Actor
from tests.policy.world import World, build_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The world has a dozen users; Argon2 would spend seconds hashing their test password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def actor(world):
    def make(persona: str, address: str = "127.0.0.1") -> Actor:
        return Actor(user=world.users.get(persona), address=address, channel="web")
    return make
