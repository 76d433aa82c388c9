"""Hand-over pages for every role: who sees what, who is refused (logged), and that refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from madoguchi.audit.models import AccessLog
from madoguchi.handover.models import ErasureRun, ErasureStatus, LedgerEntry, PackageJob
from madoguchi.handover.services import packages
from tests.factories import PASSWORD


def _client(world, persona) -> Client:
    client = Client()
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    return client


def _package(world):
    return packages.request_package(
        program=world.programs["coming"], recipient=world.orgs["kyokudo"], task="printing", medium="usb",
        items=["name", "postal_code", "address"], purpose="案内状宛名", medium_label="USB-7", actor=world.actor("owner"),
        run_now=True)


PAGES = {
    "ledger": "/handover/",
    "xlsx": "/handover/ledger.xlsx",
    "package_start": "/handover/packages/new/",
    "retention": "/handover/retention/",
}
ALLOWED = {
    "owner": {"ledger", "xlsx", "package_start", "retention"},
    "owner2": {"ledger", "xlsx", "package_start", "retention"},
    "other_department": {"ledger", "xlsx", "package_start", "retention"},  # owns health-points
    "privacy": {"ledger", "xlsx", "retention"},
    "auditor": {"ledger", "xlsx"},
    "contractor": set(),
    "administrator": set(),
}


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_pages_by_role(world, persona):
    _package(world)
    client = _client(world, persona)
    for name, url in PAGES.items():
        response = client.get(url)
        expected = 200 if name in ALLOWED[persona] else 403
        assert response.status_code == expected, (persona, name, response.status_code)


def test_anonymous_is_sent_to_log_in(world):
    response = Client().get("/handover/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_ledger_shows_the_row_and_what_stands_out(world):
    job = _package(world)
    entry = LedgerEntry.objects.get(package=job)
    LedgerEntry.objects.filter(pk=entry.pk).update(return_due=timezone.localdate() - dt.timedelta(days=3))
    html = _client(world, "owner").get("/handover/").content.decode()
    assert "株式会社旭堂" in html and "USB-7" in html and "期限超過" in html and "返却期限を過ぎた媒体が 1 件" in html
    html = _client(world, "other_department").get("/handover/").content.decode()
    assert "株式会社旭堂" not in html


def test_package_pages_for_the_owner_and_separate_downloads(world):
    job = _package(world)
    client = _client(world, "owner")
    html = client.get(f"/handover/packages/{job.pk}/").content.decode()
    assert "download-package" in html and "download-notice" in html
    zip_response = client.get(f"/handover/packages/{job.pk}/download/")
    assert zip_response["Content-Type"] == "application/zip" and zip_response.content[:2] == b"PK"
    pdf_response = client.get(f"/handover/packages/{job.pk}/password-notice/")
    assert pdf_response["Content-Type"] == "application/pdf"
    assert job.password.encode() not in zip_response.content


@pytest.mark.parametrize("persona", ["other_department", "privacy", "auditor", "contractor", "administrator"])
def test_others_cannot_open_a_package_and_are_logged(world, persona):
    job = _package(world)
    client = _client(world, persona)
    for suffix in ("", "download/", "password-notice/", "status/"):
        assert client.get(f"/handover/packages/{job.pk}/{suffix}").status_code == 403
    assert AccessLog.objects.filter(allowed=False, username=persona).count() == 4
    job.refresh_from_db()
    assert job.package_downloaded_at is None and job.notice_downloaded_at is None


def test_package_made_through_the_form(world, django_capture_on_commit_callbacks):
    client = _client(world, "owner")
    url = f"/handover/packages/new/{world.programs['coming'].pk}/"
    assert "株式会社旭堂" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"recipient": world.orgs["kyokudo"].pk, "task": "printing", "medium": "usb",
                                     "items": ["name", "postal_code", "address"], "purpose": "案内状",
                                     "encoding": "cp932", "medium_label": "USB-1"})
    job = PackageJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/handover/packages/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and LedgerEntry.objects.filter(package=job).exists()


def test_contractor_cannot_post_a_package(world):
    response = _client(world, "contractor").post(f"/handover/packages/new/{world.programs['coming'].pk}/", {
        "recipient": world.orgs["kyokudo"].pk, "task": "printing", "medium": "usb", "items": ["name"],
        "purpose": "x", "encoding": "cp932"})
    assert response.status_code == 403 and not PackageJob.objects.exists()


def test_return_and_certificate_through_the_page(world):
    entry = LedgerEntry.objects.get(package=_package(world))
    client = _client(world, "owner")
    today = timezone.localdate().isoformat()
    client.post(f"/handover/ledger/{entry.pk}/", {"action": "return", "returned_on": today, "note": "異常なし"})
    client.post(f"/handover/ledger/{entry.pk}/", {
        "action": "certificate", "erased_on": today, "method": "上書き消去",
        "certificate": SimpleUploadedFile("c.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    entry.refresh_from_db()
    assert entry.returned_on and entry.certificate_path
    html = client.get(f"/handover/ledger/{entry.pk}/").content.decode()
    assert "完了" in html
    assert client.get(f"/handover/ledger/{entry.pk}/certificate/").content == b"%PDF-1.4 test"


def test_privacy_office_cannot_record_a_return(world):
    entry = LedgerEntry.objects.get(package=_package(world))
    response = _client(world, "privacy").post(f"/handover/ledger/{entry.pk}/", {
        "action": "return", "returned_on": timezone.localdate().isoformat()})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.returned_on is None


def test_erasure_flow_through_the_pages(world):
    child, privacy = _client(world, "child"), _client(world, "privacy")
    response = child.post("/handover/erasure/new/", {"program": world.programs["child"].pk, "scope": "program",
                                                      "reason": "保存期間満了"})
    run = ErasureRun.objects.get()
    assert response["Location"] == f"/handover/erasure/{run.pk}/"
    assert "依頼者本人は承認できません" in child.get(response["Location"]).content.decode()
    assert child.post(f"/handover/erasure/{run.pk}/", {"action": "approve"}).status_code == 403
    privacy.post(f"/handover/erasure/{run.pk}/", {"action": "approve"})
    child.post(f"/handover/erasure/{run.pk}/", {"action": "execute"})
    run.refresh_from_db()
    assert run.status == ErasureStatus.EXECUTED
    pdf = child.get(f"/handover/erasure/{run.pk}/certificate/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_ledger_page_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    for _ in range(6):
        _package(world)
    client = _client(world, "owner")
    client.get("/handover/")  # warm the session
    with django_assert_max_num_queries(25):
        response = client.get("/handover/")
    assert response.content.decode().count("data-testid=\"ledger-row-") == 6
