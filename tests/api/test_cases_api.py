"""Cases through the API, role by role and by token state: declared items only, refusals 403/401 and logged,
nothing changed; a missing case and another program's case answer alike (no existence oracle)."""

from __future__ import annotations

import pytest

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import Case, CaseEvent, Status
from madoguchi.casework.services.access import CASE_ITEM_FIELDS
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import Outsourcing
from tests.api.tokens import bearer_client, issue
from tests.casework.factories import CODE, make_case, make_setup
from tests.factories import ProgramFactory

PERSONAS = ["anonymous", "other_dept", "owner", "contractor", "subcontractor", "privacy", "auditor",
            "administrator", "revoked", "expired"]
ALLOWED = {"owner", "contractor", "subcontractor"}


@pytest.fixture
def world(db):
    setup = make_setup()
    case = make_case(setup.program, status=Status.PAID, granted_amount=15000)
    CaseEvent.objects.create(case=case, at=case.status_changed_at, on=case.received_on, actor="tanto",
                             from_status=Status.QUEUED, to_status=Status.PAID, note="振込済み（支払結果） 15,000円")
    other = ProgramFactory(code="other-program", department=setup.other_staff.organisation,
                           program_type="application_subsidy")
    foreign = make_case(other, name="他事業　太郎")
    return {"setup": setup, "case": case, "foreign": foreign}


def client_for(world, persona):
    s = world["setup"]
    users = {"other_dept": s.other_staff, "owner": s.staff, "contractor": s.contractor,
             "subcontractor": s.callcenter, "privacy": s.privacy, "auditor": s.auditor, "administrator": s.admin,
             "revoked": s.contractor, "expired": s.contractor}
    if persona == "anonymous":
        from django.test import Client
        return Client(), None
    state = persona if persona in ("revoked", "expired") else "active"
    user = users[persona]
    return bearer_client(issue(user, state=state)), user


def _snapshot():
    return list(Case.objects.order_by("pk").values_list("pk", "status", "updated_at")), CaseEvent.objects.count()


def _last_log_id():
    return AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["list", "detail"])
def test_cases_per_role(world, persona, kind):
    client, user = client_for(world, persona)
    case = world["case"]
    before, last = _snapshot(), _last_log_id()
    url = f"/api/programs/{CODE}/cases" + (f"/{case.pk}" if kind == "detail" else "")
    response = client.get(url)
    rows = list(AccessLog.objects.filter(id__gt=last))
    if persona in ALLOWED:
        assert response.status_code == 200, response.content
        assert [(r.action, r.allowed, r.resident_ids, r.channel) for r in rows] == [
            (AuditEvent.CASE_LIST if kind == "list" else AuditEvent.CASE_VIEW, True,
             [case.resident_id] if case.resident_id else [], "api")]
        assert rows[0].username == user.username
    else:
        # then refused (401 without a usable token, 403 without a grant), logged, and the name never shown
        assert response.status_code == (401 if persona in ("anonymous", "revoked", "expired") else 403)
        assert [r.allowed for r in rows] == [False]
        assert rows[0].username == (user.username if user else "(anonymous)")
        assert case.name not in response.content.decode()
    assert _snapshot() == before


def _fields_allowed(items):
    allowed = {"id", "number", "source_display", "program_code", "resident_id", "open_candidates"}
    for item in items:
        allowed |= set(CASE_ITEM_FIELDS.get(item, ()))
    return allowed


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_case_fields_are_only_the_declared_items(world, persona):
    from madoguchi.casework.services.access import visible_items
    from madoguchi.register.policy import policy_for

    client, user = client_for(world, persona)
    items = visible_items(policy_for(world["setup"].actor(user)), CODE)
    body = client.get(f"/api/programs/{CODE}/cases/{world['case'].pk}").json()
    extra = {"status", "status_display"} if "case_progress" in items else set()
    assert set(body) <= _fields_allowed(items) | extra
    if "bank_account" not in items:
        assert "account_number" not in body and "bank_name" not in body


