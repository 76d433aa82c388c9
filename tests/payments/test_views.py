"""Payments screens: who may see and do what (every role), and the main pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.models import AccessLog
from madoguchi.payments.models import BatchStatus, PaymentBatch
from madoguchi.payments.services.batches import create_batch, lock_batch
from madoguchi.payments.services.export import export_batch
from madoguchi.register.models import Outsourcing
from tests.factories import DataItemFactory, OrganisationFactory, UserFactory
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


def _contractor(program, username: str, tasks: list[str], items: tuple[str, ...] = ("name", "payment_amount")):
    org = OrganisationFactory(code=f"org-{username}", kind=OrganisationKind.CONTRACTOR)
    revision = program.revisions.get()
    outsourcing = Outsourcing.objects.create(revision=revision, contractor=org, tasks=tasks,
                                             start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 12, 31))
    outsourcing.items.set([DataItemFactory(key=key) for key in items])
    return UserFactory(username=username, role=Role.CONTRACTOR, organisation=org)


@pytest.fixture
def batch(program, offer, actor):
    offer.items = [payable(n) for n in range(1, 4)]
    return create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch


@pytest.fixture
def users(program, staff_user):
    return {
        "owner": staff_user,
        "other_department": UserFactory(username="other", role=Role.DEPARTMENT_STAFF,
                                        organisation=OrganisationFactory(code="dept-x")),
        "payment_contractor": _contractor(program, "payer", ["payment"]),
        "other_contractor": _contractor(program, "printer", ["printing"]),
        "privacy_office": UserFactory(username="privacy", role=Role.PRIVACY_OFFICE,
                                      organisation=OrganisationFactory(code="po", kind=OrganisationKind.PRIVACY_OFFICE)),
        "auditor": UserFactory(username="audit1", role=Role.AUDITOR,
                               organisation=OrganisationFactory(code="au", kind=OrganisationKind.AUDIT)),
    }


VIEW = {"owner": 200, "payment_contractor": 200, "other_department": 403, "other_contractor": 403,
        "privacy_office": 403, "auditor": 403}


@pytest.mark.parametrize("role", list(VIEW))
def test_batch_list_and_detail_by_role(role, users, batch, login_client):
    client = login_client(users[role])
    assert client.get(reverse("payments:batches")).status_code == VIEW[role]
    response = client.get(reverse("payments:batch", args=[batch.pk]))
    assert response.status_code == VIEW[role]
    if VIEW[role] == 200:
        assert "受取人1" in response.content.decode()
        assert AccessLog.objects.filter(action="payment.view", username=users[role].username).exists()
    else:
        assert AccessLog.objects.filter(action="policy.denied", username=users[role].username).exists()


@pytest.mark.parametrize("role", list(VIEW))
def test_only_the_owner_may_lock(role, users, batch, login_client):
    client = login_client(users[role])
    response = client.post(reverse("payments:batch_lock", args=[batch.pk]))
    batch.refresh_from_db()
    if role == "owner":
        assert response.status_code == 302 and batch.status == BatchStatus.LOCKED
    else:
        assert response.status_code == 403 and batch.status == BatchStatus.DRAFT


@pytest.mark.parametrize("role", ["payment_contractor", "other_department", "auditor"])
def test_others_cannot_create_download_or_import(role, users, batch, actor, offer, login_client):
    lock_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)
    client = login_client(users[role])
    offer.items.append(payable(10))
    assert client.post(reverse("payments:batch_create"), {"program": "pay-test",
                                                          "transfer_date": transfer_day().isoformat()}).status_code == 403
    assert client.get(reverse("payments:download", args=[batch.pk, "zengin"])).status_code == 403
    assert client.post(reverse("payments:results", args=[batch.pk])).status_code == 403
    assert PaymentBatch.objects.count() == 1
    assert AccessLog.objects.filter(action="payment.export").count() == 1


def test_anonymous_is_sent_to_log_in(batch, client):
    response = client.get(reverse("payments:batch", args=[batch.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_on_a_holiday_shows_the_proposed_date(program, offer, staff_user, login_client):
    offer.items = [payable(1)]
    day = transfer_day()
    while day.weekday() != 6:
        day += dt.timedelta(days=1)
    response = login_client(staff_user).post(reverse("payments:batch_create"),
                                             {"program": program.code, "transfer_date": day.isoformat()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "銀行の休業日" in body and 'data-testid="proposed-date"' in body
    assert not PaymentBatch.objects.exists()


def test_create_with_bad_payables_lists_them(program, offer, staff_user, login_client,
                                             django_capture_on_commit_callbacks):
    offer.items = [payable(1), payable(2, holder_kana="山田")]
    client = login_client(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:batch_create"),
                               {"program": program.code, "transfer_date": transfer_day().isoformat()})
    body = client.get(response["Location"]).content.decode()
    assert "case:2" in body and "漢字" in body
    assert not PaymentBatch.objects.exists()


def test_downloads_after_export(batch, actor, staff_user, login_client):
    lock_batch(batch=batch, actor=actor)
    client = login_client(staff_user)
    client.post(reverse("payments:batch_export", args=[batch.pk]))
    zen = client.get(reverse("payments:download", args=[batch.pk, "zengin"]))
    assert zen.status_code == 200 and len(zen.content) == 6 * 122
    xlsx = client.get(reverse("payments:download", args=[batch.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("payments:download", args=[batch.pk, "pdf"]))
    assert pdf.content[:5] == b"%PDF-"
    assert AccessLog.objects.filter(action="payment.export").count() == 4


def test_result_upload_with_an_unknown_item_shows_the_line(batch, actor, staff_user, login_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lock_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)
    data = "顧客コード,受取人,金額,結果\n99999,ﾀﾞﾚｶ,1,済\n".encode()
    response = login_client(staff_user).post(reverse("payments:results", args=[batch.pk]),
                                             {"file": SimpleUploadedFile("r.csv", data)})
    body = response.content.decode()
    assert "2行目" in body and "このバッチにない明細" in body
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED


def test_correction_form_converts_yucho(batch, actor, staff_user, login_client):
    from madoguchi.payments.services.results import mark_result

    lock_batch(batch=batch, actor=actor)
    export_batch(batch=batch, actor=actor)
    item = batch.items.get(line_no=1)
    mark_result(item=item, paid=False, reason="口座なし", actor=actor)
    client = login_client(staff_user)
    response = client.post(reverse("payments:correct", args=[item.pk]), {
        "account_type": "1", "yucho_kigo": "10180", "yucho_bango": "12345671", "holder_kana": "やまだ たろう"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.corrected_bank_code, item.corrected_branch_code, item.corrected_account_number) == (
        "9900", "018", "1234567")
    bad = client.post(reverse("payments:correct", args=[item.pk]), {
        "bank_code": "0009", "branch_code": "999", "account_type": "1", "account_number": "12",
        "holder_kana": "山田"})
    body = bad.content.decode()
    assert "支店コード「999」" in body and "7桁" in body and "漢字" in body


def test_bank_lookup(staff_user, login_client):
    client = login_client(staff_user)
    assert "三井住友" in client.get(reverse("payments:bank_lookup"), {"bank_code": "0009"}).content.decode()
    assert "ありません" in client.get(reverse("payments:bank_lookup"), {"bank_code": "0002"}).content.decode()


def test_profile_is_set_by_the_owner_and_checked(program, staff_user, users, login_client):
    url = reverse("payments:profile", args=[program.code])
    assert login_client(users["payment_contractor"]).get(url).status_code == 403
    client = login_client(staff_user)
    bad = client.post(url, {"requester_code": "12", "requester_name": "新宿区", "bank_code": "0002",
                            "branch_code": "001", "account_type": "1", "account_number": "123",
                            "line_ending": "crlf", "designation": "7"})
    body = bad.content.decode()
    assert "10桁" in body and "漢字" in body and "0002" in body and "7桁" in body
    good = client.post(url, {"requester_code": "0000000001", "requester_name": "しんじゅくく", "bank_code": "0001",
                             "branch_code": "240", "account_type": "1", "account_number": "1111111",
                             "line_ending": "lf", "designation": "7", "extra_symbols": "/"})
    assert good.status_code == 302
    program.payment_profile.refresh_from_db()
    assert (program.payment_profile.requester_name, program.payment_profile.line_ending) == ("ｼﾝｼﾞﾕｸｸ", "lf")


@pytest.mark.parametrize("size", [3, 30])
def test_detail_page_query_count_does_not_grow(size, program, offer, actor, staff_user, login_client,
                                               django_assert_max_num_queries):
    offer.items = [payable(n) for n in range(1, size + 1)]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    client = login_client(staff_user)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("payments:batch", args=[batch.pk])).status_code == 200


def test_a_contractor_sees_only_the_declared_columns(users, batch, login_client):
    # given the payment contractor's outsourcing declares name and amount, not the account
    body = login_client(users["payment_contractor"]).get(reverse("payments:batch", args=[batch.pk])).content.decode()
    item = batch.items.get(line_no=1)
    assert item.payee_name in body and "20,001" in body
    assert item.holder_kana not in body and f"***{item.account_last4}" not in body
    owner_body = login_client(users["owner"]).get(reverse("payments:batch", args=[batch.pk])).content.decode()
    assert item.holder_kana in owner_body and f"***{item.account_last4}" in owner_body
