"""Batches: create → lock → export, with the bad input the issue lists."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from madoguchi.audit.models import AccessLog
from madoguchi.core.calendar import is_bank_business_day
from madoguchi.core.errors import BusinessRuleError
from madoguchi.core.payables import file_exported
from madoguchi.payments import zengin
from madoguchi.payments.models import BatchStatus, ItemStatus, PaymentBatch, PaymentItem, ZenginFile
from madoguchi.payments.services.batches import (
    NotBusinessDay,
    PayablesRejected,
    create_batch,
    discard_batch,
    lock_batch,
)
from madoguchi.payments.services.export import export_batch
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


def test_create_takes_every_payable_not_yet_in_a_batch(program, offer, actor):
    # given
    offer.items = [payable(n, resident_id=None) for n in range(1, 6)]
    # when
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    # then
    assert batch.status == BatchStatus.DRAFT
    assert batch.item_count == 5 and batch.total_amount == sum(20000 + n for n in range(1, 6))
    item = batch.items.get(source_ref="case:1")
    assert item.holder_kana == "ｻﾄｳ ﾊﾅｺ" and item.bank_name == "みずほ" and item.bank_kana == "ﾐｽﾞﾎ"
    assert AccessLog.objects.filter(action="payment.batch", target=f"payment_batch:{batch.pk}").exists()
    # and a second batch finds nothing new
    offer.items.append(payable(6))
    second = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    assert list(second.items.values_list("source_ref", flat=True)) == ["case:6"]
    with pytest.raises(BusinessRuleError, match="バッチに入れる支払がありません"):
        create_batch(program=program, transfer_date=transfer_day(), actor=actor)


def test_non_business_day_is_refused_with_the_next_one_proposed(program, offer, actor):
    offer.items = [payable(1)]
    day = transfer_day()
    while is_bank_business_day(day):
        day += dt.timedelta(days=1)
    with pytest.raises(NotBusinessDay) as info:
        create_batch(program=program, transfer_date=day, actor=actor)
    assert is_bank_business_day(info.value.proposed) and info.value.proposed > day
    assert "次の営業日は" in str(info.value)
    assert not PaymentBatch.objects.exists()


def test_year_end_bank_holiday_is_refused():
    from madoguchi.payments.services.batches import check_transfer_date

    with pytest.raises(NotBusinessDay) as info:
        check_transfer_date(dt.date(2027, 12, 31), today=dt.date(2027, 1, 1))
    assert info.value.proposed == dt.date(2028, 1, 4)


@pytest.mark.parametrize(("override", "fragment"), [
    ({"bank_code": "0002"}, "金融機関コード「0002」"),
    ({"branch_code": "999"}, "支店コード「999」"),
    ({"account_number": "123456"}, "7桁"),
    ({"account_number": "12345678"}, "7桁"),
    ({"holder_kana": "山田 太郎"}, "漢字"),
    ({"amount": 0}, "1円から"),
    ({"amount": 10_000_000_000}, "10桁"),
])
def test_bad_payable_refuses_the_batch_and_changes_nothing(program, offer, actor, override, fragment):
    # given one good and one bad payable
    offer.items = [payable(1), payable(2, **override)]
    # when / then
    with pytest.raises(PayablesRejected) as info:
        create_batch(program=program, transfer_date=transfer_day(), actor=actor)
    assert len(info.value.problems) == 1 and info.value.problems[0].source_ref == "case:2"
    assert fragment in info.value.problems[0].reason
    assert not PaymentBatch.objects.exists() and not PaymentItem.objects.exists()


def test_small_kana_and_long_vowel_are_converted(program, offer, actor):
    offer.items = [payable(1, holder_kana="しょーこ・きゅう")]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    assert batch.items.get().holder_kana == "ｼﾖ-ｺ ｷﾕｳ"


def test_skip_invalid_leaves_bad_payables_out(program, offer, actor):
    offer.items = [payable(1), payable(2, bank_code="0002")]
    result = create_batch(program=program, transfer_date=transfer_day(), actor=actor, skip_invalid=True)
    assert result.batch.item_count == 1
    assert [p.source_ref for p in result.skipped] == ["case:2"]


def test_a_beneficiary_already_paid_for_the_purpose_is_refused(program, offer, actor):
    offer.items = [payable(1)]
    create_batch(program=program, transfer_date=transfer_day(), actor=actor)
    offer.items.append(payable(2, beneficiary_key="R000001"))  # another case, same person and purpose
    with pytest.raises(PayablesRejected, match="二重払い"):
        create_batch(program=program, transfer_date=transfer_day(), actor=actor)


def test_database_refuses_a_second_live_payment(program, offer, actor):
    offer.items = [payable(1)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    item = batch.items.get()
    copy = {f.name: getattr(item, f.name) for f in PaymentItem._meta.concrete_fields if f.name not in ("id",)}
    copy["source_ref"] = "case:other"
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentItem.objects.create(**{k: v for k, v in copy.items() if k not in ("batch", "program")},
                                   batch=batch, program=program)
    copy.update(source_ref="case:1", beneficiary_key="someone-else")
    with pytest.raises(IntegrityError), transaction.atomic():  # the same payable in a second batch
        PaymentItem.objects.create(**{k: v for k, v in copy.items() if k not in ("batch", "program")},
                                   batch=batch, program=program)
    # a failed payment does not block the next one
    PaymentItem.objects.filter(pk=item.pk).update(status=ItemStatus.FAILED)
    PaymentItem.objects.create(**{k: v for k, v in copy.items() if k not in ("batch", "program")},
                               batch=batch, program=program)


def test_lock_takes_the_snapshot_and_later_edits_do_not_change_it(program, offer, actor):
    offer.items = [payable(1), payable(2)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    # given the case's account was corrected before the lock, and case 2 was withdrawn
    offer.items = [dataclasses.replace(payable(1), account_number="7777777", amount=30000)]
    # when
    dropped = lock_batch(batch=batch, actor=actor)
    # then
    assert [d.source_ref for d in dropped] == ["case:2"]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.LOCKED and batch.item_count == 1 and batch.total_amount == 30000
    item = batch.items.get()
    assert item.account_number == "7777777" and item.account_last4 == "7777"
    # and after the lock, a change of the case changes nothing
    offer.items = [dataclasses.replace(payable(1), account_number="1111111", amount=99999)]
    with pytest.raises(BusinessRuleError, match="確定済み"):
        lock_batch(batch=batch, actor=actor)
    data = export_batch(batch=batch, actor=actor).content
    record = zengin.parse(data).records[0]
    assert (record.account_number, record.amount) == ("7777777", 30000)


def test_lock_refuses_when_a_payable_became_invalid(program, offer, actor):
    offer.items = [payable(1)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    offer.items = [payable(1, branch_code="999")]
    with pytest.raises(PayablesRejected, match="確定しませんでした"):
        lock_batch(batch=batch, actor=actor)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT


def test_account_number_is_encrypted_at_rest(program, offer, actor):
    from django.db import connection

    offer.items = [payable(1, account_number="1234567")]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_number FROM payments_paymentitem WHERE batch_id = %s", [batch.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:") and "1234567" not in stored


def test_export_is_idempotent_logged_and_announced(program, offer, actor):
    # given
    offer.items = [payable(n, resident_id=None) for n in range(1, 4)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    with pytest.raises(BusinessRuleError, match="先に確定"):
        export_batch(batch=batch, actor=actor)
    lock_batch(batch=batch, actor=actor)
    received: list[dict] = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    file_exported.connect(listener)
    try:
        # when
        first = export_batch(batch=batch, actor=actor)
        second = export_batch(batch=batch, actor=actor)
    finally:
        file_exported.disconnect(listener)
    # then
    assert first.created and not second.created
    assert first.content == second.content and first.sha256 == second.sha256
    parsed = zengin.parse(first.content)
    assert parsed.trailer == zengin.Trailer(3, batch.total_amount)
    assert parsed.header.transfer_date.strftime("%m%d") == batch.transfer_date.strftime("%m%d")
    assert [int(r.customer_code1) for r in parsed.records] == list(batch.items.values_list("id", flat=True))
    assert len(received) == 2
    assert received[0]["kind"] == "zengin" and received[0]["record_count"] == 3
    assert received[0]["sha256"] == first.sha256 and received[0]["program_code"] == program.code
    assert received[0]["items"] == [f"payment_item:{i}" for i in batch.items.values_list("id", flat=True)]
    assert AccessLog.objects.filter(action="payment.export").count() == 2
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED
    from django.db import connection

    with connection.cursor() as cursor:  # kept encrypted (and rotated with the field keys)
        cursor.execute("SELECT content FROM payments_zenginfile WHERE batch_id = %s", [batch.pk])
        assert cursor.fetchone()[0].startswith("enc1:")
    assert ZenginFile.objects.get(batch=batch).sha256 == first.sha256


def test_export_records_resident_ids(program, offer, actor):
    from tests.factories import ResidentFactory

    residents = [ResidentFactory(), ResidentFactory()]
    offer.items = [payable(n, resident_id=r.pk) for n, r in enumerate(residents, start=1)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    lock_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)
    log = AccessLog.objects.get(action="payment.export")
    assert sorted(log.resident_ids) == sorted(r.pk for r in residents)
    assert log.program == program.code


def test_discard_draft_makes_payables_available_again(program, offer, actor):
    offer.items = [payable(1)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    discard_batch(batch=batch, actor=actor)
    again = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    assert again.item_count == 1
    lock_batch(batch=again, actor=actor)
    with pytest.raises(BusinessRuleError):
        discard_batch(batch=again, actor=actor)


@pytest.mark.parametrize("size", [5, 40])
def test_lock_and_export_query_counts_do_not_grow_with_the_batch(program, offer, actor, size,
                                                                 django_assert_max_num_queries):
    offer.items = [payable(n) for n in range(1, size + 1)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    with django_assert_max_num_queries(12):
        lock_batch(batch=batch, actor=actor)
    with django_assert_max_num_queries(20):
        export_batch(batch=batch, actor=actor)


def test_a_long_holder_name_is_cut_at_30_bytes_without_splitting_a_mark(program, offer, actor):
    # given a name whose 30th byte is a kana and 31st its voiced mark
    offer.items = [payable(1, holder_kana="ア" * 29 + "ガギ")]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    assert batch.items.get().holder_kana == "ｱ" * 29


def test_encrypted_payment_fields_are_covered_by_key_rotation():
    from madoguchi.core.crypto import encrypted_models

    fields = {model.__name__: names for model, names in encrypted_models()}
    assert set(fields["ZenginFile"]) == {"content"}
    assert set(fields["PaymentItem"]) == {"account_number", "corrected_account_number"}
