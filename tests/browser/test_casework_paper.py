"""In a browser: the paper form's bank picker (names shown from the codes, search by kana and pick), an
attachment uploaded and opened from the case, and the call center logging an inquiry from a resident's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from madoguchi.casework.models import CaseAttachment, Inquiry, Status
from madoguchi.register.models import Participation
from tests.casework.factories import CODE, make_case, make_setup
from tests.factories import ResidentFactory

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_bank_picker_shows_names_and_picks_by_kana(page, login_as):
    make_setup()
    login_as("tanto")
    page.goto(f"/cases/{CODE}/paper/")
    # typing the code shows the bank's name
    page.fill("#bank_code", "0009")
    page.wait_for_selector("[data-testid=bank-name-shown] >> text=三井住友")
    page.fill("#branch_code", "001")
    page.wait_for_selector("[data-testid=branch-name-shown] >> text=神保町")
    assert page.input_value("#bank_name") == "三井住友"
    # searching by name in hiragana and choosing fills the codes
    page.wait_for_load_state("networkidle")
    page.fill("#bank_q", "みずほ")
    page.click("[data-testid=bank-choice] >> text=0001 みずほ")
    page.wait_for_selector("[data-testid=bank-name-shown] >> text=みずほ")
    assert page.input_value("#bank_code") == "0001" and page.input_value("#branch_code") == ""
    # the fieldset is swapped after each choice; type only once every request has settled
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#branch_q:not([disabled])")
    page.fill("#branch_q", "ほんてん")
    page.wait_for_selector("[data-testid=branch-choice]")
    page.click("[data-testid=branch-choice] >> nth=0")
    expect(page.locator("#branch_code")).to_have_value(re.compile(r"^\d{3}$"))  # no eval: strict CSP
    assert page.inner_text("[data-testid=branch-name-shown]").strip() != ""


@pytest.mark.django_db(transaction=True)
def test_attachment_upload_and_resident_inquiry(page, login_as, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    setup = make_setup()
    resident = ResidentFactory()
    Participation.objects.create(program=setup.program, resident=resident, role="申請者")
    case = make_case(setup.program, status=Status.UNDER_REVIEW, resident=resident, attachments=[])
    receipt = tmp_path / "領収書.pdf"
    receipt.write_bytes(PDF)
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"not an image")

    login_as("tanto")
    page.goto(f"/cases/case/{case.pk}/")
    assert "添付書類の不足: 領収書、設置写真" in page.inner_text("[data-testid=findings]")
    page.select_option("#attachment-kind", "設置写真")
    page.set_input_files("#attachment-file", str(fake))
    page.click("[data-testid=attachment-submit]")
    page.wait_for_selector("text=添付ファイルを登録できませんでした")
    assert not CaseAttachment.objects.exists()
    page.select_option("#attachment-kind", "領収書")
    page.set_input_files("#attachment-file", str(receipt))
    page.click("[data-testid=attachment-submit]")
    att = CaseAttachment.objects.get()
    page.wait_for_selector(f"[data-testid=attachment-{att.pk}]")
    assert "添付書類の不足: 設置写真" in page.inner_text("[data-testid=findings]")
    assert page.request.get(f"/cases/attachment/{att.pk}/").body() == PDF

    # the call center opens the resident by number and logs a call without a case
    page.context.clear_cookies()
    login_as("callcenter")
    page.goto(f"/cases/{CODE}/inquiries/")
    page.fill("#resident_no", resident.resident_no)
    page.click("[data-testid=resident-open]")
    page.wait_for_selector("[data-testid=resident-inquiry-form]")
    page.fill("#caller", "本人")
    page.fill("#question", "申請書の送り先を教えてください")
    page.click("[data-testid=resident-inquiry-submit]")
    page.wait_for_selector("[data-testid=resident-inquiries] >> text=申請書の送り先を教えてください")
    inquiry = Inquiry.objects.get()
    assert inquiry.resident_id == resident.pk and inquiry.case_id is None
