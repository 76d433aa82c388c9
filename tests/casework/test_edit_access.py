"""The application edit page is a view of the case: it is logged, and it needs every item of the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.audit.models import AccessLog
from madoguchi.casework.services.editing import form_items, open_for_edit, update_application
from madoguchi.core.errors import AccessRefused
from tests.casework.factories import make_case

pytestmark = pytest.mark.django_db


def test_form_items_include_the_account():
    assert {"name", "address", "bank_account", "account_holder", "purchase"} <= form_items()


def test_opening_the_edit_form_is_logged_with_the_resident(setup):
    # given a case of the program, and the contractor who keys in applications
    case = make_case(setup.program)
    before = AccessLog.objects.count()
    # when the contractor opens the edit form
    values = open_for_edit(actor=setup.actor(setup.contractor), case=case)
    # then the values are there and the view is in the log
    assert values["name"] == "山田　太郎" and values["account_number"] == "1234567"
    row = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert row.action == "case.view" and row.target == f"case:{case.pk}" and row.allowed


@pytest.mark.parametrize("who", ["callcenter", "other_staff", "privacy", "auditor", "admin"])
def test_others_may_not_open_or_save_the_form(setup, who):
    case = make_case(setup.program)
    actor = setup.actor(getattr(setup, who))
    with pytest.raises(AccessRefused):
        open_for_edit(actor=actor, case=case)
    with pytest.raises(AccessRefused):
        update_application(actor=actor, case=case, raw={"name": "書き換え"})
    case.refresh_from_db()
    assert case.name == "山田　太郎"


def test_edit_page_over_http_is_logged_and_refused_for_the_call_center(setup, login_client):
    case = make_case(setup.program)
    response = login_client(setup.contractor).get(reverse("casework:edit", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    assert AccessLog.objects.filter(action="case.view", target=f"case:{case.pk}", username="itaku").exists()
    refused = login_client(setup.callcenter).get(reverse("casework:edit", kwargs={"pk": case.pk}))
    assert refused.status_code == 403
    assert AccessLog.objects.filter(username="callcenter", allowed=False).exists()
