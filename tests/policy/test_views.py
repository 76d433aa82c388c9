"""The policy pages, break glass through the UI, and the resident page under the policy."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.register.models import Outsourcing, Participation, Revision
from madoguchi.residents.models import Resident
from tests.factories import PASSWORD
from tests.policy.world import OFF_TERMINAL

REASON = "本人から窓口で住所変更の相談があり、記録を確認するため"


@pytest.fixture
def client_for(world):
    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            response = client.post("/accounts/login/", {"username": world.users[persona].username,
                                                        "password": PASSWORD})
            assert response.status_code == 302
        return client
    return make


def _counts():
    return (Resident.objects.count(), Participation.objects.count(), Outsourcing.objects.count(),
            Revision.objects.count())


# persona -> organisations listed on /policy/
LISTED = {
    "contractor": {"contractor-a"},
    "subcontractor": {"callcenter-s"},
    "expired": {"expired-e"},
    "withdrawn": set(),
    "superseded": set(),
    "owner": {"contractor-a", "callcenter-s", "expired-e"},
    "other_dept": set(),
    "privacy": {"contractor-a", "callcenter-s", "expired-e"},
    "auditor": {"contractor-a", "callcenter-s", "expired-e"},
    "administrator": {"contractor-a", "callcenter-s", "expired-e"},
}


@pytest.mark.parametrize("persona", sorted(LISTED))
def test_policy_list_shows_the_organisations_the_actor_may_read(world, client_for, persona):
    response = client_for(persona).get("/policy/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in ["contractor-a", "callcenter-s", "expired-e", "withdrawn-x", "old-contractor", "draft-contractor"]:
        assert (f'data-testid="policy-org-{code}"' in html) is (code in LISTED[persona]), code


def test_anonymous_is_sent_to_log_in(world, client_for):
    response = client_for("anonymous").get("/policy/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_contractor_policy_page_shows_items_tasks_media_period_and_approval(world, client_for):
    response = client_for("subcontractor").get("/policy/callcenter-s/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "第2版" in html and "令和7年度第9回" in html and "承認" in html and "令和8年3月19日" in html
    assert "問合せ対応" in html and "電子データ（オンライン）" in html
    assert "再委託元" in html and "contractor-a（テスト）" in html
    declared = html.split('data-testid="declared-items"')[1].split("</table>")[0]
    assert "氏名（フリガナ）" in declared and "住所" not in declared and "振込先口座" not in declared
    withheld = html.split('data-testid="withheld-items"')[1].split("</details>")[0]
    assert "住所" in withheld and "生年月日" in withheld


def test_expired_contract_is_shown_as_ended(world, client_for):
    html = client_for("expired").get("/policy/expired-e/").content.decode()
    assert "委託期間終了" in html


@pytest.mark.parametrize("persona,code", [
    ("contractor", "callcenter-s"), ("subcontractor", "contractor-a"), ("other_dept", "contractor-a"),
    ("contractor", "withdrawn-x"), ("privacy", "old-contractor"), ("privacy", "no-such-org"),
])
def test_policy_of_another_organisation_is_refused_and_logged(world, client_for, persona, code):
    before = _counts()
    response = client_for(persona).get(f"/policy/{code}/")
    assert response.status_code == 403
    row = AccessLog.objects.latest("id")
    assert (row.allowed, row.username, row.target) == (False, world.users[persona].username, f"policy:{code}")
    assert _counts() == before


# -- resident page (madoguchi/web/views/residents.py) under the policy ---------------------------------

RESIDENT_PAGE = {
    "owner": True, "contractor": True, "subcontractor": True,
    "other_dept": False, "no_program_dept": False, "expired": False, "withdrawn": False, "superseded": False,
    "undeclared": False, "privacy": False, "auditor": False, "administrator": False,
}


@pytest.mark.parametrize("persona", sorted(RESIDENT_PAGE))
def test_resident_page(world, client_for, persona):
    target = world.residents["in_owned"]
    client = client_for(persona)
    before, last = _counts(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(f"/residents/{target.pk}/")
    rows = list(AccessLog.objects.filter(id__gt=last))
    if RESIDENT_PAGE[persona]:
        assert response.status_code == 200
        assert target.name in response.content.decode()
        assert [(r.action, r.allowed) for r in rows] == [(AuditEvent.RESIDENT_VIEW, True)]
    else:
        assert response.status_code == 403
        assert target.name not in response.content.decode()
        assert [(r.allowed, r.username) for r in rows] == [(False, world.users[persona].username)]
    assert _counts() == before


def test_subcontractor_resident_page_lacks_undeclared_items(world, client_for):
    target = world.residents["in_owned"]
    html = client_for("subcontractor").get(f"/residents/{target.pk}/").content.decode()
    assert target.name in html and target.resident_no in html
    assert target.address not in html and target.household_no not in html


def test_wrong_terminal_is_refused_on_the_resident_page_and_logged(world, client_for):
    client = client_for("contractor")
    response = client.get(f"/residents/{world.residents['in_owned'].pk}/", REMOTE_ADDR=OFF_TERMINAL)
    assert response.status_code == 403
    row = AccessLog.objects.latest("id")
    assert (row.allowed, row.username, row.address) == (False, world.users["contractor"].username, OFF_TERMINAL)


# -- break glass through the UI --------------------------------------------------------------------------

def test_refused_resident_page_offers_break_glass_to_authorised_roles(world, client_for):
    target = world.residents["nobody"]
    html = client_for("privacy").get(f"/residents/{target.pk}/").content.decode()
    assert 'data-testid="break-glass-offer"' in html
    html = client_for("contractor").get(f"/residents/{target.pk}/").content.decode()
    assert 'data-testid="break-glass-offer"' not in html


def test_break_glass_through_the_ui(world, client_for):
    target = world.residents["nobody"]
    client = client_for("privacy")
    url = f"/policy/break-glass/?resident={target.pk}&next=/residents/{target.pk}/"
    assert client.get(url).status_code == 200
    # a missing reason is refused and changes nothing
    before = AccessLog.objects.count()
    response = client.post(url, {"resident_id": target.pk, "reason": "", "next": f"/residents/{target.pk}/"})
    assert response.status_code == 400 and AccessLog.objects.count() == before
    # with a reason, the grant is logged and the page opens, marked as break glass
    response = client.post(url, {"resident_id": target.pk, "reason": REASON, "next": f"/residents/{target.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/residents/{target.pk}/"
    grant = AccessLog.objects.filter(action=AuditEvent.BREAK_GLASS).get()
    assert grant.break_glass and grant.reason == REASON and grant.resident_ids == [target.pk]
    response = client.get(f"/residents/{target.pk}/")
    assert response.status_code == 200 and target.name in response.content.decode()
    view = AccessLog.objects.latest("id")
    assert (view.action, view.break_glass, view.resident_ids) == (AuditEvent.RESIDENT_VIEW, True, [target.pk])


def test_break_glass_ignores_an_outside_next(world, client_for):
    target = world.residents["nobody"]
    response = client_for("privacy").post("/policy/break-glass/", {
        "resident_id": target.pk, "reason": REASON, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == f"/residents/{target.pk}/"


@pytest.mark.parametrize("persona", ["contractor", "subcontractor", "auditor", "administrator"])
def test_break_glass_page_is_refused_to_other_roles(world, client_for, persona):
    target = world.residents["nobody"]
    response = client_for(persona).post("/policy/break-glass/", {"resident_id": target.pk, "reason": REASON})
    assert response.status_code == 403
    assert not AccessLog.objects.filter(action=AuditEvent.BREAK_GLASS).exists()
    assert not AccessLog.objects.latest("id").allowed
