"""Hand-over pages for the roles tests/handover/test_views.py does not cover — a sub-contractor of the
printer and a contractor whose period has ended — and the refusal rows of those it does cover: every
refusal is a 403, written to the access log, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.handover.models import ErasureRun, LedgerEntry, PackageJob
from madoguchi.register.models import Outsourcing
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.handover.test_views import PAGES, _package


@pytest.fixture
def more(world):
    printer = world.outsourcings["kyokudo"]
    sub_org = OrganisationFactory(code="kyokudo-sub", name="旭堂の再委託先", kind=OrganisationKind.SUBCONTRACTOR)
    sub = Outsourcing.objects.create(revision=printer.revision, parent=printer, contractor=sub_org,
                                     tasks=["enclosure"], media=["usb"], start_date=printer.start_date,
                                     end_date=printer.end_date)
    sub.items.set(printer.items.all())
    ended_org = OrganisationFactory(code="ended-printer", name="期間終了の印刷会社", kind=OrganisationKind.CONTRACTOR)
    ended = Outsourcing.objects.create(revision=printer.revision, contractor=ended_org, tasks=["printing"],
                                       media=["usb"], start_date=world.today - dt.timedelta(days=90),
                                       end_date=world.today - dt.timedelta(days=1))
    ended.items.set(printer.items.all())
    UserFactory(username="subcontractor", role=Role.SUBCONTRACTOR, organisation=sub_org)
    UserFactory(username="expired", role=Role.CONTRACTOR, organisation=ended_org)


def _state():
    return (list(LedgerEntry.objects.values_list("id", "returned_on", "certificate_path")),
            list(PackageJob.objects.values_list("id", "status", "package_downloaded_at", "notice_downloaded_at")),
            list(ErasureRun.objects.values_list("id", "status")))


@pytest.mark.parametrize("persona", ["subcontractor", "expired", "contractor", "administrator"])
def test_every_page_is_refused_logged_and_nothing_changes(world, more, persona):
    # given a package made by the owner
    job = _package(world)
    entry = LedgerEntry.objects.get(package=job)
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    before, last = _state(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when the persona opens every page, downloads and tries to record a return
    urls = [*PAGES.values(), f"/handover/packages/{job.pk}/", f"/handover/packages/{job.pk}/download/",
            f"/handover/packages/{job.pk}/password-notice/", f"/handover/ledger/{entry.pk}/"]
    statuses = {url: client.get(url).status_code for url in urls}
    post = client.post(f"/handover/ledger/{entry.pk}/", {"action": "return", "returned_on": world.today.isoformat(),
                                                          "received_by": "私"})
    # then all are refused, each refusal is logged as such, and nothing changed
    assert set(statuses.values()) == {403}, statuses
    assert post.status_code == 403
    rows = list(AccessLog.objects.filter(id__gt=last))
    assert len(rows) == len(urls) + 1
    assert {(r.username, r.action, r.allowed) for r in rows} == {(persona, AuditEvent.ACCESS_DENIED, False)}
    assert _state() == before


@pytest.mark.parametrize("change, fragment", [
    ({"recipient": "other-printer"}, "委託先として記載されていません"),
    ({"medium": "cd_r"}, "CD-R"),
    ({"task": "data_entry"}, "データ入力"),
])
def test_crafted_undeclared_recipient_medium_or_task_via_web_is_refused_and_logged(world, change, fragment):
    # given the owner, and a form posted with a recipient, medium or task the register does not declare
    client = Client()
    assert client.login(username="owner", password=PASSWORD)
    data = {"recipient": world.orgs["kyokudo"].pk, "task": "printing", "medium": "usb",
            "items": ["name", "address"], "purpose": "案内状", "encoding": "cp932"}
    data.update({k: (world.orgs[v].pk if k == "recipient" else v) for k, v in change.items()})
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when it is posted
    response = client.post(f"/handover/packages/new/{world.programs['coming'].pk}/", data)
    # then it is refused, the refusal is logged with its reason, and nothing is made
    assert response.status_code == 403
    rows = list(AccessLog.objects.filter(id__gt=last))
    assert [(r.username, r.allowed) for r in rows] == [("owner", False)] and fragment in rows[0].reason
    assert not PackageJob.objects.exists() and not LedgerEntry.objects.exists()
