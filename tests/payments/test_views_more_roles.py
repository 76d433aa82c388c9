"""Payments screens for the roles tests/payments/test_views.py does not cover: a sub-contractor of the
paying contractor declared for inquiries only, a paying contractor whose period has ended, and an
administrator.  Each is refused the batch pages and every action, the refusal is logged, nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.payments.models import BatchStatus, PaymentBatch, PaymentItem
from madoguchi.payments.services.batches import create_batch
from madoguchi.register.models import Outsourcing
from tests.factories import DataItemFactory, OrganisationFactory, UserFactory
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


def _outsourcing(program, code: str, tasks: list[str], *, end: dt.date, parent: Outsourcing | None = None):
    org = OrganisationFactory(code=code, kind=OrganisationKind.CONTRACTOR)
    outsourcing = Outsourcing.objects.create(revision=program.revisions.get(), contractor=org, tasks=tasks,
                                             parent=parent, start_date=dt.date(2025, 1, 1), end_date=end)
    outsourcing.items.set([DataItemFactory(key=key) for key in ("name", "payment_amount")])
    return org, outsourcing


@pytest.fixture
def others(program):
    far = dt.date(2027, 12, 31)
    payer_org, payer = _outsourcing(program, "org-payer", ["payment"], end=far)
    sub_org, _ = _outsourcing(program, "org-payer-sub", ["inquiries"], end=far, parent=payer)
    ended_org, _ = _outsourcing(program, "org-ended", ["payment"], end=dt.date(2025, 12, 31))
    admin_org = OrganisationFactory(code="org-admin", kind=OrganisationKind.DEPARTMENT)
    return {
        "subcontractor": UserFactory(username="payer-sub", role=Role.SUBCONTRACTOR, organisation=sub_org),
        "expired_contractor": UserFactory(username="ended", role=Role.CONTRACTOR, organisation=ended_org),
        "administrator": UserFactory(username="admin1", role=Role.ADMINISTRATOR, organisation=admin_org),
    }


@pytest.fixture
def batch(program, offer, actor):
    offer.items = [payable(n) for n in range(1, 4)]
    return create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch


def _state():
    return (list(PaymentBatch.objects.values_list("id", "status")),
            list(PaymentItem.objects.values_list("id", "batch_id", "amount").order_by("id")))


@pytest.mark.parametrize("role", ["subcontractor", "expired_contractor", "administrator"])
def test_pages_are_refused_and_logged(role, others, batch, login_client):
    # given a draft batch and a user of a role without payment rights
    client = login_client(others[role])
    before, last = _state(), AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when the user opens the batch pages
    listing = client.get(reverse("payments:batches"))
    detail = client.get(reverse("payments:batch", args=[batch.pk]))
    # then both are refused without showing a payee, each refusal is logged, and nothing changed
    assert (listing.status_code, detail.status_code) == (403, 403)
    assert "受取人1" not in detail.content.decode()
    rows = AccessLog.objects.filter(id__gt=last, username=others[role].username)
    assert [(r.action, r.allowed) for r in rows] == [(AuditEvent.ACCESS_DENIED, False)] * 2
    assert _state() == before


@pytest.mark.parametrize("role", ["subcontractor", "expired_contractor", "administrator"])
def test_actions_are_refused_and_change_nothing(role, others, batch, offer, login_client):
    client = login_client(others[role])
    offer.items.append(payable(10))
    before = _state()
    lock = client.post(reverse("payments:batch_lock", args=[batch.pk]))
    create = client.post(reverse("payments:batch_create"), {"program": "pay-test",
                                                            "transfer_date": transfer_day().isoformat()})
    assert (lock.status_code, create.status_code) == (403, 403)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT and _state() == before
    assert AccessLog.objects.filter(username=others[role].username, allowed=False).count() == 2
