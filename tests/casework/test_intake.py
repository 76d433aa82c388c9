"""Intake of the e-form CSV export and of paper applications."""

from __future__ import annotations

import pytest

from madoguchi.casework.models import Case, ResentResponse, Status
from madoguchi.casework.services.intake import enter_paper_application, import_form_csv
from madoguchi.core.errors import AccessRefused, ImportRejected
from madoguchi.register.models import Participation
from tests.casework.conftest import HEADER, csv_bytes, row
from tests.factories import ResidentFactory


def test_import_keeps_every_item_of_the_seed(setup, profile):
    # given an export with one response
    data = csv_bytes(row())
    # when staff import it
    result = import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile, data=data)
    # then one received case holds every applicant item
    case = Case.objects.get(pk=result.created[0])
    assert case.status == Status.RECEIVED
    assert (case.postal_code, case.name, case.name_kana, str(case.birth_date)) == (
        "160-0023", "佐藤　花子", "サトウ　ハナコ", "1980-05-06")
    assert (case.phone, case.email, case.household_head, case.household_relation) == (
        "03-1111-2222", "hanako@example.jp", "佐藤　花子", "本人")
    assert case.application_amount == 15000
    assert (case.bank_code, case.branch_code, case.account_type, case.account_number) == ("0009", "001", "1", "1234567")
    assert case.account_holder_kana == "サトウ ハナコ" and case.account_problem == ""
    assert case.pledges == {"暴力団員でないこと": True, "記載内容が事実であること": True}
    assert case.attachments == ["領収書", "設置写真"]
    lines = list(case.purchases.order_by("id"))
    assert [(p.item, p.cost, p.installation, p.shop) for p in lines] == [
        ("防犯カメラ", 25000, True, "新宿電機"), ("補助錠", 5000, False, "新宿電機")]
    assert lines[0].purchase_date.isoformat() == "2026-05-10"
    assert case.events.count() == 1


def test_import_is_idempotent_and_flags_a_resent_response(setup, profile):
    actor = setup.actor(setup.staff)
    import_form_csv(actor=actor, program=setup.program, profile=profile, data=csv_bytes(row()))
    # when the same export comes again
    again = import_form_csv(actor=actor, program=setup.program, profile=profile, data=csv_bytes(row()))
    assert again.created == [] and again.unchanged == 1
    # when the response is re-sent with a different cost
    changed = import_form_csv(actor=actor, program=setup.program, profile=profile,
                              data=csv_bytes(row(cost="40000")))
    # then it is flagged, not overwritten
    assert changed.created == [] and len(changed.flagged) == 1
    case = Case.objects.get()
    assert case.purchases.order_by("id").first().cost == 25000
    resent = ResentResponse.objects.get()
    assert resent.case == case and not resent.settled


def test_import_reads_cp932(setup, profile):
    result = import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile,
                             data=csv_bytes(row(), encoding="cp932"))
    assert len(result.created) == 1


def test_import_links_the_resident_and_records_participation(setup, profile):
    from madoguchi.core.text import address_key, name_key

    resident = ResidentFactory(name="佐藤　花子", birth_date="1980-05-06", name_key=name_key("佐藤　花子"),
                               address_key=address_key("東京都新宿区西新宿二丁目8番1号"))
    result = import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile,
                             data=csv_bytes(row()))
    case = Case.objects.get(pk=result.created[0])
    assert case.resident == resident
    assert Participation.objects.filter(program=setup.program, resident=resident).exists()


GOOD = row("LF-0099", name="鈴木　一郎")


@pytest.mark.parametrize(("data", "line", "column"), [
    (csv_bytes(GOOD, row(cost="二万円")), 3, "購入金額1"),
    (csv_bytes(GOOD, row(birth="1980-02-30")), 3, "生年月日"),
    (csv_bytes(GOOD, row(date="令和8年13月1日")), 3, "送信日時"),
    (csv_bytes(GOOD, row(kana_holder="佐藤 ハナコ")), 3, "口座名義フリガナ"),
    (csv_bytes(GOOD, row(name="")), 3, "氏名"),
    (csv_bytes(GOOD, row(), header=HEADER.replace("補助申請額", "申請額")), 1, "申請額"),
    (csv_bytes(GOOD, row(), drop=len(HEADER.split(",")) - 1), 1, "添付書類"),
], ids=["cost-not-number", "impossible-birth-date", "impossible-era-date", "holder-kana-with-kanji",
        "missing-name", "unknown-column", "missing-mapped-column"])
def test_bad_input_is_refused_whole_with_line_and_field(setup, profile, data, line, column):
    # given a file with one good row and one bad part
    # when imported, then nothing lands and the error names the line and the field
    with pytest.raises(ImportRejected) as exc:
        import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile, data=data)
    assert (line, column) in [(e.line, e.column) for e in exc.value.errors], exc.value.errors
    assert Case.objects.count() == 0


def test_row_error_has_the_physical_line(setup, profile):
    data = csv_bytes(row("A1"), row("A2", cost="abc"))
    with pytest.raises(ImportRejected) as exc:
        import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile, data=data)
    assert [(e.line, e.column) for e in exc.value.errors] == [(3, "購入金額1")]


@pytest.mark.parametrize("who", ["callcenter", "other_staff", "privacy", "auditor", "admin"])
def test_only_declared_roles_may_import(setup, profile, who):
    with pytest.raises(AccessRefused):
        import_form_csv(actor=setup.actor(getattr(setup, who)), program=setup.program, profile=profile,
                        data=csv_bytes(row()))
    assert Case.objects.count() == 0


def test_contractor_keys_in_a_paper_application(setup):
    raw = {"name": "田中　一郎", "address": "東京都新宿区百人町一丁目1番1号", "application_date": "R8.6.1",
           "item_1": "補助錠", "cost_1": "8000", "account_holder_kana": "タナカ イチロウ"}
    case = enter_paper_application(actor=setup.actor(setup.contractor), program=setup.program, raw=raw)
    assert case.source == "paper" and case.purchase_total == 8000
    with pytest.raises(ImportRejected):
        enter_paper_application(actor=setup.actor(setup.contractor), program=setup.program,
                                raw={**raw, "cost_1": "八千"})
    assert Case.objects.count() == 1


def test_applications_are_refused_where_applicants_are_not_a_declared_scope(setup, profile):
    """Every list of people a program takes in needs its declared person scope (ADR 0010)."""
    setup.program.revisions.get().scopes.filter(name="申請者").update(name="対象者")
    with pytest.raises(AccessRefused, match="「申請者」がありません"):
        import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile, data=csv_bytes(row()))
    raw = {"name": "田中　一郎", "address": "東京都新宿区百人町一丁目1番1号", "application_date": "R8.6.1",
           "item_1": "補助錠", "cost_1": "8000", "account_holder_kana": "タナカ イチロウ"}
    with pytest.raises(AccessRefused, match="「申請者」がありません"):
        enter_paper_application(actor=setup.actor(setup.contractor), program=setup.program, raw=raw)
    assert Case.objects.count() == 0 and not Participation.objects.exists()
