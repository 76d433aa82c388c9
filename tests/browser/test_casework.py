"""The whole path of an application subsidy in a browser: import a CSV, review, request a correction,
settle a duplicate candidate, grant, print the notice, see the case paid; the call center logs an
inquiry and cannot see the bank account."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.casework.models import Case, Status
from tests.casework.conftest import MAPPING, csv_bytes, row
from tests.casework.factories import CODE, make_setup


def _pay_through_payments(setup, case: Case) -> None:
    """The payments service takes the granted case into a batch, exports it and records it as paid."""
    from madoguchi.core.calendar import next_bank_business_day
    from madoguchi.payments.models import PaymentProfile
    from madoguchi.payments.services.batches import create_batch, lock_batch
    from madoguchi.payments.services.export import export_batch
    from madoguchi.payments.services.results import mark_result

    actor = setup.actor(setup.staff)
    PaymentProfile.objects.create(program=setup.program, requester_code="1234567890", requester_name="ｼﾝｼﾞﾕｸｸ",
                                  bank_code="0009", branch_code="001", account_number="7777777")
    day = next_bank_business_day(dt.date.today() + dt.timedelta(days=3))
    batch = create_batch(program=setup.program, transfer_date=day, actor=actor).batch
    lock_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)
    item = batch.items.get(source_ref=f"case:{case.pk}")
    mark_result(item=item, paid=True, reason="", actor=actor)


@pytest.mark.django_db(transaction=True)
def test_application_from_import_to_payment(page, login_as, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setup = make_setup()
    from madoguchi.casework.services.duplicates import import_past_grantees
    from madoguchi.casework.services.intake import save_profile

    staff = setup.actor(setup.staff)
    save_profile(actor=staff, program=setup.program, name="LoGoフォーム", mapping=MAPPING)
    import_past_grantees(actor=staff, program=setup.program, name="令和7年度",
                         data="住所,氏名\n新宿区西新宿2-8-1,高橋　一郎\n".encode())
    upload = tmp_path / "logo.csv"
    upload.write_bytes(csv_bytes(row("LF-1", name="髙橋　一郎", kana_holder="タカハシ イチロウ"), encoding="cp932"))

    # import the e-form export
    login_as("tanto")
    page.goto(f"/cases/{CODE}/import/")
    page.set_input_files("#file", str(upload))
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-result]")
    assert "新規 1 件" in page.inner_text("[data-testid=import-result]")
    case = Case.objects.get()

    # review and request a correction
    page.goto("/cases/")
    page.click("[data-testid=nav-list]")
    page.click(f"[data-testid=case-row-{case.number}] a")
    page.click("[data-testid=step-start_review]")
    page.fill("#content", "領収書の宛名が申請者と違います。申請者宛ての領収書を提出してください。")
    page.click("[data-testid=step-request_correction]")
    assert page.inner_text("[data-testid=case-status]") == "補正依頼中"
    page.click("[data-testid=step-resume_review]")

    # the past grantee is a candidate; grant is refused until it is settled
    page.click("[data-testid=step-grant]")
    assert "未確認の重複候補" in page.inner_text(".messages")
    candidate = case.duplicate_candidates.get()
    page.fill(f"#reason-{candidate.pk}", "生年月日と世帯が異なる別人（住民記録で確認）")
    page.click(f"[data-testid=settle-no-{candidate.pk}]")
    page.click("[data-testid=step-grant]")
    assert page.inner_text("[data-testid=case-status]") == "交付決定"
    assert "15,000" in page.inner_text("[data-testid=granted-amount]")

    # print the notice
    with page.expect_popup() as popup:
        page.click("[data-testid=print-grant]")
    pdf = page.request.get(popup.value.url)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # the payments service pays it; the case shows paid
    case.refresh_from_db()
    _pay_through_payments(setup, case)
    page.reload()
    assert page.inner_text("[data-testid=case-status]") == "支払済み"

    # the call center logs an inquiry and cannot see the bank account
    page.context.clear_cookies()
    login_as("callcenter")
    page.goto(f"/cases/case/{case.pk}/")
    assert page.locator("[data-testid=bank-account]").count() == 0
    assert "1234567" not in page.content() and "三井住友" not in page.content()
    page.fill("#caller", "本人")
    page.fill("#question", "振込はいつになりますか")
    page.fill("#answer", "支払済みであることを案内した")
    page.click("[data-testid=inquiry-submit]")
    assert "振込はいつになりますか" in page.inner_text("[data-testid=inquiries]")
    case.refresh_from_db()
    assert case.status == Status.PAID and case.inquiries.count() == 1
