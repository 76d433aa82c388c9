"""Export packages: only declared items, in CP932, inside an AES-256 ZIP opened only with its password."""

from __future__ import annotations

import csv
import io

import pytest
import pyzipper
from pypdf import PdfReader

from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.core.jobs.runner import JobCrashed
from madoguchi.handover.models import JobStatus, LedgerEntry, PackageJob
from madoguchi.handover.services import packages
from madoguchi.handover.services.packing import encode_csv, format_password
from madoguchi.residents.models import Resident
from tests.handover.factories import COHORT_KEYS


def _make(world, **kw):
    args = {"program": world.programs["coming"], "recipient": world.orgs["kyokudo"], "task": "printing",
            "medium": "usb", "items": ["name", "postal_code", "address"], "purpose": "はたちのつどい案内状の宛名印字",
            "medium_label": "USB-0001", "actor": world.actor("owner")}
    args.update(kw)
    return packages.request_package(**args)


def _open(job, password):
    with pyzipper.AESZipFile(io.BytesIO(packages.storage.read(job.file_path))) as zf:
        zf.setpassword(password.encode())
        names = zf.namelist()
        return names, zf.read(names[0])


def test_package_holds_exactly_the_declared_columns_for_the_cohort(world, django_capture_on_commit_callbacks):
    # given the register declares name, postal code and address for kyokudo on USB
    # when the owner makes a package (the job runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        job = _make(world)
    job.refresh_from_db()
    # then the job is done and the ZIP opens with its password
    assert job.status == JobStatus.DONE, job.error
    names, data = _open(job, job.password)
    assert len(names) == 1 and names[0].endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("cp932"))))
    assert rows[0] == ["氏名", "郵便番号", "住所"]
    # and it holds exactly the cohort (born 2006-04-02..2007-04-01 and 住登)
    expected = {world.residents[k].name for k in COHORT_KEYS if k in world.residents}
    assert {r[0] for r in rows[1:]} == expected
    assert job.progress_done == len(expected)


def test_zip_is_aes256_and_a_wrong_password_fails(world):
    job = _make(world, run_now=True)
    with pyzipper.AESZipFile(io.BytesIO(packages.storage.read(job.file_path))) as zf:
        info = zf.infolist()[0]
        assert info.flag_bits & 0x1  # encrypted
        assert info.wz_aes_strength == 3  # WinZip AES, 256-bit key
        zf.setpassword(b"wrong-password")
        with pytest.raises(RuntimeError):
            zf.read(info.filename)
    # plain zipfile cannot read it either
    import zipfile
    with zipfile.ZipFile(io.BytesIO(packages.storage.read(job.file_path))) as zf:
        assert zf.infolist()[0].compress_type == 99  # method 99 = AES
        with pytest.raises(NotImplementedError):
            zf.read(zf.namelist()[0], pwd=job.password.encode())
    # and the password is nowhere in the ZIP
    assert job.password.encode() not in packages.storage.read(job.file_path)
    assert len(job.password) == 20


