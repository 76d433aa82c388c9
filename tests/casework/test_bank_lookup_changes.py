"""The paper form's bank picker warns about a merged bank code as it is typed (issue 19 §6, ADR 0016)."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.payments.services.bank_changes import ChangeInput, clear_cache, save_change
from tests.casework.test_bank_lookup import URL, client_for


@pytest.fixture(autouse=True)
def _fresh_list():
    clear_cache()
    yield
    clear_cache()


def test_picker_warns_about_a_merged_code_with_its_successor(setup):
    save_change(data=ChangeInput("3647", "", "merged", dt.date(2025, 4, 1), "3636"), actor=setup.actor(setup.staff))
    page = client_for(setup.contractor).get(URL, {"bank_code": "3647", "branch_code": "001"}).content.decode()
    assert 'data-testid="bank-code-warning"' in page
    assert "3636（仙台農協）" in page and "振り込めません" in page
    other = client_for(setup.contractor).get(URL, {"bank_code": "3636", "branch_code": "001"}).content.decode()
    assert 'data-testid="bank-code-warning"' not in other
