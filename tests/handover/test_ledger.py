"""The hand-over ledger: returns, recipients' erasure certificates, Zengin files, what stands out, XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from madoguchi.accounts.context import Actor
from madoguchi.audit.models import AccessLog
from madoguchi.core import payables
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.handover import selectors
from madoguchi.handover.models import EntryKind, LedgerEntry
from madoguchi.handover.services import ledger, packages

PDF = b"%PDF-1.4\n% erasure certificate of the contractor\n%%EOF\n"


def _package(world):
    return packages.request_package(
        program=world.programs["coming"], recipient=world.orgs["kyokudo"], task="printing", medium="usb",
        items=["name", "postal_code", "address"], purpose="案内状宛名", medium_label="USB-7", actor=world.actor("owner"),
        run_now=True)


def _entry(world) -> LedgerEntry:
    return LedgerEntry.objects.get(package=_package(world))


def test_return_is_recorded_with_the_receiver_and_logged(world):
    entry = _entry(world)
    ledger.record_return(entry=entry, returned_on=timezone.localdate(), note="封印に異常なし",
                         actor=world.actor("owner2"))
    entry.refresh_from_db()
    assert entry.returned_on == timezone.localdate() and entry.returned_to == world.users["owner2"]
    assert AccessLog.objects.filter(action="handover.return", target=f"ledger:{entry.pk}:return").count() == 1
    with pytest.raises(BusinessRuleError):
        ledger.record_return(entry=entry, returned_on=timezone.localdate(), actor=world.actor("owner"))


def test_return_before_the_hand_over_or_in_the_future_is_rejected(world):
    entry = _entry(world)
    for day in (timezone.localdate() - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(BusinessRuleError):
            ledger.record_return(entry=entry, returned_on=day, actor=world.actor("owner"))
    entry.refresh_from_db()
    assert entry.returned_on is None


def test_certificate_upload_is_stored_with_its_hash_and_logged(world):
    entry = _entry(world)
    upload = SimpleUploadedFile("shoumei.pdf", PDF, content_type="application/pdf")
    ledger.record_recipient_erasure(entry=entry, erased_on=timezone.localdate(), method="上書き消去",
                                    certificate=upload, actor=world.actor("owner"))
    entry.refresh_from_db()
    assert entry.certificate_path and entry.certificate_sha256 and entry.erasure_method == "上書き消去"
    assert ledger.open_certificate(entry=entry, actor=world.actor("privacy")) == PDF
    assert AccessLog.objects.filter(action="handover.return", target=f"ledger:{entry.pk}:certificate").exists()


def test_certificate_must_be_pdf_or_image(world):
    entry = _entry(world)
    with pytest.raises(BusinessRuleError):
        ledger.record_recipient_erasure(entry=entry, erased_on=timezone.localdate(), method="x",
                                        certificate=SimpleUploadedFile("a.exe", b"MZ\x90\x00"), actor=world.actor("owner"))
    entry.refresh_from_db()
    assert not entry.certificate_path


def test_overdue_return_and_missing_certificate_stand_out(world):
    entry = _entry(world)
    today = timezone.localdate()
    LedgerEntry.objects.filter(pk=entry.pk).update(return_due=today - dt.timedelta(days=1))
    counts = selectors.ledger_counts(world.actor("owner"))
    assert counts == {"overdue": 1, "certificate": 1}
    assert [r.entry.pk for r in selectors.ledger_rows(world.actor("owner"), state="overdue")] == [entry.pk]
    row = selectors.ledger_rows(world.actor("owner"))[0]
    assert row.badge == "ng" and row.status == "返却期限超過"
    ledger.record_return(entry=entry, returned_on=today, actor=world.actor("owner"))
    assert selectors.ledger_counts(world.actor("owner")) == {"overdue": 0, "certificate": 1}
    row = selectors.ledger_rows(world.actor("owner"), state="certificate")[0]
    assert row.status == "消去証明書未提出"


def test_zengin_file_signal_writes_a_ledger_row_once(world):
    actor = world.actor("child")
    kwargs = {"program_code": "child-support", "kind": "zengin", "filename": "FURIKOMI_20261122.txt",
              "sha256": "a" * 64, "record_count": 3, "actor": actor, "items": ["payment_item:1", "payment_item:2"]}
    payables.file_exported.send(sender=None, **kwargs)
    payables.file_exported.send(sender=None, **kwargs)  # the same file again: no second row
    entry = LedgerEntry.objects.get(kind=EntryKind.ZENGIN)
    assert entry.file_name == "FURIKOMI_20261122.txt" and entry.record_count == 3 and entry.sha256 == "a" * 64
    assert entry.handler == world.users["child"] and entry.program == world.programs["child"]
    assert entry.return_due is None and not entry.certificate_missing(timezone.localdate())
    assert "payment_item:1" not in entry.items
    assert [r.entry.pk for r in selectors.ledger_rows(world.actor("child"))] == [entry.pk]


def test_result_files_and_summaries_are_not_hand_overs(world):
    for kind in ("zengin_result", "csv_result", "payment_summary_xlsx"):
        payables.file_exported.send(sender=None, program_code="child-support", kind=kind, filename="R.txt",
                                    sha256="d" * 64, record_count=1, actor=world.actor("child"))
    assert not LedgerEntry.objects.exists()


def test_ledger_xlsx_has_every_row_and_is_logged(world):
    entry = _entry(world)
    payables.file_exported.send(sender=None, program_code="child-support", filename="Z.txt", sha256="b" * 64,
                                record_count=2, actor=world.actor("child"))
    data = ledger.ledger_xlsx([r.entry for r in selectors.ledger_rows(world.actor("privacy"))],
                              actor=world.actor("privacy"))
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("番号", "種別", "受渡日時")
    assert {r[0] for r in rows[1:]} == {entry.pk, LedgerEntry.objects.get(kind=EntryKind.ZENGIN).pk}
    assert AccessLog.objects.filter(action="handover.export", target="ledger.xlsx").exists()


@pytest.mark.parametrize("persona, sees", [
    ("owner", 1), ("owner2", 1), ("other_department", 0), ("privacy", 1), ("auditor", 1),
])
def test_who_reads_the_ledger(world, persona, sees):
    _entry(world)
    assert len(selectors.ledger_rows(world.actor(persona))) == sees


@pytest.mark.parametrize("persona", ["contractor", "administrator", "anonymous"])
def test_who_may_not_read_the_ledger(world, persona):
    _entry(world)
    with pytest.raises(AccessRefused):
        selectors.ledger_rows(world.actor(persona))


@pytest.mark.parametrize("persona", ["other_department", "privacy", "contractor", "auditor", "administrator",
                                     "anonymous"])
def test_only_the_owner_records_returns_and_certificates_and_nothing_changes(world, persona):
    entry = _entry(world)
    before = AccessLog.objects.count()
    actor = world.actor(persona) if persona != "anonymous" else Actor(user=None)
    with pytest.raises(AccessRefused):
        ledger.record_return(entry=entry, returned_on=timezone.localdate(), actor=actor)
    with pytest.raises(AccessRefused):
        ledger.record_recipient_erasure(entry=entry, erased_on=timezone.localdate(), method="x",
                                        certificate=SimpleUploadedFile("c.pdf", PDF), actor=actor)
    entry.refresh_from_db()
    assert entry.returned_on is None and not entry.certificate_path
    assert AccessLog.objects.count() == before


def test_evidence_counts_for_the_register(world):
    entry = _entry(world)
    ledger.record_return(entry=entry, returned_on=timezone.localdate(), actor=world.actor("owner"))
    evidence = selectors.handover_evidence("coming-of-age-2026")
    assert (evidence.packages, evidence.returned, evidence.certificates, evidence.certificates_missing) == (1, 1, 0, 1)
