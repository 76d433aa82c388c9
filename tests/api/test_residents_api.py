"""The residents API, role by role: declared items only, refusals answered 403 and logged, nothing changed."""

from __future__ import annotations

import pytest

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.register.models import Outsourcing, Participation, Revision
from madoguchi.residents.models import Resident
from tests.policy.world import CONTRACTOR_ITEMS, OFF_TERMINAL, RECORDED, SUB_ITEMS

MASTER_FIELDS = {"resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address",
                 "address_extra", "household_no", "relation"}
# persona -> fields of the p-owned participant shown (None: refused)
RESIDENT_VIEW = {
    "anonymous": None,
    "other_dept": None,
    "no_program_dept": None,
    "owner": {"id"} | (set(RECORDED) & MASTER_FIELDS),
    "contractor": {"id"} | (set(CONTRACTOR_ITEMS) & MASTER_FIELDS),
    "subcontractor": {"id"} | set(SUB_ITEMS),
    "expired": None,
    "withdrawn": None,
    "superseded": None,
    "undeclared": None,
    "wrong_terminal": None,
    "privacy": None,
    "auditor": None,
    "administrator": None,
}


def _counts():
    return (Resident.objects.count(), Participation.objects.count(), Outsourcing.objects.count(),
            Revision.objects.count())


def _get(client, persona, url):
    extra = {"REMOTE_ADDR": OFF_TERMINAL} if persona == "wrong_terminal" else {}
    return client.get(url, **extra)


