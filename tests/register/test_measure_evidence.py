"""Evidence behind each ○ measure: recording it (ward and contractor), refusals, and the measure statuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.era import format_wareki
from madoguchi.core.errors import AccessRefused
from madoguchi.handover.models import EntryKind, LedgerEntry
from madoguchi.handover.services.measures import measure_statuses
from madoguchi.register.models import ChecklistMeasure, Evidence, Outsourcing, Program
from madoguchi.register.services.evidence import EvidenceFile, EvidenceRejected, record_evidence
from tests.register.test_documents import actor

CODE = "crime-prevention-subsidy-2026"
TODAY = dt.date(2026, 11, 30)
PDF = b"%PDF-1.4\n% a scanned report\n%%EOF\n"


@pytest.fixture
def crime(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return Program.objects.get(code=CODE)


def contract(program: Program, org: str) -> Outsourcing:
    return Outsourcing.objects.get(revision=program.approved_revision(), contractor__code=org)


def measure(key: str) -> ChecklistMeasure:
    return ChecklistMeasure.objects.get(key=key)


def status(program: Program, key: str, outsourcing: Outsourcing | None = None, today: dt.date = TODAY) -> str:
    found = [s for s in measure_statuses(program, today=today) if s.measure.key == key
             and (outsourcing is None or s.outsourcing == outsourcing)]
    assert found, key
    return found[0].status


def inspection(program, who, outsourcing, day=TODAY, **extra):
    return record_evidence(program=program, kind="inspection", title="令和8年度 立入調査", happened_on=day,
                           measure_ids=[measure("ow-op-02").pk], outsourcing_id=outsourcing.pk, actor=actor(who),
                           today=TODAY, **extra)


def test_inspection_turns_the_measure_from_overdue_to_proven(crime):
    saison = contract(crime, "saison-personal-plus")
    # the demo contract runs since 令和7年 and no inspection was ever recorded
    saison.start_date = dt.date(2025, 4, 1)
    saison.save()
    assert status(crime, "ow-op-02", saison) == "overdue"
    evidence = inspection(crime, "tanto", saison, findings="施錠保管を確認した。",
                          upload=EvidenceFile("report.pdf", PDF))
    assert status(crime, "ow-op-02", saison) == "proven"
    assert evidence.file_sha256 and (Path(settings.MEDIA_ROOT) / evidence.file_path).read_bytes() == PDF
    assert AccessLog.objects.filter(action=AuditEvent.REGISTER_EVIDENCE, target=f"evidence:{evidence.pk}").exists()


def test_a_contractor_records_for_its_own_contract_only(crime):
    saison = contract(crime, "saison-personal-plus")
    callcenter = contract(crime, "callcenter-demo")
    e = record_evidence(program=crime, kind="contractor_erasure", title="サーバー上のデータの消去報告",
                        happened_on=TODAY, measure_ids=[measure("oc-op-10").pk], outsourcing_id=saison.pk,
                        actor=actor("itaku"), today=TODAY)
    assert e.recorded_by_organisation.code == "saison-personal-plus"
    with pytest.raises(AccessRefused):
        record_evidence(program=crime, kind="inspection", title="x", happened_on=TODAY,
                        measure_ids=[measure("oc-op-02").pk], outsourcing_id=saison.pk, actor=actor("callcenter"),
                        today=TODAY)
    assert Evidence.objects.filter(outsourcing=callcenter).count() == 0


@pytest.mark.parametrize("who", ["hogo", "kansa", "kanri", "tanto-tax", "insatsu"])
def test_others_cannot_record_and_nothing_is_stored(crime, who):
    with pytest.raises(AccessRefused):
        inspection(crime, who, contract(crime, "saison-personal-plus"))
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"happened_on": TODAY + dt.timedelta(days=1)}, "happened_on"),
    ({"measure_ids": []}, "measures"),
    ({"title": "  "}, "title"),
    ({"kind": "incident", "occurred_on": TODAY}, "first_reported_on"),
    ({"kind": "incident", "occurred_on": TODAY, "first_reported_on": TODAY - dt.timedelta(days=2)},
     "first_reported_on"),
    ({"upload": EvidenceFile("report.pdf", b"MZ\x90\x00not a pdf")}, "file"),
    ({"upload": EvidenceFile("report.exe", PDF)}, "file"),
    ({"upload": EvidenceFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))}, "file"),
])
def test_bad_evidence_is_refused_by_field_and_nothing_is_stored(crime, change, field):
    saison = contract(crime, "saison-personal-plus")
    kwargs = {"program": crime, "kind": "inspection", "title": "立入調査", "happened_on": TODAY,
              "measure_ids": [measure("ow-op-02").pk], "outsourcing_id": saison.pk, "actor": actor("tanto"),
              "today": TODAY, **change}
    with pytest.raises(EvidenceRejected) as caught:
        record_evidence(**kwargs)
    assert field in caught.value.errors
    assert not Evidence.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_evidence_for_a_measure_the_registration_does_not_have_is_refused(crime):
    # cw-op-06 is answered － in the demo's approved registration (the system is on the contractor's server)
    saison = contract(crime, "saison-personal-plus")
    with pytest.raises(EvidenceRejected) as caught:
        record_evidence(program=crime, kind="attestation", title="入退室記録", happened_on=TODAY,
                        measure_ids=[measure("cw-op-06").pk], outsourcing_id=saison.pk, actor=actor("tanto"),
                        today=TODAY)
    assert "○" in caught.value.errors["measures"]


def test_handler_list_older_than_the_contract_is_overdue(crime):
    saison = contract(crime, "saison-personal-plus")
    record_evidence(program=crime, kind="handler_list", title="取扱者名簿（前年度の契約）",
                    happened_on=saison.start_date - dt.timedelta(days=200), measure_ids=[measure("ow-op-04").pk],
                    outsourcing_id=saison.pk, actor=actor("tanto"), today=TODAY)
    assert status(crime, "ow-op-04", saison) == "overdue"
    record_evidence(program=crime, kind="handler_list", title="取扱者名簿", happened_on=saison.start_date,
                    measure_ids=[measure("ow-op-04").pk], outsourcing_id=saison.pk, actor=actor("tanto"),
                    today=TODAY)
    assert status(crime, "ow-op-04", saison) == "proven"


def test_erasure_report_is_due_until_thirty_days_after_the_contract_then_overdue(crime):
    saison = contract(crime, "saison-personal-plus")
    end = saison.end_date
    assert status(crime, "ow-op-10", saison, today=end) == "due"
    assert status(crime, "ow-op-10", saison, today=end + dt.timedelta(days=30)) == "due"
    assert status(crime, "ow-op-10", saison, today=end + dt.timedelta(days=31)) == "overdue"


def test_a_missing_erasure_certificate_thirty_days_after_return_makes_it_overdue(crime):
    saison = contract(crime, "saison-personal-plus")
    saison.end_date = TODAY - dt.timedelta(days=1)  # the contract has ended: the erasure report is the final one
    saison.save()
    record_evidence(program=crime, kind="contractor_erasure", title="消去報告", happened_on=TODAY,
                    measure_ids=[measure("ow-op-10").pk], outsourcing_id=saison.pk, actor=actor("tanto"), today=TODAY)
    assert status(crime, "ow-op-10", saison) == "proven"
    LedgerEntry.objects.create(kind=EntryKind.PACKAGE, handed_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
                               program=crime, program_code=crime.code, recipient=saison.contractor,
                               recipient_name=saison.contractor.name, content="申請データ", record_count=10,
                               medium="cd_r", sha256="0" * 64, return_due=dt.date(2026, 9, 30),
                               returned_on=dt.date(2026, 10, 1))
    assert status(crime, "ow-op-10", saison) == "overdue"


def test_no_subcontractor_means_no_subcontractor_inspection(demo):
    coming = Program.objects.get(code="coming-of-age-2026")
    rows = [s for s in measure_statuses(coming, today=TODAY) if s.measure.key == "ow-op-03"]
    assert rows and all(s.status == "none_needed" for s in rows)


# --- screens -------------------------------------------------------------------------------------------

@pytest.fixture
def demo_client(crime, client, settings):
    from madoguchi.accounts.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def make(username: str):
        user = User.objects.get(username=username)
        user.set_password("pw-for-tests-1")
        user.save()
        c = type(client)()
        assert c.post("/accounts/login/", {"username": username, "password": "pw-for-tests-1"}).status_code == 302
        return c
    return make


@pytest.mark.parametrize(("who", "code"), [("tanto", 200), ("hogo", 200), ("kansa", 200), ("itaku", 200),
                                           ("callcenter", 200), ("tanto-tax", 403), ("insatsu", 403)])
def test_measures_page_by_role(demo_client, who, code):
    response = demo_client(who).get(f"/register/{CODE}/measures/")
    assert response.status_code == code
    if code == 200:
        assert "保護措置と証跡" in response.content.decode()
    else:
        assert AccessLog.objects.filter(username=who, allowed=False).exists()


def test_the_form_records_evidence_and_shows_errors_at_their_fields(crime, demo_client):
    c = demo_client("itaku")
    saison = contract(crime, "saison-personal-plus")
    page = c.get(f"/register/{CODE}/evidence/new/")
    assert page.status_code == 200 and "証明する対策" in page.content.decode()
    bad = c.post(f"/register/{CODE}/evidence/new/", {
        "kind": "inspection", "outsourcing": saison.pk, "measures": [measure("oc-op-02").pk], "title": "立入調査",
        "happened_on": format_wareki(timezone.localdate() + dt.timedelta(days=30))})
    assert bad.status_code == 200 and "未来の日付" in bad.content.decode()
    assert not Evidence.objects.exists()
    ok = c.post(f"/register/{CODE}/evidence/new/", {
        "kind": "inspection", "outsourcing": saison.pk, "measures": [measure("oc-op-02").pk], "title": "立入調査",
        "happened_on": format_wareki(timezone.localdate() - dt.timedelta(days=1))})
    assert ok.status_code == 302
    assert Evidence.objects.get().recorded_by_organisation.code == "saison-personal-plus"


@pytest.mark.parametrize(("who", "code"), [("hogo", 200), ("tanto", 200), ("kansa", 200), ("itaku", 403),
                                           ("kanri", 403)])
def test_board_by_role(demo_client, who, code):
    response = demo_client(who).get("/register/evidence/")
    assert response.status_code == code
    if who == "hogo":
        body = response.content.decode()
        assert "期限切れ" in body and "健康ポイント事業" in body


def test_the_council_document_shows_the_status_beside_each_measure(crime):
    import io

    from docx import Document

    from madoguchi.register.services.documents import council_document

    def statuses() -> dict[str, str]:
        data = council_document(revision=crime.approved_revision(), fmt="docx", actor=actor("hogo"))
        found: dict[str, str] = {}
        for table in Document(io.BytesIO(data)).tables:
            if len(table.rows[0].cells) == 5 and table.rows[0].cells[4].text == "証跡":
                for row in table.rows[1:]:
                    found[row.cells[2].text] = row.cells[4].text
        return found

    saison = contract(crime, "saison-personal-plus")
    saison.start_date = dt.date(2025, 4, 1)
    saison.save()
    text = measure("ow-op-02").text
    assert statuses()[text] == "期限切れ"
    inspection(crime, "tanto", saison)
    # the sub-contractor's inspection is still missing, so the measure's worst status is that one
    callcenter = contract(crime, "callcenter-demo")
    callcenter.start_date = dt.date(2026, 4, 1)
    callcenter.save()
    inspection(crime, "tanto", callcenter)
    assert statuses()[text] == "証明済み"



def test_an_interim_erasure_report_during_the_contract_does_not_prove_the_final_erasure(crime):
    saison = contract(crime, "saison-personal-plus")
    record_evidence(program=crime, kind="contractor_erasure", title="返却された媒体の消去報告", happened_on=TODAY,
                    measure_ids=[measure("ow-op-10").pk], outsourcing_id=saison.pk, actor=actor("tanto"), today=TODAY)
    assert saison.end_date > TODAY + dt.timedelta(days=30)
    found = [s for s in measure_statuses(crime, today=TODAY) if s.measure.key == "ow-op-10" and s.outsourcing == saison]
    assert found[0].status == "due" and "途中の消去報告 1件" in found[0].detail


def test_a_contractor_cannot_prove_the_wards_own_measures(crime):
    saison = contract(crime, "saison-personal-plus")
    with pytest.raises(EvidenceRejected) as caught:
        record_evidence(program=crime, kind="inspection", title="立入調査", happened_on=TODAY,
                        measure_ids=[measure("ow-op-02").pk], outsourcing_id=saison.pk, actor=actor("itaku"),
                        today=TODAY)
    assert "委託先が記録できるのは" in caught.value.errors["measures"]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"kind": "handler_list"}, "measures", "証跡は「立入調査・実地確認」"),  # the kind must fit the measure
    ({"kind": "contractor_erasure", "measure_ids": "ow-op-10", "outsourcing_id": None}, "outsourcing", "どの委託"),
    ({"occurred_on": TODAY}, "occurred_on", "事故の報告のときだけ"),
    ({"happened_on": dt.date(2019, 5, 1)}, "happened_on", "委託の開始"),
])
def test_evidence_that_does_not_fit_its_measure_or_contract_is_refused(crime, change, field, words):
    saison = contract(crime, "saison-personal-plus")
    if change.get("measure_ids") == "ow-op-10":
        change["measure_ids"] = [measure("ow-op-10").pk]
    kwargs = {"program": crime, "kind": "inspection", "title": "記録", "happened_on": TODAY,
              "measure_ids": [measure("ow-op-02").pk], "outsourcing_id": saison.pk, "actor": actor("tanto"),
              "today": TODAY, **change}
    with pytest.raises(EvidenceRejected) as caught:
        record_evidence(**kwargs)
    assert words in caught.value.errors[field]
    assert not Evidence.objects.exists()
