from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.policy.world import World, build_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """A client signed in as the persona (anonymous: not signed in)."""
    def make(persona: str) -> Client:
        client = Client()
        if persona == "anonymous":
            return client
        user = world.users["contractor" if persona == "wrong_terminal" else persona]
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:300]
        return client
    return make
