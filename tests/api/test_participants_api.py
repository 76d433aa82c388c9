"""Participants through the API, by role and token state: declared master items only, refusals logged,
nothing changed; a resident who does not exist and one outside the program answer alike."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.register.models import Participation
from madoguchi.residents.models import Resident
from tests.api.tokens import bearer_client, issue
from tests.policy.world import CONTRACTOR_ITEMS, RECORDED, SUB_ITEMS

MASTER = {"resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address", "address_extra",
          "household_no", "relation"}
EXPECTED = {
    "owner": set(RECORDED) & MASTER,
    "contractor": set(CONTRACTOR_ITEMS) & MASTER,
    "subcontractor": set(SUB_ITEMS),
}
REFUSED = {"anonymous": 401, "other_dept": 403, "privacy": 403, "auditor": 403, "administrator": 403,
           "expired": 403, "withdrawn": 403, "revoked": 401, "expired_token": 401}


def _client(world, persona):
    if persona == "anonymous":
        return Client(), None
    if persona in ("revoked", "expired_token"):
        user = world.users["contractor"]
        return bearer_client(issue(user, state="revoked" if persona == "revoked" else "expired")), user
    user = world.users[persona]
    return bearer_client(issue(user)), user


def _counts():
    return Resident.objects.count(), Participation.objects.count()


def _last():
    return AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("persona", sorted(EXPECTED) + sorted(REFUSED))
@pytest.mark.parametrize("kind", ["list", "detail"])
def test_participants_per_role(world, persona, kind):
    client, user = _client(world, persona)
    target = world.residents["in_owned"]
    before, last = _counts(), _last()
    url = "/api/programs/p-owned/participants" + (f"/{target.pk}" if kind == "detail" else "")
    response = client.get(url)
    rows = list(AccessLog.objects.filter(id__gt=last))
    if persona in EXPECTED:
        assert response.status_code == 200, response.content
        body = response.json()
        record = body if kind == "detail" else body["items"][0]
        assert set(record) - {"id", "role", "since"} == EXPECTED[persona]
        if kind == "list":
            assert (body["total"], [r["id"] for r in body["items"]]) == (1, [target.pk])
        assert [(r.action, r.allowed, r.resident_ids, r.program) for r in rows] == [
            (AuditEvent.PARTICIPANT_LIST if kind == "list" else AuditEvent.RESIDENT_VIEW, True, [target.pk],
             "p-owned")]
    else:
        assert response.status_code == REFUSED[persona]
        assert [r.allowed for r in rows] == [False]
        assert rows[0].username == (user.username if user else "(anonymous)")
        assert target.name not in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_missing_and_outside_residents_answer_alike(world, persona):
    client, _ = _client(world, persona)
    missing = Resident.objects.order_by("-pk").first().pk + 1000
    answers = []
    for rid in (missing, world.residents["in_other"].pk, world.residents["nobody"].pk):
        last = _last()
        response = client.get(f"/api/programs/p-owned/participants/{rid}")
        assert response.status_code == 403
        assert [r.allowed for r in AccessLog.objects.filter(id__gt=last)] == [False]
        answers.append(response.json())
    assert answers[0] == answers[1] == answers[2]


def test_participant_pagination(world):
    from tests.factories import ResidentFactory

    program = world.programs["owned"]
    for _ in range(4):
        Participation.objects.create(program=program, resident=ResidentFactory())
    client, _ = _client(world, "owner")
    pages = [client.get("/api/programs/p-owned/participants", {"per_page": 2, "page": p}).json() for p in (1, 2, 3)]
    assert [p["total"] for p in pages] == [5, 5, 5] and [p["pages"] for p in pages] == [3, 3, 3]
    ids = [r["id"] for p in pages for r in p["items"]]
    assert len(ids) == len(set(ids)) == 5
    numbers = [r["resident_no"] for p in pages for r in p["items"]]
    assert numbers == sorted(numbers)
