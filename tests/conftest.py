from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import OrganisationKind, Role, User
from tests.factories import PASSWORD, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once in tests (after commit when enqueued with transaction.on_commit)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def department(db):
    return OrganisationFactory(code="dept-test", name="テスト課", kind=OrganisationKind.DEPARTMENT)


@pytest.fixture
def staff_user(department) -> User:
    return UserFactory(username="staff", role=Role.DEPARTMENT_STAFF, organisation=department)


@pytest.fixture
def auditor_user(db) -> User:
    org = OrganisationFactory(code="audit-test", name="監査", kind=OrganisationKind.AUDIT)
    return UserFactory(username="auditor", role=Role.AUDITOR, organisation=org)


@pytest.fixture
def actor_for():
    def make(user: User | None, address: str = "127.0.0.1") -> Actor:
        return Actor(user=user, address=address, channel="test")
    return make


@pytest.fixture
def login_client():
    def make(user: User) -> Client:
        client = Client()
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        return client
    return make
