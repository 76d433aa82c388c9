"""Batch creation from the payments screen as a background job: job row, phases, result, refusals."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import BusinessRuleError
from madoguchi.payments.models import BatchJob, BatchJobStatus, PaymentBatch, PaymentItem
from madoguchi.payments.services import batch_jobs
from madoguchi.payments.services.batch_jobs import request_batch, run_batch_job
from madoguchi.payments.services.batches import NotBusinessDay, discard_batch
from madoguchi.register.models import Outsourcing
from tests.factories import DataItemFactory, OrganisationFactory, UserFactory
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


def create(client, program, **extra):
    data = {"program": program.code, "transfer_date": transfer_day().isoformat(), **extra}
    return client.post(reverse("payments:batch_create"), data)


def test_create_queues_a_job_that_runs_after_commit(program, offer, staff_user, login_client,
                                                    django_capture_on_commit_callbacks):
    # given three payables and the owner on the create screen
    offer.items = [payable(n) for n in range(1, 4)]
    client = login_client(staff_user)
    # when they press 作成する, before the transaction's callbacks run
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = create(client, program)
    job = BatchJob.objects.get()
    # then a job is queued and its page polls; no batch yet
    assert response.status_code == 302 and response["Location"] == reverse("payments:batch_job", args=[job.pk])
    assert job.status == BatchJobStatus.QUEUED and job.requested_by == staff_user and len(callbacks) == 1
    assert not PaymentBatch.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "順番を待っています" in page
    # when the task runs
    callbacks[0]()
    job.refresh_from_db()
    # then the batch exists and the page links to it, without polling any more
    batch = PaymentBatch.objects.get()
    assert job.status == BatchJobStatus.DONE and job.batch == batch
    assert (job.item_count, job.total_amount) == (3, 20001 + 20002 + 20003) and job.finished_at
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' not in page
    assert "支払バッチを作成しました（3件、60,006円）" in page
    assert reverse("payments:batch", args=[batch.pk]) in page


def test_the_job_runs_as_the_requester_and_logs_the_creation(program, offer, staff_user, login_client,
                                                             django_capture_on_commit_callbacks):
    offer.items = [payable(n) for n in range(1, 3)]
    with django_capture_on_commit_callbacks(execute=True):
        create(login_client(staff_user), program)
    batch = PaymentBatch.objects.get()
    assert batch.created_by == staff_user
    log = AccessLog.objects.get(action=AuditEvent.PAYMENT_BATCH)
    assert log.username == staff_user.username and log.target == f"payment_batch:{batch.pk}"


def test_bad_payables_reject_the_job_with_every_problem_and_create_nothing(program, offer, staff_user, login_client,
                                                                           django_capture_on_commit_callbacks):
    offer.items = [payable(1), *[payable(n, holder_kana="山田") for n in range(2, 1203)]]
    client = login_client(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client, program)
    job = BatchJob.objects.get()
    assert job.status == BatchJobStatus.REJECTED and job.problem_count == 1201 and len(job.problems) == 1201
    assert not any("受取人" in p for p in job.problems)  # references and reasons only, no payee names
    assert not PaymentBatch.objects.exists() and not PaymentItem.objects.exists()
    before = AccessLog.objects.count()
    page = client.get(response["Location"]).content.decode()
    assert "1,201件の支払に誤りがあるため、バッチを作成しませんでした" in page
    assert page.count('data-testid="payable-problem"') == 1000 and "最初の1,000件を表示しています" in page
    # the payees shown are written to the access log
    shown = AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - before]
    assert [(r.action, r.target) for r in shown] == [(AuditEvent.PAYMENT_VIEW, f"payment_job:{job.pk}")]


def test_skip_invalid_creates_the_rest_and_lists_what_was_left_out(program, offer, staff_user, login_client,
                                                                   django_capture_on_commit_callbacks):
    offer.items = [payable(1), payable(2, holder_kana="山田")]
    client = login_client(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client, program, skip_invalid="on")
    job = BatchJob.objects.get()
    assert job.status == BatchJobStatus.DONE and job.item_count == 1 and job.problem_count == 1
    page = client.get(response["Location"]).content.decode()
    assert "誤りのある1件を除きました" in page and "case:2" in page


def test_nothing_to_pay_fails_the_job_with_the_reason(program, offer, staff_user, login_client,
                                                      django_capture_on_commit_callbacks):
    client = login_client(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client, program)
    job = BatchJob.objects.get()
    assert job.status == BatchJobStatus.FAILED and "バッチに入れる支払がありません" in job.failure
    assert "バッチに入れる支払がありません" in client.get(response["Location"]).content.decode()


def test_a_holiday_is_refused_on_the_form_without_a_job(program, offer, staff_user, actor):
    day = transfer_day()
    while day.weekday() != 6:
        day += dt.timedelta(days=1)
    with pytest.raises(NotBusinessDay):
        request_batch(program=program, transfer_date=day, skip_invalid=False, actor=actor)
    assert not BatchJob.objects.exists()


def test_a_second_request_while_one_is_running_is_refused(program, offer, actor):
    offer.items = [payable(1)]
    request_batch(program=program, transfer_date=transfer_day(), skip_invalid=False, actor=actor)
    with pytest.raises(BusinessRuleError, match="作成しているところです"):
        request_batch(program=program, transfer_date=transfer_day(), skip_invalid=False, actor=actor)
    assert BatchJob.objects.count() == 1


def test_the_job_is_running_while_the_batch_is_written(program, offer, actor):
    offer.items = [payable(1), payable(2)]
    job = request_batch(program=program, transfer_date=transfer_day(), skip_invalid=False, actor=actor)
    seen: list[str] = []
    real = batch_jobs.create_batch

    def spy(**kwargs):
        seen.append(BatchJob.objects.get(pk=job.pk).status)
        return real(**kwargs)

    with mock.patch.object(batch_jobs, "create_batch", spy):
        run_batch_job(job.pk)
    job.refresh_from_db()
    assert seen == [BatchJobStatus.RUNNING] and job.status == BatchJobStatus.DONE and job.started_at
    # a finished job is not run again
    batch = job.batch
    discard_batch(batch=batch, actor=actor)
    run_batch_job(job.pk)
    assert not PaymentBatch.objects.exists()
    job.refresh_from_db()
    assert job.status == BatchJobStatus.DONE and job.batch is None


def test_an_unexpected_error_marks_the_job_failed_and_changes_nothing(program, offer, actor):
    offer.items = [payable(1), payable(2)]
    job = request_batch(program=program, transfer_date=transfer_day(), skip_invalid=False, actor=actor)
    with mock.patch("madoguchi.payments.services.batches.record_access", side_effect=RuntimeError("disk")), \
            pytest.raises(RuntimeError):
        run_batch_job(job.pk)
    job.refresh_from_db()
    assert job.status == BatchJobStatus.FAILED and "RuntimeError" in job.failure
    assert not PaymentBatch.objects.exists() and not PaymentItem.objects.exists()


def test_a_requester_who_lost_the_right_is_refused_when_the_job_runs(program, offer, staff_user, actor):
    offer.items = [payable(1)]
    job = request_batch(program=program, transfer_date=transfer_day(), skip_invalid=False, actor=actor)
    staff_user.organisation = OrganisationFactory(code="dept-moved")
    staff_user.save(update_fields=["organisation"])
    run_batch_job(job.pk)
    job.refresh_from_db()
    assert job.status == BatchJobStatus.FAILED and not PaymentBatch.objects.exists()
    assert AccessLog.objects.filter(action=AuditEvent.PAYMENT_BATCH, allowed=False,
                                    target=f"payment_job:{job.pk}").count() == 1


def _contractor(program):
    org = OrganisationFactory(code="org-payer", kind=OrganisationKind.CONTRACTOR)
    outsourcing = Outsourcing.objects.create(revision=program.revisions.get(), contractor=org, tasks=["payment"],
                                             start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 12, 31))
    outsourcing.items.set([DataItemFactory(key=key) for key in ("name", "payment_amount")])
    return UserFactory(username="payer", role=Role.CONTRACTOR, organisation=org)


@pytest.mark.parametrize("role", ["payment_contractor", "other_department", "same_department", "auditor",
                                  "privacy_office"])
def test_others_can_neither_request_nor_see_a_job(role, program, offer, staff_user, login_client,
                                                  django_capture_on_commit_callbacks):
    # given a rejected job of the owner (its page lists payees)
    offer.items = [payable(1, holder_kana="山田")]
    with django_capture_on_commit_callbacks(execute=True):
        create(login_client(staff_user), program)
    job = BatchJob.objects.get()
    user = {
        "payment_contractor": lambda: _contractor(program),
        "other_department": lambda: UserFactory(username="other", role=Role.DEPARTMENT_STAFF,
                                                organisation=OrganisationFactory(code="dept-x")),
        "same_department": lambda: UserFactory(username="colleague", role=Role.DEPARTMENT_STAFF,
                                               organisation=staff_user.organisation),
        "auditor": lambda: UserFactory(username="audit1", role=Role.AUDITOR,
                                       organisation=OrganisationFactory(code="au", kind=OrganisationKind.AUDIT)),
        "privacy_office": lambda: UserFactory(username="privacy", role=Role.PRIVACY_OFFICE,
                                              organisation=OrganisationFactory(code="po",
                                                                               kind=OrganisationKind.PRIVACY_OFFICE)),
    }[role]()
    client = login_client(user)
    before = AccessLog.objects.filter(action=AuditEvent.PAYMENT_VIEW).count()
    assert client.get(reverse("payments:batch_job", args=[job.pk])).status_code == 403
    offer.items = [payable(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = create(client, program)
    if role == "same_department":  # a colleague may create a batch of their own, not see this job
        assert response.status_code == 302 and BatchJob.objects.count() == 2
    else:
        assert response.status_code == 403 and BatchJob.objects.count() == 1 and not PaymentBatch.objects.exists()
    assert AccessLog.objects.filter(action=AuditEvent.PAYMENT_VIEW).count() == before


def test_polling_returns_only_the_job_card(program, offer, staff_user, login_client):
    offer.items = [payable(1)]
    job = request_batch(program=program, transfer_date=transfer_day(), skip_invalid=False,
                        actor=Actor(user=staff_user))
    BatchJob.objects.filter(pk=job.pk).update(status=BatchJobStatus.RUNNING)
    card = login_client(staff_user).get(reverse("payments:batch_job", args=[job.pk]),
                                        headers={"HX-Request": "true"}).content.decode()
    assert card.lstrip().startswith('<div class="card" id="batch-job"') and "<html" not in card
    assert "作成中" in card and "明細を書き込んでいます" in card and 'hx-trigger="every 2s"' in card
