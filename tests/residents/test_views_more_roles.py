"""Residents pages for the roles tests/residents/test_views.py does not cover: a sub-contractor of the
declared contractor (search and resident page allowed within its narrower items; import refused), a
contractor after its period, and anonymous on the resident page and the import screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.register.catalogue import ensure_catalogue
from madoguchi.register.models import Outsourcing
from madoguchi.residents.models import Resident
from tests.factories import OrganisationFactory, UserFactory
from tests.residents.conftest import Register, csv_bytes

LINE = "300000001,新宿　太郎,シンジュク　タロウ,R2.4.1,男,160-0022,東京都新宿区新宿一丁目1番1号,,H9,世帯主,,"


def _last() -> int:
    return AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _state() -> list[tuple[object, ...]]:
    return list(Resident.objects.values_list("id", "name", "address").order_by("id"))


@pytest.fixture
def more(register: Register):
    catalogue = ensure_catalogue()
    today = timezone.localdate()
    contract = Outsourcing.objects.get(revision=register.revision, contractor=register.orgs["contractor"])
    sub_org = OrganisationFactory(code="res-sub", name="再委託先テスト", kind=OrganisationKind.SUBCONTRACTOR)
    sub = Outsourcing.objects.create(revision=register.revision, contractor=sub_org, parent=contract,
                                     tasks=["inquiries"], media=["electronic"], start_date=contract.start_date,
                                     end_date=contract.end_date)
    sub.items.set([catalogue["name"]])
    ended_org = OrganisationFactory(code="res-ended", name="期間終了の委託先", kind=OrganisationKind.CONTRACTOR)
    ended = Outsourcing.objects.create(revision=register.revision, contractor=ended_org, tasks=["data_entry"],
                                       media=["electronic"], start_date=today - dt.timedelta(days=60),
                                       end_date=today - dt.timedelta(days=1))
    ended.items.set([catalogue[k] for k in ("resident_no", "name", "address")])
    return {
        "subcontractor": UserFactory(username="res-sub-op", role=Role.SUBCONTRACTOR, organisation=sub_org),
        "expired": UserFactory(username="res-ended-op", role=Role.CONTRACTOR, organisation=ended_org),
    }


def test_subcontractor_sees_only_its_narrower_items_and_is_logged(register: Register, people, more,
                                                                  login_client) -> None:
    # given the sub-contractor declared for 氏名 only (its contractor has 住民番号 and カナ too)
    register.enrol(people["head"])
    client = login_client(more["subcontractor"])
    before = _last()
    # when it opens the resident page
    html = client.get(f"/residents/{people['head'].pk}/").content.decode()
    # then the name is there, the undeclared items are absent, and the view is logged
    assert people["head"].name in html
    assert people["head"].resident_no not in html and people["head"].address not in html
    rows = list(AccessLog.objects.filter(id__gt=before))
    assert [(r.action, r.allowed, r.username) for r in rows] == [(AuditEvent.RESIDENT_VIEW, True, "res-sub-op")]


def test_contractor_after_its_period_is_refused_and_logged(register: Register, people, more, login_client) -> None:
    register.enrol(people["head"])
    client = login_client(more["expired"])
    before, state = _last(), _state()
    for url, params in (("/residents/", {"q": "高橋"}), (f"/residents/{people['head'].pk}/", {})):
        response = client.get(url, params)
        assert response.status_code == 403 and "髙橋" not in response.content.decode()
    rows = list(AccessLog.objects.filter(id__gt=before))
    assert [(r.action, r.allowed) for r in rows] == [(AuditEvent.ACCESS_DENIED, False)] * 2
    assert _state() == state


@pytest.mark.parametrize("role", ["subcontractor", "expired"])
def test_upload_is_refused_and_logged(register: Register, more, login_client, role: str) -> None:
    client = login_client(more[role])
    before = _last()
    response = client.post("/residents/import/", {"file": SimpleUploadedFile("x.csv", csv_bytes(LINE))})
    assert response.status_code == 403 and not Resident.objects.exists()
    rows = list(AccessLog.objects.filter(id__gt=before))
    assert [(r.action, r.allowed) for r in rows] == [(AuditEvent.ACCESS_DENIED, False)]


def test_anonymous_is_sent_to_log_in_from_every_page(people, client) -> None:
    for url in (f"/residents/{people['head'].pk}/", "/residents/import/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = client.post("/residents/import/", {"file": SimpleUploadedFile("x.csv", csv_bytes(LINE))})
    assert response.status_code == 302 and not Resident.objects.filter(resident_no="300000001").exists()
