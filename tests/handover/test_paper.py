"""Paper hand-overs (紙) in the ledger: declared recipient and medium only, by the owner, each field checked."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.accounts.context import Actor
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.handover.models import EntryKind, LedgerEntry
from madoguchi.handover.services.paper import record_paper_handover


def call(world, who="owner", **change):
    kwargs = {"program": world.programs["coming"], "recipient": world.orgs["kyokudo"],
              "handed_on": world.today, "content": "封入封緘後の案内状（検査用）", "count": 120,
              "items": ["name", "address"], "actor": Actor.cli(world.users[who]),
              "return_due": world.today + dt.timedelta(days=14), **change}
    return record_paper_handover(**kwargs)


@pytest.fixture
def paper_world(world):
    world.outsourcings["kyokudo"].media = ["usb", "paper"]
    world.outsourcings["kyokudo"].save()
    return world


def test_a_declared_paper_handover_is_written_to_the_ledger_and_logged(paper_world):
    entry = call(paper_world)
    assert entry.kind == EntryKind.PAPER and entry.record_count == 120 and entry.medium == "paper"
    assert entry.handler_name and entry.needs_return
    assert AccessLog.objects.filter(target=f"ledger:{entry.pk}", allowed=True).exists()


def test_paper_to_a_recipient_without_the_paper_medium_is_refused(world):
    with pytest.raises(AccessRefused) as caught:
        call(world)
    assert "紙" in str(caught.value) or "媒体" in str(caught.value)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("change", [{"recipient": "other-printer"}, {"items": ["name", "my_number"]}])
def test_undeclared_recipient_or_items_are_refused(paper_world, change):
    if "recipient" in change:
        change = {"recipient": paper_world.orgs[change["recipient"]]}
    with pytest.raises(AccessRefused):
        call(paper_world, **change)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("who", ["contractor", "privacy", "auditor", "administrator", "other_department"])
def test_only_the_owner_records(paper_world, who):
    with pytest.raises(AccessRefused):
        call(paper_world, who=who)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("change", [{"count": 0}, {"content": " "}, {"handed_on": "future"},
                                    {"return_due": "before"}])
def test_bad_fields_are_refused_and_nothing_is_written(paper_world, change):
    if change.get("handed_on") == "future":
        change = {"handed_on": paper_world.today + dt.timedelta(days=1)}
    if change.get("return_due") == "before":
        change = {"return_due": paper_world.today - dt.timedelta(days=1)}
    with pytest.raises(BusinessRuleError):
        call(paper_world, **change)
    assert not LedgerEntry.objects.exists()


def test_the_form_records_and_names_the_field_in_errors(paper_world, client):
    from madoguchi.accounts.models import User

    user = User.objects.get(username="owner")
    user.set_password("pw-for-tests-1")
    user.save()
    assert client.post("/accounts/login/", {"username": "owner", "password": "pw-for-tests-1"}).status_code == 302
    program = paper_world.programs["coming"]
    page = client.get(f"/handover/paper/new/{program.pk}/")
    assert page.status_code == 200 and "株式会社旭堂" in page.content.decode()
    bad = client.post(f"/handover/paper/new/{program.pk}/", {"recipient": paper_world.orgs["kyokudo"].pk,
                                                            "handed_on": "令和8年13月1日", "content": "案内状",
                                                            "count": "0", "items": ["name"]})
    body = bad.content.decode()
    assert bad.status_code == 200 and "件数は1以上" in body and "受渡日" in body
    ok = client.post(f"/handover/paper/new/{program.pk}/", {"recipient": paper_world.orgs["kyokudo"].pk,
                                                           "handed_on": paper_world.today.isoformat(),
                                                           "content": "案内状", "count": "3", "items": ["name"]})
    assert ok.status_code == 302 and LedgerEntry.objects.get().record_count == 3