@pytest.mark.parametrize("persona", sorted(RESIDENT_VIEW))
def test_get_resident(world, client_for, persona):
    client = client_for(persona)
    target = world.residents["in_owned"]
    before, last = _counts(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when the persona asks for the participant of p-owned
    response = _get(client, persona, f"/api/residents/{target.pk}")
    expected = RESIDENT_VIEW[persona]
    rows = list(AccessLog.objects.filter(id__gt=last))
    if expected is None:
        # then it is refused, the refusal is logged, and nothing changed
        assert response.status_code in (401, 403)
        assert [r.allowed for r in rows] == [False]
        assert rows[0].username == (world.users[persona].username if persona in world.users else
                                    world.users["contractor"].username if persona == "wrong_terminal"
                                    else "(anonymous)")
        assert target.name not in response.content.decode()
    else:
        # then exactly the declared items are in the answer, and the view is logged
        assert response.status_code == 200, response.content
        assert set(response.json()) == expected
        assert [(r.action, r.allowed, r.resident_ids) for r in rows] == [
            (AuditEvent.RESIDENT_VIEW, True, [target.pk])]
    assert _counts() == before


@pytest.mark.parametrize("persona", ["owner", "contractor", "subcontractor"])
def test_other_programs_residents_do_not_exist(world, client_for, persona):
    client = client_for(persona)
    for key in ["in_other", "in_withdrawn", "nobody"]:
        response = client.get(f"/api/residents/{world.residents[key].pk}")
        assert response.status_code == 403
    assert AccessLog.objects.filter(allowed=False, action=AuditEvent.ACCESS_DENIED,
                                    username=world.users[persona].username).count() == 3


@pytest.mark.parametrize("persona,found", [
    ("owner", True), ("contractor", True), ("subcontractor", True), ("other_dept", False),
])
def test_search_finds_only_visible_residents(world, client_for, persona, found):
    client = client_for(persona)
    target = world.residents["in_owned"]
    surname = target.name.split("\u3000")[0]
    response = client.get("/api/residents", {"q": surname})
    assert response.status_code == 200
    ids = [r["id"] for r in response.json()]
    assert (target.pk in ids) is found
    assert world.residents["nobody"].pk not in ids or persona == "other_dept"
    row = AccessLog.objects.filter(action=AuditEvent.RESIDENT_SEARCH).latest("id")
    assert row.resident_ids == sorted(ids) and row.allowed


def test_search_results_hold_only_declared_items(world, client_for):
    response = client_for("subcontractor").get("/api/residents", {"q": world.residents["in_owned"].resident_no})
    assert response.status_code == 200
    assert [set(r) for r in response.json()] == [{"id"} | set(SUB_ITEMS)]


def test_a_contractor_cannot_search_by_an_undeclared_key(world, client_for):
    # the sub-contractor has no address and no birth date: searching by them is refused and logged
    target = world.residents["in_owned"]
    client = client_for("subcontractor")
    for params in [{"address": target.address}, {"q": "1980-01-02"}, {"birth_date": "昭和55年1月2日"}]:
        response = client.get("/api/residents", params)
        assert response.status_code == 403, params
        assert not AccessLog.objects.latest("id").allowed
    found = client_for("contractor").get("/api/residents", {"address": target.address}).json()
    assert [r["id"] for r in found] == [target.pk]


@pytest.mark.parametrize("persona", ["privacy", "auditor", "administrator", "expired", "withdrawn"])
def test_search_is_refused_and_logged(world, client_for, persona):
    before = _counts()
    response = client_for(persona).get("/api/residents", {"q": "山"})
    assert response.status_code == 403
    assert response.json()["logged"] is True
    row = AccessLog.objects.latest("id")
    assert (row.allowed, row.action, row.username) == (False, AuditEvent.ACCESS_DENIED,
                                                       world.users[persona].username)
    assert _counts() == before


def test_anonymous_api_call_is_refused_and_logged(world, client_for):
    response = client_for("anonymous").get("/api/residents", {"q": "山"})
    assert response.status_code == 401
    row = AccessLog.objects.latest("id")
    assert (row.allowed, row.username) == (False, "(anonymous)")


# -- export -------------------------------------------------------------------------------------------

EXPORT = [
    ("owner", "name,address,birth_date", True),
    ("contractor", "name,address,postal_code", True),
    ("contractor", "name,birth_date", False),
    ("subcontractor", "resident_no,name", True),
    ("subcontractor", "name,address", False),
    ("expired", "name", False),
    ("withdrawn", "name", False),
    ("other_dept", "name", False),
    ("privacy", "name", False),
    ("auditor", "name", False),
    ("administrator", "name", False),
    ("wrong_terminal", "name", False),
    ("anonymous", "name", False),
]


@pytest.mark.parametrize("persona,items,allowed", EXPORT)
def test_export(world, client_for, persona, items, allowed):
    client = client_for(persona)
    before, last = _counts(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = _get(client, persona, f"/api/programs/p-owned/export?items={items}")
    rows = list(AccessLog.objects.filter(id__gt=last))
    if allowed:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["columns"] == items.split(",")
        assert [set(r) for r in body["rows"]] == [{"id", *items.split(",")}]
        assert [(r.action, r.resident_ids) for r in rows] == [
            (AuditEvent.RESIDENT_EXPORT, [world.residents["in_owned"].pk])]
    else:
        assert response.status_code in (401, 403)
        assert [r.allowed for r in rows] == [False]
        assert world.residents["in_owned"].name not in response.content.decode()
    assert _counts() == before


def test_export_refusal_names_the_item(world, client_for):
    response = client_for("subcontractor").get("/api/programs/p-owned/export", {"items": ["name", "address"]})
    assert response.status_code == 403
    assert "住所" in response.json()["detail"]
    row = AccessLog.objects.latest("id")
    assert row.program == "p-owned" and not row.allowed and "住所" in row.reason


def test_my_policy(world, client_for):
    body = client_for("subcontractor").get("/api/policy").json()
    assert [g["program"] for g in body["grants"]] == ["p-owned"]
    assert {i["key"] for i in body["grants"][0]["items"]} == set(SUB_ITEMS)


def test_resident_api_query_count(world, client_for, django_assert_max_num_queries):
    client = client_for("contractor")
    url = f"/api/residents/{world.residents['in_owned'].pk}"
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
