"""API tokens: stored hashed, shown once, expiring, revocable, tied to user and organisation; issue and
revocation logged; the screen for the administrator and for a user's own tokens."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import ApiToken, Role
from madoguchi.accounts.services.api_tokens import check_token, digest_of, issue_token, revoke_token
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from tests.api.tokens import administrator, bearer_client, issue
from tests.factories import PASSWORD, OrganisationFactory


def _login(user) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_only_the_digest_is_stored(world):
    token = issue(world.users["contractor"])
    record = ApiToken.objects.get()
    assert record.digest == digest_of(token) and token not in str(list(ApiToken.objects.values()))
    assert token.startswith(f"mdg_{record.prefix}_")


def test_a_token_calls_the_api_as_its_user(world):
    token = issue(world.users["subcontractor"])
    response = bearer_client(token).get("/api/policy")
    assert response.status_code == 200
    assert [g["program"] for g in response.json()["grants"]] == ["p-owned"]
    record = ApiToken.objects.get()
    assert record.last_used_at is not None and record.last_used_address == "127.0.0.1"


@pytest.mark.parametrize("state,why", [
    ("revoked", "取り消されています"), ("expired", "有効期限が切れています"),
    ("inactive", "利用停止中"), ("moved", "発行時の組織"), ("unknown", "登録されていません"),
    ("garbage", "形式"),
])
def test_an_unusable_token_is_refused_and_logged(world, client_for, state, why):
    user = world.users["contractor"]
    token = issue(user, state=state if state in ("revoked", "expired") else "active")
    if state == "inactive":
        user.is_active = False
        user.save()
    elif state == "moved":
        user.organisation = world.orgs["expired-e"]
        user.save()
    elif state == "unknown":
        token = token[:-4] + "abcd"
    elif state == "garbage":
        token = "not-a-token"
    # when a call carries it (even beside a valid session of another user)
    client = client_for("owner")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = client.get(f"/api/residents/{world.residents['in_owned'].pk}")
    # then the same 401 answer, and the refusal names the token's user when the token was found
    assert response.status_code == 401
    assert "無効" in response.json()["detail"] and why not in response.json()["detail"]
    row = AccessLog.objects.latest("id")
    assert not row.allowed and why in row.reason and row.channel == "api"
    assert row.username == (user.username if state not in ("unknown", "garbage") else "(anonymous)")


def test_expiry_is_bounded(world, settings):
    settings.MADOGUCHI_API_TOKEN_MAX_DAYS = 10
    admin = Actor(user=administrator())
    with pytest.raises(BusinessRuleError):
        issue_token(actor=admin, user=world.users["owner"], name="連携", days=11)
    with pytest.raises(BusinessRuleError):
        issue_token(actor=admin, user=world.users["owner"], name="  ", days=5)
    issued = issue_token(actor=admin, user=world.users["owner"], name="連携", days=10)
    assert issued.record.expires_at - issued.record.created_at == dt.timedelta(days=10)
    assert check_token(issued.token, now=timezone.now() + dt.timedelta(days=10, seconds=1)).user is None


def test_who_may_issue_and_revoke(world):
    owner, contractor = world.users["owner"], world.users["contractor"]
    # department staff issue their own; not another's; a contractor's role does not allow it by default
    mine = issue_token(actor=Actor(user=owner), user=owner, name="自分の連携", days=5)
    with pytest.raises(AccessRefused):
        issue_token(actor=Actor(user=owner), user=contractor, name="他人", days=5)
    with pytest.raises(AccessRefused):
        issue_token(actor=Actor(user=contractor), user=contractor, name="自分", days=5)
    # the administrator issues for anyone; a token's owner or the administrator revokes it, nobody else
    theirs = issue_token(actor=Actor(user=administrator()), user=contractor, name="委託先システム", days=5)
    with pytest.raises(AccessRefused):
        revoke_token(actor=Actor(user=owner), token=theirs.record)
    revoke_token(actor=Actor(user=contractor), token=theirs.record)
    revoke_token(actor=Actor(user=administrator()), token=mine.record)
    with pytest.raises(BusinessRuleError):
        revoke_token(actor=Actor(user=administrator()), token=mine.record)


def test_the_screen_shows_the_token_once_and_logs_issue_and_revoke(world):
    admin = administrator()
    client = _login(admin)
    contractor = world.users["contractor"]
    response = client.post("/accounts/api-tokens/", {"user": contractor.pk, "name": "委託先システム", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    token = re.search(r"(mdg_[a-z0-9]{8}_[-_A-Za-z0-9]+)", html).group(1)
    record = ApiToken.objects.get()
    assert record.user == contractor and record.organisation == contractor.organisation
    assert record.digest == digest_of(token)
    row = AccessLog.objects.latest("id")
    assert (row.action, row.username, row.allowed) == (AuditEvent.API_TOKEN_ISSUE, admin.username, True)
    assert token not in row.target and record.prefix in row.target
    # the list never shows it again
    assert token not in client.get("/accounts/api-tokens/").content.decode()
    # revoking from the screen
    client.post(f"/accounts/api-tokens/{record.pk}/revoke/")
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoked_by == admin.username
    assert AccessLog.objects.latest("id").action == AuditEvent.API_TOKEN_REVOKE
    assert bearer_client(token).get("/api/policy").status_code == 401


def test_a_user_sees_and_issues_only_their_own(world):
    owner, contractor = world.users["owner"], world.users["contractor"]
    issue(contractor)
    client = _login(owner)
    page = client.get("/accounts/api-tokens/").content.decode()
    assert "テスト連携" not in page and 'data-testid="token-form"' in page
    # a forged POST for another user is not accepted and nothing is issued for them
    client.post("/accounts/api-tokens/", {"user": contractor.pk, "name": "x", "days": "5"})
    assert ApiToken.objects.filter(user=contractor).count() == 1
    # another's token cannot be revoked by id
    other = ApiToken.objects.get(user=contractor)
    assert client.post(f"/accounts/api-tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    client.post("/accounts/api-tokens/", {"user": owner.pk, "name": "自分の連携", "days": "5"})
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_a_contractor_cannot_issue_on_the_screen(world):
    client = _login(world.users["subcontractor"])
    page = client.get("/accounts/api-tokens/").content.decode()
    assert 'data-testid="token-form"' not in page
    client.post("/accounts/api-tokens/", {"user": world.users["subcontractor"].pk, "name": "x", "days": "5"})
    assert ApiToken.objects.count() == 0
    assert not AccessLog.objects.latest("id").allowed


def test_the_screen_refuses_anonymous_and_logs(db):
    response = Client().get("/accounts/api-tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    row = AccessLog.objects.latest("id")
    assert not row.allowed and row.target == "/accounts/api-tokens/"


def test_a_token_for_a_user_without_organisation_is_refused(db):
    from tests.factories import UserFactory

    user = UserFactory(username="no-org", organisation=None, role=Role.DEPARTMENT_STAFF)
    with pytest.raises(BusinessRuleError):
        issue_token(actor=Actor(user=administrator()), user=user, name="x", days=5)


def test_organisation_is_recorded(world):
    OrganisationFactory(code="spare")
    issue(world.users["owner"])
    assert ApiToken.objects.get().organisation == world.orgs["dept-owner"]


def _concrete_paths(world) -> list[str]:
    from madoguchi.api.main import api

    values = {"program_code": "p-owned", "case_id": "1", "resident_id": str(world.residents["in_owned"].pk)}
    paths = []
    for path in api.get_openapi_schema()["paths"]:
        if path.endswith("/health"):
            continue
        for key, value in values.items():
            path = path.replace("{" + key + "}", value)
        paths.append(path + ("?items=name" if path.endswith("/export") else "?q=1" if path.endswith("/residents")
                             else ""))
    return paths


@pytest.mark.parametrize("state", ["revoked", "expired", "anonymous"])
def test_every_endpoint_refuses_an_unusable_token_and_logs(world, state):
    from madoguchi.register.models import Participation

    client = Client() if state == "anonymous" else bearer_client(issue(world.users["owner"], state=state))
    before = Participation.objects.count()
    for path in _concrete_paths(world):
        last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(path)
        assert response.status_code == 401, path
        rows = list(AccessLog.objects.filter(id__gt=last))
        assert [r.allowed for r in rows] == [False], path
        assert rows[0].username == ("(anonymous)" if state == "anonymous" else world.users["owner"].username)
        assert world.residents["in_owned"].name not in response.content.decode()
    assert Participation.objects.count() == before


def test_a_token_does_not_escape_terminal_binding(world):
    from tests.policy.world import OFF_TERMINAL

    token = issue(world.users["contractor"])
    response = bearer_client(token).get("/api/programs/p-owned/participants", REMOTE_ADDR=OFF_TERMINAL)
    assert response.status_code == 403
    row = AccessLog.objects.latest("id")
    assert not row.allowed and row.username == world.users["contractor"].username
    assert bearer_client(token).get("/api/programs/p-owned/participants").status_code == 200
