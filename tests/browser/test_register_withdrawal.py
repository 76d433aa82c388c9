"""In a browser: the department requests 廃止, the privacy office records it after a confirmation; the
contractor then has no cases to work on."""

from __future__ import annotations

import pytest

from madoguchi.register.models import Revision, RevisionStatus
from tests.casework.factories import CODE, make_setup


@pytest.mark.django_db(transaction=True)
def test_withdrawal_request_then_record_with_confirmation(page, login_as):
    setup = make_setup()
    rev = Revision.objects.get(program=setup.program, status=RevisionStatus.APPROVED)
    url = f"/register/{CODE}/r{rev.number}/"

    login_as("tanto")
    page.goto(url)
    page.fill("#id_reason", "令和8年度末で事業を終了するため")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=request-withdrawal]")
    page.wait_for_selector("[data-testid=withdrawal-requested]")

    page.context.clear_cookies()
    login_as("hogo")
    page.goto(url)
    assert page.input_value("#id_reason") == "令和8年度末で事業を終了するため"
    page.fill("#id_withdrawn_on", "令和8年11月20日")
    page.fill("#id_meeting", "令和8年度第3回")
    # dismissing the confirmation changes nothing
    page.once("dialog", lambda d: d.dismiss())
    page.click("[data-testid=record-withdrawal]")
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.APPROVED
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=record-withdrawal]")
    page.wait_for_selector("[data-testid=withdrawal]")
    assert page.inner_text("[data-testid=revision-status]") == "廃止"
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.WITHDRAWN and rev.withdrawal_meeting == "令和8年度第3回"

    page.context.clear_cookies()
    login_as("itaku")
    response = page.goto("/cases/")
    assert response is not None and response.status == 403
