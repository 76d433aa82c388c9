"""Attachment files of an application: checked before saving (type by magic bytes, size), stored privately,
downloaded only through the logged, policy-checked view; the required list drives the grant check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import CaseAttachment, CaseEvent, Status
from madoguchi.casework.services.attachments import (
    MAX_BYTES,
    add_attachment,
    attachment_checks,
    read_attachment,
)
from madoguchi.casework.services.decisions import decide_grant
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Outsourcing, Participation
from tests.casework.factories import make_case
from tests.factories import PASSWORD, ResidentFactory

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def case(setup):
    resident = ResidentFactory()
    Participation.objects.create(program=setup.program, resident=resident, role="申請者")
    return make_case(setup.program, status=Status.UNDER_REVIEW, resident=resident, attachments=[])


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.mark.parametrize("name, data, content_type", [
    ("領収書.pdf", PDF, "application/pdf"), ("photo.PNG", PNG, "image/png"), ("photo.jpeg", JPEG, "image/jpeg"),
])
def test_staff_stores_a_checked_file_privately_with_history_and_log(setup, case, media, name, data, content_type):
    # when the department stores a receipt
    att = add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name=name, data=data)
    # then the file is under MEDIA_ROOT/private with a random name, readable by the owner only
    full = media / att.path
    assert att.path.startswith("private/casework/") and full.read_bytes() == data
    assert name not in att.path and (os.stat(full).st_mode & 0o077) == 0
    assert (att.content_type, att.size, att.original_name) == (content_type, len(data), name)
    # and the history and the access log say so, with the resident
    assert CaseEvent.objects.filter(case=case, note__contains="添付ファイルを登録: 領収書").exists()
    log = AccessLog.objects.get(action=AuditEvent.ATTACHMENT_ADD)
    assert log.resident_ids == [case.resident_id] and log.target == f"case:{case.pk}:file:{att.pk}"


def test_contractor_with_data_entry_may_store(setup, case):
    att = add_attachment(actor=setup.actor(setup.contractor), case=case, kind="設置写真", name="a.png", data=PNG)
    assert att.uploaded_by == "itaku"


@pytest.mark.parametrize("name, data, kind, message", [
    ("empty.pdf", b"", "領収書", "空"),
    ("big.pdf", PDF + b"0" * MAX_BYTES, "領収書", "大きすぎ"),
    ("fake.pdf", b"this is text, not a PDF", "領収書", "PDF・JPEG・PNG"),
    ("virus.exe", b"MZ\x90\x00" + b"\x00" * 32, "領収書", "PDF・JPEG・PNG"),
    ("doc.png", PDF, "領収書", "拡張子"),
    ("noext", PNG, "領収書", "拡張子"),
    ("a.pdf", PDF, "住民票", "書類の種類"),
])
def test_bad_files_are_refused_and_nothing_is_saved(setup, case, media, name, data, kind, message):
    with pytest.raises(BusinessRuleError, match=message):
        add_attachment(actor=setup.actor(setup.staff), case=case, kind=kind, name=name, data=data)
    assert not CaseAttachment.objects.exists() and stored_files(media) == []
    assert not AccessLog.objects.filter(action=AuditEvent.ATTACHMENT_ADD).exists()
    assert not CaseEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize("who", ["callcenter", "other_staff", "privacy", "auditor", "admin"])
def test_roles_without_intake_cannot_store(setup, case, media, who):
    with pytest.raises(AccessRefused):
        add_attachment(actor=setup.actor(getattr(setup, who)), case=case, kind="領収書", name="a.pdf", data=PDF)
    assert not CaseAttachment.objects.exists() and stored_files(media) == []


def test_a_contractor_without_the_purchase_item_cannot_store_or_read(setup, case, media):
    att = add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name="a.pdf", data=PDF)
    contract = Outsourcing.objects.get(contractor__code="saison-personal-plus")
    contract.items.remove(*contract.items.filter(key="purchase"))
    with pytest.raises(AccessRefused, match="添付書類"):
        add_attachment(actor=setup.actor(setup.contractor), case=case, kind="領収書", name="b.pdf", data=PDF)
    with pytest.raises(AccessRefused, match="添付書類"):
        read_attachment(actor=setup.actor(setup.contractor), attachment=att)
    assert CaseAttachment.objects.count() == 1 and len(stored_files(media)) == 1


def test_closed_cases_take_no_files(setup, media):
    case = make_case(setup.program, status=Status.PAID)
    with pytest.raises(BusinessRuleError, match="追加できません"):
        add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name="a.pdf", data=PDF)
    assert stored_files(media) == []


@pytest.mark.parametrize("who, allowed", [
    ("staff", True), ("contractor", True), ("callcenter", True),  # all declared with the purchase item
    ("other_staff", False), ("privacy", False), ("auditor", False), ("admin", False),
])
def test_download_is_policy_checked_and_logged(setup, case, who, allowed):
    att = add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name="領収書.pdf", data=PDF)
    response = client_for(getattr(setup, who)).get(f"/cases/attachment/{att.pk}/")
    logs = AccessLog.objects.filter(action=AuditEvent.ATTACHMENT_VIEW)
    if allowed:
        assert response.status_code == 200 and response.content == PDF
        assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"] and "filename*=UTF-8''" in response["Content-Disposition"]
        assert logs.get().resident_ids == [case.resident_id]
    else:
        assert response.status_code == 403 and not logs.exists()
        assert AccessLog.objects.filter(action=AuditEvent.ACCESS_DENIED, allowed=False).exists()


def test_files_are_not_served_statically(setup, case):
    att = add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name="a.pdf", data=PDF)
    c = client_for(setup.staff)
    for url in (f"/media/{att.path}", f"/{att.path}", f"/static/{att.path}"):
        assert c.get(url).status_code == 404


def test_a_changed_file_on_disk_is_not_served(setup, case, media):
    att = add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name="a.pdf", data=PDF)
    (media / att.path).write_bytes(PDF + b"tampered")
    with pytest.raises(BusinessRuleError, match="変わっています"):
        read_attachment(actor=setup.actor(setup.staff), attachment=att)
    assert not AccessLog.objects.filter(action=AuditEvent.ATTACHMENT_VIEW).exists()


def test_upload_screen_refuses_bad_files_with_a_message_and_saves_nothing(setup, case, media):
    c = client_for(setup.staff)
    url = f"/cases/case/{case.pk}/attachments/"
    bad = SimpleUploadedFile("receipt.pdf", b"GIF89a not allowed", content_type="application/pdf")
    response = c.post(url, {"kind": "領収書", "file": bad}, follow=True)
    assert "添付ファイルを登録できませんでした" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_BYTES, content_type="application/pdf")
    response = c.post(url, {"kind": "領収書", "file": big}, follow=True)
    assert "大きすぎます" in response.content.decode()
    assert not CaseAttachment.objects.exists() and stored_files(media) == []
    # a good file is stored and listed on the case
    good = SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf")
    page = c.post(url, {"kind": "領収書", "file": good}, follow=True).content.decode()
    att = CaseAttachment.objects.get()
    assert f'data-testid="attachment-{att.pk}"' in page and "receipt.pdf" in page


def test_upload_screen_refuses_the_call_center(setup, case, media):
    good = SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf")
    response = client_for(setup.callcenter).post(f"/cases/case/{case.pk}/attachments/", {"kind": "領収書", "file": good})
    assert response.status_code == 403 and not CaseAttachment.objects.exists() and stored_files(media) == []
    page = client_for(setup.callcenter).get(f"/cases/case/{case.pk}/").content.decode()
    assert 'data-testid="attachments"' in page and 'data-testid="attachment-form"' not in page


def test_required_attachments_block_the_grant_until_present(setup, case):
    staff = setup.actor(setup.staff)
    # given a case with neither files nor recorded attachments: the grant is refused, naming both
    with pytest.raises(BusinessRuleError, match="添付書類の不足: 領収書、設置写真"):
        decide_grant(case=case, actor=staff)
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW and case.granted_amount is None
    add_attachment(actor=staff, case=case, kind="領収書", name="a.pdf", data=PDF)
    with pytest.raises(BusinessRuleError, match="添付書類の不足: 設置写真"):
        decide_grant(case=case, actor=staff)
    add_attachment(actor=staff, case=case, kind="設置写真", name="b.jpg", data=JPEG)
    # then with both files the grant goes through
    assert decide_grant(case=case, actor=staff).status == Status.GRANTED


def test_recorded_without_a_file_is_a_warning_on_the_case(setup):
    case = make_case(setup.program, status=Status.UNDER_REVIEW, attachments=["領収書", "設置写真"])
    add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name="a.pdf", data=PDF)
    states = {c.kind: c.state for c in attachment_checks(case, ["領収書", "設置写真"])}
    assert states == {"領収書": "file", "設置写真": "recorded"}
    page = client_for(setup.staff).get(f"/cases/case/{case.pk}/").content.decode()
    assert 'data-testid="attachment-warning"' in page and "設置写真 は申請で受領と記録されています" in page
    # the warning does not block the grant
    assert decide_grant(case=case, actor=setup.actor(setup.staff)).status == Status.GRANTED


def test_deleting_the_case_removes_its_files(setup, case, media, django_capture_on_commit_callbacks):
    add_attachment(actor=setup.actor(setup.staff), case=case, kind="領収書", name="a.pdf", data=PDF)
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        case.delete()
    assert stored_files(media) == []
