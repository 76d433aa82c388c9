"""Payments in the browser: create, lock, export, import a result with one failure, correct the account,
re-transfer."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.payments.models import BatchKind, ItemStatus, PaymentBatch
from tests.factories import OrganisationFactory, UserFactory
from tests.payments.factories import make_program, offering, payable, transfer_day


@pytest.fixture
def setup(db):
    department = OrganisationFactory(code="dept-pay", name="支払テスト課")
    UserFactory(username="pay-staff", role=Role.DEPARTMENT_STAFF, organisation=department)
    program = make_program(department)
    with offering() as offer:
        offer.items = [payable(n) for n in range(1, 4)]
        yield program


@pytest.mark.django_db(transaction=True)
def test_create_lock_export_fail_correct_retransfer(page, login_as, setup, tmp_path):
    login_as("pay-staff")
    # create
    page.goto("/payments/")
    page.click("[data-testid=new-batch]")
    page.fill("#id_transfer_date", transfer_day().isoformat())
    page.click("[data-testid=create-batch]")
    # the creation runs as a job (at once in tests); its page links to the batch
    page.wait_for_selector("[data-testid=batch-job-result]")
    assert "3件" in page.inner_text("[data-testid=batch-job-result]")
    page.click("[data-testid=open-batch]")
    page.wait_for_selector("[data-testid=batch-status]")
    assert page.inner_text("[data-testid=batch-status]") == "作成中"
    assert "3 件" in page.inner_text("[data-testid=batch-total]")
    # lock
    page.click("[data-testid=lock-batch]")
    assert page.inner_text("[data-testid=batch-status]") == "確定済み"
    # export and download
    page.click("[data-testid=export-batch]")
    assert page.inner_text("[data-testid=batch-status]") == "振込データ作成済み"
    with page.expect_download() as info:
        page.click("[data-testid=download-zengin]")
    saved = tmp_path / "zengin.txt"
    info.value.save_as(saved)
    data = saved.read_bytes()
    assert len(data) == 6 * 122 and data.startswith(b"121")
    # a result with one failure
    batch = PaymentBatch.objects.get()
    rows = ["顧客コード,受取人,金額,結果,理由"]
    for item in batch.items.order_by("line_no"):
        result = "不能,該当口座なし" if item.line_no == 2 else "済,"
        rows.append(f"{item.customer_code},{item.holder_kana},{item.amount},{result}")
    result_file = tmp_path / "kekka.csv"
    result_file.write_text("\n".join(rows) + "\n", encoding="cp932")
    page.click("[data-testid=import-results]")
    page.set_input_files("#id_file", str(result_file))
    page.click("[data-testid=upload-results]")
    page.wait_for_selector("[data-testid=batch-status]")
    assert page.inner_text("[data-testid=batch-status]") == "結果取込済み"
    assert "振込不能" in page.inner_text("[data-testid=item-status-2]")
    # correct the account
    failed = batch.items.get(status=ItemStatus.FAILED)
    page.click("[data-testid=nav-failed]")
    page.click(f"[data-testid=correct-{failed.pk}]")
    page.fill("#id_bank_code", "0005")
    page.fill("#id_branch_code", "001")
    page.wait_for_selector("[data-testid=bank-names]:has-text('三菱')")  # no eval: the page has a strict CSP
    page.fill("#id_account_number", "1234567")
    page.fill("#id_holder_kana", "やまだ　たろう")
    page.click("[data-testid=save-correction]")
    assert "訂正済み" in page.inner_text(f"[data-testid=failed-row-{failed.pk}]")
    # re-transfer
    page.goto("/payments/retransfer/")
    page.fill("#id_transfer_date", transfer_day(21).isoformat())
    page.click("[data-testid=create-retransfer]")
    page.wait_for_selector("[data-testid=batch-status]")
    again = PaymentBatch.objects.get(kind=BatchKind.RETRANSFER)
    item = again.items.get()
    assert (item.new_code, item.bank_code, item.holder_kana, item.retransfer_of_id) == ("2", "0005", "ﾔﾏﾀﾞ ﾀﾛｳ",
                                                                                      failed.pk)
    assert "1 件" in page.inner_text("[data-testid=batch-total]")
