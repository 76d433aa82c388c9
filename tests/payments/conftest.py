from __future__ import annotations

import pytest

from madoguchi.accounts.context import Actor
from tests.payments.factories import make_program, offering


@pytest.fixture
def program(department):
    return make_program(department)


@pytest.fixture
def offer():
    with offering() as o:
        yield o


@pytest.fixture
def actor(staff_user):
    return Actor(user=staff_user, address="127.0.0.1", channel="test")
