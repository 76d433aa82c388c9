"""A department clerk makes a package for the printer, downloads the ZIP and the password notice
separately, then records the medium's return and the printer's erasure certificate."""

from __future__ import annotations

import pytest

from madoguchi.handover.models import LedgerEntry, PackageJob


@pytest.fixture
def handover_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from tests.handover.factories import build_world

    return build_world()


@pytest.mark.django_db(transaction=True)
def test_make_package_record_return_and_contractor_erasure(page, live_server, login_as, handover_world, tmp_path):
    login_as("owner")
    page.goto("/handover/")
    page.click("text=受渡データを作成")
    page.click("[data-testid=make-coming-of-age-2026]")
    # the form offers the declared recipient, task, medium and items, already chosen
    assert page.locator("#id_recipient option").all_inner_texts() == ["株式会社旭堂"]
    page.fill("#id_purpose", "はたちのつどい案内状の宛名印字データ")
    page.fill("#id_medium_label", "USB-SN-000123")
    page.click("[data-testid=package-form] button[type=submit]")
    page.wait_for_selector("[data-testid=package-status][data-status=done]")
    with page.expect_download() as zip_download:
        page.click("[data-testid=download-package]")
    assert zip_download.value.suggested_filename.endswith(".zip")
    with page.expect_download() as pdf_download:
        page.click("[data-testid=download-notice]")
    assert pdf_download.value.suggested_filename.endswith(".pdf")

    job = PackageJob.objects.get()
    entry = LedgerEntry.objects.get(package=job)
    page.goto("/handover/")
    page.click(f"[data-testid=ledger-row-{entry.pk}] a")
    page.click("[data-testid=return-form] button[type=submit]")
    page.wait_for_selector("text=媒体の返却を記録しました")
    certificate = tmp_path / "shoumei.pdf"
    certificate.write_bytes(b"%PDF-1.4\n% contractor's erasure certificate\n%%EOF\n")
    page.fill("#id_method", "データ消去ソフトによる上書き消去")
    page.set_input_files("#id_certificate", str(certificate))
    page.click("[data-testid=certificate-form] button[type=submit]")
    page.wait_for_selector("text=委託先の消去と消去証明書を記録しました")
    assert page.inner_text("[data-testid=entry-status]") == "完了"
    entry.refresh_from_db()
    assert entry.returned_on is not None and entry.certificate_sha256 and entry.medium_label == "USB-SN-000123"
