"""Administration screens: only the administrator; every change logged; nothing changes on refusal."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, OrganisationKind, Role, RoleSetting, Terminal, User
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services.verify import verify_chain
from madoguchi.core.errors import AccessRefused
from madoguchi.register.policy import resident_queryset
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = {Role.AUDITOR: OrganisationKind.AUDIT, Role.PRIVACY_OFFICE: OrganisationKind.PRIVACY_OFFICE,
        Role.DEPARTMENT_STAFF: OrganisationKind.DEPARTMENT, Role.CONTRACTOR: OrganisationKind.CONTRACTOR,
        Role.SUBCONTRACTOR: OrganisationKind.SUBCONTRACTOR, Role.ADMINISTRATOR: OrganisationKind.IT}


def signed_in(role: str, username: str | None = None) -> tuple[Client, User]:
    org = OrganisationFactory(code=f"org-{role}", kind=KIND[role])
    user = UserFactory(username=username or f"u-{role}", role=role, organisation=org)
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def admin_client() -> Client:
    return signed_in(Role.ADMINISTRATOR, "kanri")[0]


@pytest.fixture
def target(department) -> User:
    return UserFactory(username="target", role=Role.DEPARTMENT_STAFF, organisation=department)


def snapshot() -> tuple:
    return (
        sorted(User.objects.values_list("username", "is_active", "role", "failed_logins", "totp_secret")),
        sorted(Organisation.objects.values_list("code", "kind")),
        sorted(RoleSetting.objects.values_list("role", "require_totp", "terminal_bound")),
        sorted(Terminal.objects.values_list("name", "active")),
    )


def requests(target: User, department) -> list[tuple[str, str, dict]]:
    return [
        ("get", "/admin/", {}),
        ("get", "/admin/users/", {}),
        ("post", "/admin/users/", {"username": "new", "role": Role.DEPARTMENT_STAFF, "organisation": department.pk,
                                   "password": "long-enough-pass-1"}),
        ("get", f"/admin/users/{target.pk}/", {}),
        ("post", f"/admin/users/{target.pk}/deactivate/", {}),
        ("post", f"/admin/users/{target.pk}/unlock/", {}),
        ("post", f"/admin/users/{target.pk}/reset-totp/", {}),
        ("get", "/admin/organisations/", {}),
        ("post", "/admin/organisations/", {"code": "new-org", "name": "新組織", "kind": "department"}),
        ("get", "/admin/roles/", {}),
        ("post", "/admin/roles/", {"role": Role.CONTRACTOR, "terminal_bound": "on"}),
        ("get", "/admin/terminals/", {}),
        ("post", "/admin/terminals/", {"name": "t", "organisation": department.pk, "network": "10.0.0.0/8"}),
    ]


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.CONTRACTOR, Role.SUBCONTRACTOR, Role.AUDITOR,
                                  Role.PRIVACY_OFFICE])
def test_other_roles_are_refused_logged_and_nothing_changes(role, target, department):
    client, user = signed_in(role)
    for method, url, data in requests(target, department):
        before, last = snapshot(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, url
        assert "システム管理者だけが利用できます" in response.content.decode()
        assert snapshot() == before, url
        new = list(AccessLog.objects.filter(id__gt=last).values_list("username", "action", "allowed"))
        assert new == [(user.username, AuditEvent.ACCESS_DENIED, False)], url


def test_anonymous_is_refused_logged_and_nothing_changes(target, department):
    client = Client()
    for method, url, data in requests(target, department):
        before, last = snapshot(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
        assert snapshot() == before
        assert list(AccessLog.objects.filter(id__gt=last).values_list("username", "allowed")) == [
            ("(anonymous)", False)]


def test_administrator_sees_every_page(admin_client, target):
    for url in ["/admin/", "/admin/users/", f"/admin/users/{target.pk}/", "/admin/organisations/",
                "/admin/roles/", "/admin/terminals/"]:
        assert admin_client.get(url).status_code == 200, url


def test_administrator_sees_no_residents_data(admin_client):
    admin = User.objects.get(username="kanri")
    with pytest.raises(AccessRefused):
        resident_queryset(Actor(user=admin))


def last_change() -> AccessLog:
    return AccessLog.objects.exclude(action=AuditEvent.ACCESS_DENIED).order_by("-id").first()


def test_create_user(admin_client, department):
    response = admin_client.post("/admin/users/", {
        "username": "newbie", "display_name": "新人", "role": Role.DEPARTMENT_STAFF,
        "organisation": department.pk, "password": "a-long-passphrase-1"})
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.role, user.organisation, user.display_name) == (Role.DEPARTMENT_STAFF, department, "新人")
    assert user.password.startswith("argon2$") and user.check_password("a-long-passphrase-1")
    row = last_change()
    assert (row.action, row.username, row.allowed) == (AuditEvent.ADMIN_USER, "kanri", True)
    assert "newbie" in row.target and "dept-test" in row.target
    assert verify_chain().ok


@pytest.mark.parametrize(("data", "message"), [
    ({"role": Role.CONTRACTOR}, "の組織には所属できません"),
    ({"password": "1234567890"}, "パスワード"),
    ({"username": "target"}, "既に使われています"),
])
def test_create_user_is_refused_with_a_message(admin_client, department, target, data, message):
    post = {"username": "x1", "role": Role.DEPARTMENT_STAFF, "organisation": department.pk,
            "password": "a-long-passphrase-1", **data}
    before = snapshot()
    response = admin_client.post("/admin/users/", post)
    assert response.status_code == 200 and message in response.content.decode()
    assert snapshot() == before
    assert not AccessLog.objects.filter(action=AuditEvent.ADMIN_USER).exists()


def test_deactivate_and_reactivate(admin_client, target):
    admin_client.post(f"/admin/users/{target.pk}/deactivate/")
    target.refresh_from_db()
    assert not target.is_active
    assert "利用停止" in last_change().target
    # a deactivated user's session no longer works and the password is refused
    client = Client()
    assert client.post("/accounts/login/", {"username": "target", "password": PASSWORD}).status_code == 401
    admin_client.post(f"/admin/users/{target.pk}/activate/")
    target.refresh_from_db()
    assert target.is_active and "利用再開" in last_change().target


def test_administrator_cannot_deactivate_themself(admin_client):
    me = User.objects.get(username="kanri")
    response = admin_client.post(f"/admin/users/{me.pk}/deactivate/", follow=True)
    assert "自分自身を利用停止にはできません" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active and not AccessLog.objects.filter(action=AuditEvent.ADMIN_USER).exists()


def test_unlock(admin_client, target, settings):
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 1
    Client(REMOTE_ADDR="10.9.9.9").post("/accounts/login/", {"username": "target", "password": "wrong"})
    target.refresh_from_db()
    assert target.is_locked()
    assert "ロック中" in admin_client.get(f"/admin/users/{target.pk}/").content.decode()
    admin_client.post(f"/admin/users/{target.pk}/unlock/")
    target.refresh_from_db()
    assert not target.is_locked() and target.failed_logins == 0
    assert "ロック解除" in last_change().target
    assert Client().post("/accounts/login/", {"username": "target", "password": PASSWORD}).status_code == 302


def test_reset_totp(admin_client, target):
    User.objects.filter(pk=target.pk).update(totp_secret="A" * 32, totp_confirmed=True, totp_last_step=99)
    admin_client.post(f"/admin/users/{target.pk}/reset-totp/")
    target.refresh_from_db()
    assert (target.totp_secret, target.totp_confirmed, target.totp_last_step) == ("", False, 0)
    assert "二要素認証をリセット" in last_change().target


def test_unknown_user_action_is_404(admin_client, target):
    assert admin_client.post(f"/admin/users/{target.pk}/delete/").status_code == 404


def test_create_organisations(admin_client):
    admin_client.post("/admin/organisations/", {"code": "dept-new", "name": "新しい課", "kind": "department"})
    admin_client.post("/admin/organisations/", {"code": "itaku-new", "name": "委託株式会社", "kind": "contractor"})
    parent = Organisation.objects.get(code="itaku-new")
    admin_client.post("/admin/organisations/", {"code": "sub-new", "name": "再委託株式会社",
                                                "kind": "subcontractor", "parent": parent.pk})
    sub = Organisation.objects.get(code="sub-new")
    assert sub.parent == parent and sub.kind == OrganisationKind.SUBCONTRACTOR
    targets = list(AccessLog.objects.filter(action=AuditEvent.ADMIN_ORGANISATION).values_list("target", flat=True))
    assert len(targets) == 3 and "委託元 itaku-new" in targets[2]


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "subcontractor"}, "委託元（委託先または再委託先）を指定してください"),
    ({"kind": "department", "parent": "itaku"}, "委託元を指定できるのは再委託先だけです"),
    ({"code": "itaku"}, "既に使われています"),
])
def test_organisation_rules(admin_client, data, message):
    parent = OrganisationFactory(code="itaku", kind=OrganisationKind.CONTRACTOR)
    post = {"code": "o1", "name": "組織", "kind": "department", **data}
    if post.get("parent") == "itaku":
        post["parent"] = parent.pk
    before = snapshot()
    assert message in admin_client.post("/admin/organisations/", post).content.decode()
    assert snapshot() == before


def test_role_settings(admin_client):
    admin_client.post("/admin/roles/", {"role": Role.CONTRACTOR, "require_totp": "on", "terminal_bound": "on"})
    setting = RoleSetting.objects.get(role=Role.CONTRACTOR)
    assert setting.require_totp and setting.terminal_bound
    admin_client.post("/admin/roles/", {"role": Role.CONTRACTOR, "require_totp": "on"})
    setting.refresh_from_db()
    assert setting.require_totp and not setting.terminal_bound
    assert "端末限定=なし" in last_change().target
    page = admin_client.get("/admin/roles/").content.decode()
    assert page.count('name="require_totp"') == len(Role.values)


def test_terminals(admin_client, department):
    admin_client.post("/admin/terminals/", {"name": "専用端末", "organisation": department.pk,
                                            "network": "10.20.30.7/24", "roles": [Role.DEPARTMENT_STAFF]})
    terminal = Terminal.objects.get()
    assert (terminal.network, terminal.roles, terminal.active) == ("10.20.30.0/24", [Role.DEPARTMENT_STAFF], True)
    assert "10.20.30.0/24" in last_change().target
    admin_client.post(f"/admin/terminals/{terminal.pk}/toggle/")
    terminal.refresh_from_db()
    assert not terminal.active and "無効化" in last_change().target
    bad = admin_client.post("/admin/terminals/", {"name": "x", "organisation": department.pk, "network": "10.0.0.300"})
    assert "IPアドレス範囲「10.0.0.300」が正しくありません" in bad.content.decode()
    assert Terminal.objects.count() == 1
