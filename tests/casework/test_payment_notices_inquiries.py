"""Payables and payment results; notices (PDF); inquiries and what each role sees of a case."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import Inquiry, JobStatus, Notice, NoticeJob, NoticeKind, Status
from madoguchi.casework.selectors import board, list_cases, open_case
from madoguchi.casework.services import decisions
from madoguchi.casework.services.inquiries import log_inquiry
from madoguchi.casework.services.notices import print_notice, start_batch
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.core.payables import payables_for, payment_settled
from tests.casework.factories import make_case


def test_granted_cases_with_valid_accounts_are_payable(setup):
    good = make_case(setup.program, status=Status.GRANTED, granted_amount=12000)
    make_case(setup.program, name="別人　一郎", address="新宿区百人町1-1-1", status=Status.GRANTED,
              granted_amount=12000, account_problem="口座番号は7桁の数字で入力してください")
    make_case(setup.program, name="審査　中", address="新宿区百人町1-1-2", status=Status.UNDER_REVIEW)
    payables = [p for p in payables_for(setup.program.code) if p.source_ref.startswith("case:")]
    assert [(p.source_ref, p.purpose, p.amount, p.holder_kana) for p in payables] == [
        (f"case:{good.pk}", "subsidy", 12000, "ﾔﾏﾀﾞ ﾀﾛｳ")]
    assert payables[0].beneficiary_key == good.household_key


def test_payment_results_move_the_case(setup):
    case = make_case(setup.program, status=Status.QUEUED, granted_amount=12000)
    payment_settled.send(sender=None, source_ref=f"case:{case.pk}", paid=False, reason="口座なし",
                         actor=setup.actor(setup.staff))
    case.refresh_from_db()
    assert case.status == Status.TRANSFER_FAILED and "口座なし" in case.account_problem
    decisions.correct_account(case=case, actor=setup.actor(setup.contractor), values={
        "bank_code": "0009", "branch_code": "001", "account_type": "1", "account_number": "7654321",
        "account_holder": "山田　太郎", "account_holder_kana": "ヤマダ タロウ"})
    assert case.status == Status.RETRANSFER and case.account_number == "7654321" and case.account_problem == ""
    payment_settled.send(sender=None, source_ref=f"case:{case.pk}", paid=True, reason="", actor=setup.actor(setup.staff))
    case.refresh_from_db()
    assert case.status == Status.PAID and case.paid_on


def test_account_correction_checks_the_bank_master(setup):
    case = make_case(setup.program, status=Status.TRANSFER_FAILED, granted_amount=12000)
    with pytest.raises(BusinessRuleError):
        decisions.correct_account(case=case, actor=setup.actor(setup.staff), values={
            "bank_code": "9999", "branch_code": "001", "account_number": "1", "account_holder_kana": "ヤマダ タロウ"})
    case.refresh_from_db()
    assert case.status == Status.TRANSFER_FAILED


def test_notice_pdf_is_a4_with_embedded_fonts_and_keeps_its_number(setup):
    case = make_case(setup.program, status=Status.GRANTED, granted_amount=12000, decided_on=__import__("datetime").date(2026, 6, 1))
    pdf = print_notice(actor=setup.actor(setup.contractor), case=case, kind=NoticeKind.GRANT)
    reader = PdfReader(__import__("io").BytesIO(pdf))
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    text = page.extract_text()
    assert "交付決定通知書" in text and "12,000" in text and "教示" in text and "令和" in text
    fonts = page["/Resources"]["/Font"]
    assert all("/FontFile2" in str(f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object())
               for f in fonts.values() if "/DescendantFonts" in f.get_object())
    number = Notice.objects.get(case=case).number
    print_notice(actor=setup.actor(setup.staff), case=case, kind=NoticeKind.GRANT)
    notice = Notice.objects.get(case=case)
    assert notice.number == number and notice.printed_count == 2


def test_notice_batch_job_renders_a_multipage_pdf(setup, django_capture_on_commit_callbacks):
    for i in range(3):
        make_case(setup.program, name=f"申請　{i}", address=f"新宿区百人町1-1-{i + 1}", status=Status.GRANTED,
                  granted_amount=10000)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == 3
    assert len(PdfReader(__import__("io").BytesIO(bytes(job.pdf))).pages) == 3
    with pytest.raises(BusinessRuleError):
        start_batch(actor=setup.actor(setup.staff), program=setup.program, kind=NoticeKind.GRANT)
    assert NoticeJob.objects.count() == 1


def test_refusal_and_correction_notices(setup):
    refused = make_case(setup.program, status=Status.NOT_GRANTED, decision_reason="過去に交付を受けています")
    corr = make_case(setup.program, name="補正　花子", address="新宿区百人町1-1-9",
                     status=Status.CORRECTION_REQUESTED, correction_content="領収書を添付してください")
    t1 = PdfReader(__import__("io").BytesIO(print_notice(actor=setup.actor(setup.staff), case=refused,
                                                         kind=NoticeKind.REFUSAL))).pages[0].extract_text()
    t2 = PdfReader(__import__("io").BytesIO(print_notice(actor=setup.actor(setup.staff), case=corr,
                                                         kind=NoticeKind.CORRECTION))).pages[0].extract_text()
    assert "不交付決定通知書" in t1 and "過去に交付" in t1 and "教示" in t1
    assert "補正" in t2 and "領収書を添付" in t2 and "教示" not in t2
    with pytest.raises(BusinessRuleError):
        print_notice(actor=setup.actor(setup.staff), case=corr, kind=NoticeKind.GRANT)


@pytest.mark.parametrize("who", ["callcenter", "other_staff", "privacy", "auditor", "admin"])
def test_notices_only_for_declared_roles(setup, who):
    case = make_case(setup.program, status=Status.GRANTED, granted_amount=12000)
    with pytest.raises(AccessRefused):
        print_notice(actor=setup.actor(getattr(setup, who)), case=case, kind=NoticeKind.GRANT)
    assert Notice.objects.count() == 0


def test_callcenter_logs_an_inquiry_and_sees_no_bank_account(setup):
    case = make_case(setup.program)
    cc = setup.actor(setup.callcenter)
    log_inquiry(actor=cc, program=setup.program, case=case, caller="本人", question="審査の状況は？",
                answer="審査中とお伝えした")
    assert Inquiry.objects.get().responder == "callcenter"
    _case, data, _policy = open_case(cc, case.pk)
    assert "name" in data and "inquiries" in data and "received_on" in data
    for absent in ("account_number", "bank_name", "bank_code", "account_holder", "account_holder_kana", "duplicates"):
        assert absent not in data
    staff_data = open_case(setup.actor(setup.staff), case.pk)[1]
    assert staff_data["account_number"] == "1234567"
    assert AccessLog.objects.filter(action="case.view", username="callcenter").count() == 1


@pytest.mark.parametrize("who", ["other_staff", "privacy", "auditor", "admin"])
def test_others_cannot_see_or_list_cases_or_log_inquiries(setup, who):
    case = make_case(setup.program)
    actor = setup.actor(getattr(setup, who))
    with pytest.raises(AccessRefused):
        open_case(actor, case.pk)
    with pytest.raises(AccessRefused):
        list_cases(actor, setup.program)
    with pytest.raises(AccessRefused):
        log_inquiry(actor=actor, program=setup.program, case=case, caller="x", question="y")
    assert Inquiry.objects.count() == 0


def test_list_is_logged_with_resident_ids_and_filtered(setup):
    from tests.factories import ResidentFactory

    resident = ResidentFactory()
    make_case(setup.program, resident=resident)
    page = list_cases(setup.actor(setup.callcenter), setup.program)
    assert page.total == 1 and "account_number" not in page.rows[0] and "name" in page.rows[0]
    log = AccessLog.objects.filter(action="case.list").latest("id")
    assert log.resident_ids == [resident.pk]


def test_board_counts_states_and_operators(setup):
    staff = setup.actor(setup.staff)
    a = make_case(setup.program)
    make_case(setup.program, name="二人目　花子", address="新宿区百人町1-1-1", status=Status.PAID)
    decisions.start_review(case=a, actor=staff)
    b = board(staff, setup.program)
    counts = {value: n for value, _label, n in b.counts}
    assert counts[Status.UNDER_REVIEW] == 1 and counts[Status.PAID] == 1 and b.total == 2
    assert b.per_operator[0][0] == "tanto"
    assert sum(n for _label, n in b.ageing) == 1


def test_duplicates_are_shown_to_those_who_check_them_even_without_the_past_grant_item(setup):
    from madoguchi.register.models import RecordedItem

    RecordedItem.objects.filter(item__key="past_grant").delete()
    case = make_case(setup.program)
    assert "duplicates" in open_case(setup.actor(setup.staff), case.pk)[1]
    assert "duplicates" not in open_case(setup.actor(setup.callcenter), case.pk)[1]


def test_case_list_query_count_does_not_grow_with_the_page(setup, django_assert_max_num_queries):
    for i in range(50):
        make_case(setup.program, name=f"申請　{i}", address=f"新宿区百人町1-{i + 1}-1")
    with django_assert_max_num_queries(25):
        page = list_cases(setup.actor(setup.staff), setup.program)
    assert len(page.rows) == 50