def test_password_notice_is_a_separate_pdf_with_the_password(world):
    job = _make(world, run_now=True)
    pdf = packages.password_notice(job=job, actor=world.actor("owner"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "パスワード通知書" in text
    assert format_password(job.password).replace(" ", "") in text.replace(" ", "")
    assert job.sha256[:32] in text
    zip_bytes = packages.open_package(job=job, actor=world.actor("owner"))
    assert zip_bytes[:2] == b"PK" and b"%PDF" not in zip_bytes


def test_each_package_has_its_ledger_row_and_an_access_log_row(world):
    job = _make(world, run_now=True)
    entry = LedgerEntry.objects.get(package=job)
    assert entry.recipient_name == "株式会社旭堂"
    assert entry.record_count == job.progress_done
    assert entry.items == ["氏名", "郵便番号", "住所"]
    assert entry.medium == "usb" and entry.medium_label == "USB-0001"
    assert entry.sha256 == job.sha256 and len(entry.sha256) == 64
    assert entry.handler == world.users["owner"]
    assert entry.return_due == world.outsourcings["kyokudo"].end_date
    log = AccessLog.objects.get(action="handover.export", target=f"package:{job.pk}")
    assert log.program == "coming-of-age-2026" and log.allowed
    assert set(log.resident_ids) == {world.residents[k].pk for k in COHORT_KEYS if k in world.residents}


@pytest.mark.parametrize("change, fragment", [
    ({"recipient": "other-printer"}, "委託先として記載されていません"),
    ({"items": ["name", "birth_date"]}, "生年月日"),
    ({"medium": "cd_r"}, "CD-R"),
    ({"task": "data_entry"}, "データ入力"),
])
def test_undeclared_recipient_item_medium_or_task_is_refused_and_nothing_is_made(world, change, fragment):
    if "recipient" in change:
        change = {"recipient": world.orgs[change["recipient"]]}
    with pytest.raises(AccessRefused) as err:
        _make(world, **change)
    assert fragment in err.value.reason
    assert not PackageJob.objects.exists() and not LedgerEntry.objects.exists()


def test_undeclared_item_via_web_is_refused_and_logged(world, login_client):
    client = login_client(world.users["owner"])
    response = client.post(f"/handover/packages/new/{world.programs['coming'].pk}/", {
        "recipient": world.orgs["kyokudo"].pk, "task": "printing", "medium": "usb",
        "items": ["name", "birth_date"], "purpose": "案内状", "encoding": "cp932"})
    assert response.status_code == 403
    assert not PackageJob.objects.exists()
    denied = AccessLog.objects.filter(allowed=False, program="coming-of-age-2026")
    assert denied.count() == 1 and "生年月日" in denied.get().reason


def test_characters_cp932_cannot_hold_are_refused_with_line_and_column(world):
    r = world.residents["first_day"]
    Resident.objects.filter(pk=r.pk).update(name="𠮷田　太郎")
    job = _make(world, run_now=True)
    assert job.status == JobStatus.FAILED
    assert "「氏名」列" in job.error and "U+20BB7" in job.error and "行目" in job.error
    assert not job.file_path and not LedgerEntry.objects.exists()


def test_replacement_option_writes_geta_and_counts(world):
    Resident.objects.filter(pk=world.residents["first_day"].pk).update(name="𠮷田　太郎",
                                                                       address="東京都新宿区西新宿2−8−1")
    job = _make(world, run_now=True, replace_unencodable=True)
    assert job.status == JobStatus.DONE and job.replaced_count == 1
    _names, data = _open(job, job.password)
    text = data.decode("cp932")
    assert "〓田　太郎" in text
    assert "西新宿2－8－1" in text  # U+2212 written as its CP932 counterpart, not replaced
    assert "外字 1 欄" in LedgerEntry.objects.get(package=job).content


def test_encode_csv_utf8_with_bom():
    out = encode_csv(["氏名"], ["name"], [(1, {"name": "𠮷田"})], encoding="utf-8-sig")
    assert out.data.startswith(b"\xef\xbb\xbf") and "𠮷田".encode() in out.data


def test_only_the_owner_may_download(world):
    job = _make(world, run_now=True)
    for persona in ["owner2"]:
        assert packages.open_package(job=job, actor=world.actor(persona))[:2] == b"PK"
    for persona in ["other_department", "privacy", "contractor", "auditor", "administrator", "anonymous"]:
        with pytest.raises(AccessRefused):
            packages.open_package(job=job, actor=world.actor(persona))
        with pytest.raises(AccessRefused):
            packages.password_notice(job=job, actor=world.actor(persona))


def test_purpose_is_required(world):
    with pytest.raises(BusinessRuleError):
        _make(world, purpose=" ")


def test_an_unexpected_error_fails_the_job_instead_of_leaving_it_running(world, monkeypatch):
    def broken(files, password):
        raise OSError("disk full")

    monkeypatch.setattr(packages, "encrypted_zip", broken)
    with pytest.raises(JobCrashed):  # the task runner gets the class only, never the exception's text
        _make(world, run_now=True)
    job = PackageJob.objects.get()
    assert job.status == JobStatus.FAILED and "OSError" in job.error and "disk full" not in job.error
    assert job.failure_code == "unexpected"
    assert not LedgerEntry.objects.exists()
