"""Binding roles to registered terminals (issue 4, point 2): at log-in and on every request."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import OrganisationKind, Role, RoleSetting, Terminal, User
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

INSIDE, OUTSIDE = "10.20.30.40", "192.0.2.9"


@pytest.fixture
def bound(staff_user, department):
    RoleSetting.objects.create(role=Role.DEPARTMENT_STAFF, terminal_bound=True)
    Terminal.objects.create(name="専用端末", organisation=department, network="10.20.30.0/24",
                            roles=[Role.DEPARTMENT_STAFF])
    return staff_user


def login(address: str, username: str = "staff") -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=address)
    return client, client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def test_log_in_from_a_registered_terminal_works(bound):
    client, response = login(INSIDE)
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_log_in_from_elsewhere_is_refused_and_logged(bound):
    client, response = login(OUTSIDE)
    assert response.status_code == 401
    assert "登録された端末からのみ利用できます" in response.content.decode()
    assert "_auth_user_id" not in client.session
    row = AccessLog.objects.get()
    assert (row.username, row.action, row.allowed, row.address) == (
        "staff", AuditEvent.TERMINAL_REFUSED, False, OUTSIDE)
    assert OUTSIDE in row.reason


def test_a_session_moved_to_another_address_is_refused_logged_and_ended(bound):
    client, _ = login(INSIDE)
    response = client.get("/", REMOTE_ADDR=OUTSIDE)
    assert response.status_code == 403
    assert "登録された端末からのみ" in response.content.decode()
    assert "_auth_user_id" not in client.session
    row = AccessLog.objects.filter(action=AuditEvent.TERMINAL_REFUSED).get()
    assert (row.username, row.allowed, row.address, row.target) == ("staff", False, OUTSIDE, "/")
    # and it stays signed out, even back on the terminal
    again = client.get("/", REMOTE_ADDR=INSIDE)
    assert again.status_code == 302 and again.url.startswith("/accounts/login/")


@pytest.mark.parametrize(("change", "allowed"), [
    ({}, True),
    ({"active": False}, False),
    ({"roles": [Role.CONTRACTOR]}, False),
    ({"roles": []}, True),  # empty roles: every role
    ({"network": "10.20.31.0/24"}, False),
    ({"network": "10.20.30.40"}, True),  # a single address
])
def test_which_terminals_count(bound, change, allowed):
    Terminal.objects.update(**change)
    _client, response = login(INSIDE)
    assert (response.status_code == 302) is allowed


def test_terminal_of_another_organisation_does_not_count(bound):
    other = OrganisationFactory(code="dept-other", kind=OrganisationKind.DEPARTMENT)
    Terminal.objects.update(organisation=other)
    _client, response = login(INSIDE)
    assert response.status_code == 401


def test_roles_not_bound_are_not_affected(bound):
    UserFactory(username="aud", role=Role.AUDITOR, organisation=OrganisationFactory(code="a", kind="audit"))
    _client, response = login(OUTSIDE, "aud")
    assert response.status_code == 302


def test_ipv6_terminal(bound):
    Terminal.objects.update(network="2001:db8::/64")
    assert login("2001:db8::5")[1].status_code == 302
    assert login("2001:db9::5")[1].status_code == 401


def test_binding_switched_on_while_signed_in_takes_effect_at_the_next_request(staff_user):
    client, _ = login(OUTSIDE)
    assert client.get("/").status_code == 200
    RoleSetting.objects.create(role=Role.DEPARTMENT_STAFF, terminal_bound=True)
    assert client.get("/").status_code == 403
    assert User.objects.get(pk=staff_user.pk).is_active  # nothing else changed
