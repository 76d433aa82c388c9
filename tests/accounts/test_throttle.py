"""Issue 16 item 5: no account probing and no lock-out abuse (ADR 0020), one test per case."""

from __future__ import annotations

import pyotp
import pytest
from django.test import Client

from madoguchi.accounts.models import LoginFailure, OrganisationKind, Role, Terminal, User
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
ATTACKER = "203.0.113.66"


@pytest.fixture
def admin(db) -> User:
    it = OrganisationFactory(code="it", name="情報システム課", kind=OrganisationKind.IT)
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, organisation=it)


def login(username: str, password: str, address: str = "10.1.1.1") -> tuple[int, str, Client]:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code, response.content.decode(), client


def _error(page: str) -> str:
    start = page.index('class="error') if 'class="error' in page else page.index("違います")
    return page[start:start + 200]


def test_unknown_user_wrong_password_and_locked_account_get_the_same_answer(admin, staff_user, settings):
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 1
    login("staff", "wrong", "10.0.0.1")  # locks staff
    assert User.objects.get(pk=staff_user.pk).is_locked()
    unknown = login("nobody", "wrong", "10.0.0.2")
    wrong = login("admin", "wrong", "10.0.0.3")
    locked = login("staff", PASSWORD, "10.0.0.4")
    assert unknown[0] == wrong[0] == locked[0] == 401
    assert _error(unknown[1]) == _error(wrong[1]) == _error(locked[1])
    assert "ロック" not in locked[1]
    # the log (read by the auditor, not the caller) still tells them apart
    assert AccessLog.objects.filter(action=AuditEvent.LOGIN_LOCKED, target="staff").exists()


def test_one_source_cannot_lock_the_administrator_out(admin):
    """Thirty wrong passwords from one address: that address is refused for the name, the account is not."""
    for _ in range(30):
        assert login("admin", "wrong", ATTACKER)[0] == 401
    assert not User.objects.get(pk=admin.pk).is_locked()
    # the attacker's source is refused even with the right password, with the usual answer
    status, page, _ = login("admin", PASSWORD, ATTACKER)
    assert status == 401 and "利用者IDまたはパスワードが違います" in page
    # the administrator at their own desk signs in
    status, _, client = login("admin", PASSWORD, "10.1.1.1")
    assert status == 302 and client.session["_auth_user_id"] == str(admin.pk)
    # refused attempts are not counted further: 5 failures stored, not 30
    assert LoginFailure.objects.filter(username="admin").count() == 5


def test_a_source_guessing_many_names_is_refused_for_every_name(admin, staff_user, settings):
    settings.LOGIN_SOURCE_MAX_FAILURES = 6
    for n in range(6):
        login(f"user{n}", "wrong", ATTACKER)
    status, page, _ = login("staff", PASSWORD, ATTACKER)
    assert status == 401 and "この端末からのログインの失敗が続いた" in page
    assert login("staff", PASSWORD, "10.1.1.2")[0] == 302  # another source is not affected
    assert AccessLog.objects.filter(action=AuditEvent.LOGIN_LOCKED, reason="source_refused").exists()


@pytest.fixture
def locked_admin(admin, settings):
    """The administrator locked by failures from many sources (a distributed attack)."""
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 10
    for n in range(10):
        login("admin", "wrong", f"198.51.100.{n}")
    admin.refresh_from_db()
    assert admin.is_locked()
    return admin


def _enrol_totp(user: User) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_confirmed=True)
    return pyotp.TOTP(secret)


def test_a_locked_account_signs_in_from_its_registered_terminal_with_totp(locked_admin):
    totp = _enrol_totp(locked_admin)
    Terminal.objects.create(name="管理端末", organisation=locked_admin.organisation, network="10.20.0.0/24")
    # elsewhere: refused, as ever
    assert login("admin", PASSWORD, "10.1.1.1")[0] == 401
    # at the terminal: the password leads to the code, the code signs in and lifts the lock
    status, _, client = login("admin", PASSWORD, "10.20.0.7")
    assert status == 302 and client.session.get("pending_totp_user") == locked_admin.pk
    assert client.post("/accounts/login/totp/", {"code": "000000"}).status_code == 401
    response = client.post("/accounts/login/totp/", {"code": totp.now()})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(locked_admin.pk)
    assert not User.objects.get(pk=locked_admin.pk).is_locked()
    entry = AccessLog.objects.filter(action=AuditEvent.LOGIN, username="admin").get()
    assert "登録端末から二要素認証" in entry.reason and entry.address == "10.20.0.7"


def test_a_locked_account_without_totp_gets_no_way_round_at_the_terminal(locked_admin):
    Terminal.objects.create(name="管理端末", organisation=locked_admin.organisation, network="10.20.0.0/24")
    assert login("admin", PASSWORD, "10.20.0.7")[0] == 401


def test_a_terminal_of_another_organisation_does_not_help(locked_admin):
    _enrol_totp(locked_admin)
    other = OrganisationFactory(code="other", name="他課", kind=OrganisationKind.DEPARTMENT)
    Terminal.objects.create(name="他課端末", organisation=other, network="10.30.0.0/24")
    assert login("admin", PASSWORD, "10.30.0.7")[0] == 401


def test_the_administrator_unlocks_an_account_and_it_is_logged(locked_admin, staff_user):
    other_admin = UserFactory(username="admin2", role=Role.ADMINISTRATOR, organisation=locked_admin.organisation)
    client = login("admin2", PASSWORD)[2]
    assert client.post(f"/admin/users/{locked_admin.pk}/unlock/").status_code in (200, 302)
    assert not User.objects.get(pk=locked_admin.pk).is_locked()
    assert not LoginFailure.objects.filter(username="admin").exists()
    assert AccessLog.objects.filter(action=AuditEvent.ADMIN_USER, username=other_admin.username,
                                    target__contains="ロック解除").exists()
    assert login("admin", PASSWORD)[0] == 302