def test_payment_result_does_not_leak_through_status_or_history(world):
    # given a call center whose declaration lacks the payment amount (and so the payment result)
    catalogue = ensure_catalogue()
    sub = Outsourcing.objects.get(contractor=world["setup"].callcenter.organisation)
    sub.items.remove(catalogue["payment_amount"])
    client, _ = client_for(world, "subcontractor")
    # when it reads a paid case
    body = client.get(f"/api/programs/{CODE}/cases/{world['case'].pk}").json()
    text = str(body)
    # then neither the amount, nor 支払済み, nor the history's note is in the answer
    assert "granted_amount" not in body and "paid_on" not in body and "15,000" not in text
    assert body["status"] == Status.GRANTED and "支払済み" not in text and "振込済み" not in text
    # (the payment step itself is not in the history: it would be a step from 交付決定 to 交付決定)
    assert body["events"] == []
    listing = client.get(f"/api/programs/{CODE}/cases").json()
    assert [r["status"] for r in listing["items"]] == [Status.GRANTED]
    # and filtering by a payment state (which would reveal it) is refused and logged
    response = client.get(f"/api/programs/{CODE}/cases", {"status": Status.PAID})
    assert response.status_code == 403
    assert not AccessLog.objects.latest("id").allowed


def test_the_owner_sees_the_payment_result(world):
    client, _ = client_for(world, "owner")
    body = client.get(f"/api/programs/{CODE}/cases/{world['case'].pk}").json()
    assert body["status"] == Status.PAID and body["granted_amount"] == 15000
    assert body["events"][0]["note"].startswith("振込済み")


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_missing_and_foreign_cases_answer_alike(world, persona):
    # given an id that names no case and the id of another program's case
    client, user = client_for(world, persona)
    missing = Case.objects.order_by("-pk").first().pk + 1000
    answers = []
    for case_id in (missing, world["foreign"].pk):
        last = _last_log_id()
        response = client.get(f"/api/programs/{CODE}/cases/{case_id}")
        rows = list(AccessLog.objects.filter(id__gt=last))
        # then both are refused with the same words, and both refusals are logged
        assert response.status_code == 403
        assert [(r.allowed, r.target) for r in rows] == [(False, f"case:{case_id}")]
        answers.append(response.json())
    assert answers[0] == answers[1]
    assert world["foreign"].name not in str(answers)


def test_missing_program_and_foreign_program_answer_alike(world):
    client, _ = client_for(world, "owner")
    missing = client.get("/api/programs/no-such-program/cases").json()
    foreign = client.get("/api/programs/other-program/cases").json()
    assert missing["detail"].replace("no-such-program", "X") == foreign["detail"].replace("other-program", "X")


def test_pagination(world):
    setup = world["setup"]
    for i in range(5):
        make_case(setup.program, name=f"頁　{i}号")
    client, _ = client_for(world, "owner")
    first = client.get(f"/api/programs/{CODE}/cases", {"per_page": 2}).json()
    assert (first["total"], first["pages"], first["page"], len(first["items"])) == (6, 3, 1, 2)
    last = client.get(f"/api/programs/{CODE}/cases", {"per_page": 2, "page": 999}).json()
    assert last["page"] == 3 and len(last["items"]) == 2
    seen = {r["id"] for p in (1, 2, 3) for r in client.get(f"/api/programs/{CODE}/cases",
                                                           {"per_page": 2, "page": p}).json()["items"]}
    assert len(seen) == 6
    assert client.get(f"/api/programs/{CODE}/cases", {"per_page": 101}).status_code == 422


def test_case_list_query_count_does_not_grow_with_the_page(world, django_assert_max_num_queries):
    setup = world["setup"]
    client, _ = client_for(world, "contractor")
    client.get(f"/api/programs/{CODE}/cases")
    for i in range(20):
        make_case(setup.program, name=f"件数　{i}号")
    with django_assert_max_num_queries(20):
        response = client.get(f"/api/programs/{CODE}/cases", {"per_page": 50})
    assert response.status_code == 200 and len(response.json()["items"]) == 21
