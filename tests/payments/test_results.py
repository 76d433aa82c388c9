"""Results: the bank's return file (CSV or Zengin), marking by hand, account correction, re-transfer."""

from __future__ import annotations

import pytest

from madoguchi.audit.models import AccessLog
from madoguchi.core.banking import AccountError
from madoguchi.core.errors import BusinessRuleError, ImportRejected
from madoguchi.core.payables import payment_settled
from madoguchi.payments import zengin
from madoguchi.payments.models import BatchKind, BatchStatus, ItemStatus, PaymentItem, ResultImport
from madoguchi.payments.services.batches import close_batch, create_batch, create_retransfer_batch, lock_batch
from madoguchi.payments.services.export import export_batch
from madoguchi.payments.services.results import correct_account, import_results, mark_result
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(program, offer, actor):
    offer.items = [payable(n) for n in range(1, 4)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    lock_batch(batch=batch, actor=actor)
    content = export_batch(batch=batch, actor=actor).content
    return batch, content


@pytest.fixture
def settled():
    received: list[dict] = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    payment_settled.connect(listener)
    yield received
    payment_settled.disconnect(listener)


def _csv(batch, failing: set[int], *, extra: str = "") -> bytes:
    lines = ["顧客コード,受取人,金額,結果,理由"]
    for item in batch.items.order_by("line_no"):
        if item.line_no in failing:
            lines.append(f"{item.customer_code},{item.holder_kana},{item.amount},不能,該当口座なし")
        else:
            lines.append(f"{item.customer_code},{item.holder_kana},{item.amount},済,")
    return ("\n".join(lines) + extra + "\n").encode("cp932")


def test_csv_result_with_one_failure(exported, actor, settled):
    batch, _ = exported
    # when
    log = import_results(batch=batch, data=_csv(batch, {2}), filename="result.csv", actor=actor)
    # then
    assert (log.paid_count, log.failed_count, log.file_format) == (2, 1, "csv")
    failed = batch.items.get(line_no=2)
    assert failed.status == ItemStatus.FAILED and failed.failure_reason == "該当口座なし"
    assert batch.items.filter(status=ItemStatus.PAID).count() == 2
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RESULTS_IMPORTED
    assert sorted((s["source_ref"], s["paid"]) for s in settled) == [("case:1", True), ("case:2", False),
                                                                      ("case:3", True)]
    assert AccessLog.objects.filter(action="payment.result", target=f"payment_batch:{batch.pk}").exists()
    # the same file again changes nothing and is accepted
    import_results(batch=batch, data=_csv(batch, {2}), filename="result.csv", actor=actor)
    assert batch.items.filter(status=ItemStatus.PAID).count() == 2


def test_zengin_result_file(exported, actor):
    batch, content = exported
    # given the bank returns our records with a result code at position 112 (3 = 名義相違 for the first)
    lines = zengin.split_records(content)
    out = []
    for n, line in enumerate(lines):
        if line[:1] == b"2":
            line = line[:111] + (b"3" if n == 1 else b"0") + line[112:]
        out.append(line)
    # when
    log = import_results(batch=batch, data=b"\r\n".join(out) + b"\r\n", filename="kekka.txt", actor=actor)
    # then
    assert (log.file_format, log.paid_count, log.failed_count) == ("zengin", 2, 1)
    assert batch.items.get(line_no=1).failure_reason == "受取人名義相違"


def test_result_naming_an_item_not_in_the_batch_changes_nothing(exported, actor, settled):
    batch, _ = exported
    data = _csv(batch, {2}, extra="\n9999999,ﾀﾞﾚｶ,100,済,")
    with pytest.raises(ImportRejected) as info:
        import_results(batch=batch, data=data, filename="result.csv", actor=actor)
    assert [(e.line, e.column) for e in info.value.errors] == [(5, "顧客コード")]
    assert "このバッチにない明細" in str(info.value)
    assert not batch.items.exclude(status=ItemStatus.PENDING).exists()
    assert not ResultImport.objects.exists() and settled == []
    assert not AccessLog.objects.filter(action="payment.result").exists()


def test_result_with_a_wrong_amount_or_name_is_refused(exported, actor):
    batch, _ = exported
    item = batch.items.get(line_no=1)
    data = ("顧客コード,受取人,金額,結果\n"
            f"{item.customer_code},{item.holder_kana},{item.amount + 1},済\n"
            f"{item.customer_code},ﾍﾞﾂｼﾞﾝ,{item.amount},済\n").encode()
    with pytest.raises(ImportRejected) as info:
        import_results(batch=batch, data=data, filename="r.csv", actor=actor)
    assert [(e.line, e.column) for e in info.value.errors] == [(2, "金額"), (3, "受取人")]


def test_an_item_of_another_batch_is_not_in_this_batch(program, offer, actor, exported):
    batch, _ = exported
    offer.items.append(payable(9))
    other = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    lock_batch(batch=other, actor=actor)
    export_batch(batch=other, actor=actor)
    item = other.items.get()
    data = f"顧客コード,受取人,金額,結果\n{item.customer_code},{item.holder_kana},{item.amount},済\n".encode()
    with pytest.raises(ImportRejected, match="このバッチにない明細"):
        import_results(batch=batch, data=data, filename="r.csv", actor=actor)


def test_results_before_export_are_refused(program, offer, actor):
    offer.items = [payable(1)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    with pytest.raises(BusinessRuleError, match="結果を登録できません"):
        import_results(batch=batch, data=b"x", filename="r.csv", actor=actor)


def test_correct_and_retransfer_with_new_code_2_then_close(exported, actor, program, settled):
    batch, _ = exported
    failed = batch.items.get(line_no=1)
    mark_result(item=batch.items.get(line_no=2), paid=True, reason="", actor=actor)
    mark_result(item=batch.items.get(line_no=3), paid=True, reason="", actor=actor)
    with pytest.raises(BusinessRuleError, match="理由"):
        mark_result(item=failed, paid=False, reason=" ", actor=actor)
    mark_result(item=failed, paid=False, reason="口座解約", actor=actor)
    with pytest.raises(BusinessRuleError, match="口座を訂正した"):
        create_retransfer_batch(program=program, transfer_date=transfer_day(), actor=actor)
    # bad corrections are refused with every reason
    with pytest.raises(AccountError) as info:
        correct_account(item=failed, bank_code="0002", branch_code="001", account_type="1", account_number="12",
                        holder_kana="山田", actor=actor)
    assert set(info.value.errors) == {"bank_code", "account_number", "holder_kana"}
    # when
    correct_account(item=failed, bank_code="0005", branch_code="001", account_type="1", account_number="2222222",
                    holder_kana="やまだ　たろう", actor=actor)
    again = create_retransfer_batch(program=program, transfer_date=transfer_day(), actor=actor)
    # then
    assert again.kind == BatchKind.RETRANSFER and again.item_count == 1
    item = again.items.get()
    assert (item.new_code, item.bank_code, item.account_number, item.holder_kana) == ("2", "0005", "2222222",
                                                                                     "ﾔﾏﾀﾞ ﾀﾛｳ")
    assert item.retransfer_of_id == failed.pk and item.amount == failed.amount
    lock_batch(batch=again, actor=actor)
    record = zengin.parse(export_batch(batch=again, actor=actor).content).records[0]
    assert record.new_code == "2" and record.account_number == "2222222"
    with pytest.raises(BusinessRuleError, match="既に再振込"):
        correct_account(item=failed, bank_code="0005", branch_code="001", account_type="1",
                        account_number="3333333", holder_kana="ﾔﾏﾀﾞ", actor=actor)
    close_batch(batch=batch, actor=actor)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CLOSED
    with pytest.raises(BusinessRuleError, match="結果が分からない"):
        close_batch(batch=again, actor=actor)
    assert AccessLog.objects.filter(action="payment.account_change").count() == 1
    assert PaymentItem.objects.filter(source_ref=failed.source_ref).count() == 2


def test_an_account_corrected_in_casework_is_taken_for_the_retransfer(exported, actor, program, offer):
    # given a failed item, and its provider now offering the corrected account (same source_ref)
    batch, _ = exported
    failed = batch.items.get(line_no=1)
    mark_result(item=failed, paid=False, reason="口座なし", actor=actor)
    unchanged = batch.items.get(line_no=2)
    mark_result(item=unchanged, paid=False, reason="口座なし", actor=actor)
    offer.items = [payable(1, account_number="5555555"), payable(2)]
    # when
    again = create_retransfer_batch(program=program, transfer_date=transfer_day(), actor=actor)
    # then only the item whose account changed is re-transferred; the other still waits
    item = again.items.get()
    assert (item.source_ref, item.account_number, item.new_code) == ("case:1", "5555555", "2")
    assert PaymentItem.objects.filter(pk=unchanged.pk, retransfer__isnull=True).exists()
