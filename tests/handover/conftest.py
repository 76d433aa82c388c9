from __future__ import annotations

import pytest

from tests.handover.factories import HandoverWorld, build_world


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    """Files under a temporary MEDIA_ROOT (background tasks run at once: tests/conftest.py)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast log-ins in tests


@pytest.fixture
def world(db) -> HandoverWorld:
    return build_world()
