"""Merged and closed bank codes (issue 19 §6): the ward's list on top of the zengin-code master; accounts are
warned about at entry and refused at batch lock with the successor proposed.  ADR 0016."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.models import AccessLog
from madoguchi.core import bankchanges
from madoguchi.core.bankchanges import CodeChange, entry_warnings, refusal
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.payments.models import BankCodeChange, BatchStatus
from madoguchi.payments.services.bank_changes import ChangeInput, clear_cache, save_change
from madoguchi.payments.services.batches import PayablesRejected, create_batch, lock_batch
from tests.factories import OrganisationFactory, UserFactory
from tests.payments.factories import payable, transfer_day

MERGER = dt.date(2025, 4, 1)
JA = ChangeInput(bank_code="3647", branch_code="", kind="merged", effective_date=MERGER, successor_bank_code="3636",
                 note="岩沼市農協は仙台農協と合併（2025年4月1日）")


@pytest.fixture(autouse=True)
def _fresh_list():
    clear_cache()
    yield
    clear_cache()


def test_the_master_alone_still_accepts_the_merged_code():
    # the zengin-code snapshot still lists 3647 (this is why the ward's list is needed)
    from madoguchi.core.banking import lookup_bank

    assert lookup_bank("3647").name == "岩沼市農協"


@pytest.mark.django_db
def test_entry_warns_with_the_successor(actor):
    save_change(data=JA, actor=actor)
    warnings = entry_warnings("3647", "001", today=dt.date(2026, 11, 30))
    assert len(warnings) == 1
    assert "3647（岩沼市農協）" in warnings[0] and "3636（仙台農協）" in warnings[0] and "2025年4月1日" in warnings[0]
    assert "振り込めません" in warnings[0]
    assert entry_warnings("3636", "001", today=dt.date(2026, 11, 30)) == []


@pytest.mark.django_db
def test_a_change_still_to_come_is_a_warning_about_the_transfer_day(actor):
    save_change(data=ChangeInput("3647", "", "merged", dt.date(2027, 4, 1), "3636"), actor=actor)
    assert "合併します" in entry_warnings("3647", "001", today=dt.date(2026, 11, 30))[0]
    assert refusal("3647", "001", transfer_date=dt.date(2027, 3, 31)) == ""
    assert "3636" in refusal("3647", "001", transfer_date=dt.date(2027, 4, 1))


@pytest.mark.django_db
def test_lock_refuses_with_the_successor_proposed_and_nothing_changes(program, offer, actor):
    offer.items = [payable(1), payable(2, bank_code="3647", branch_code="002")]
    batch = create_batch(program=program, transfer_date=transfer_day(), actor=actor).batch
    # given the ward registers the merger after the batch was made
    save_change(data=JA, actor=actor)
    # when the batch is locked
    with pytest.raises(PayablesRejected) as caught:
        lock_batch(batch=batch, actor=actor)
    # then it is refused for the one item, naming the successor
    [problem] = caught.value.problems
    assert problem.source_ref == "case:2"
    assert "3647（岩沼市農協） は 2025年4月1日に 3636（仙台農協） へ合併しました" in problem.reason
    assert "振込先を 3636（仙台農協） の口座に訂正してください" in problem.reason
    assert "訂正してください" in problem.reason
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT
    # and once the account is corrected to the successor, the lock goes through
    offer.items = [payable(1), payable(2, bank_code="3636", branch_code="002")]
    lock_batch(batch=batch, actor=actor)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.LOCKED


@pytest.mark.django_db
def test_branch_entry_proposes_the_successor_branch_and_wins_over_the_institution(program, offer, actor):
    save_change(data=JA, actor=actor)
    save_change(data=ChangeInput("3647", "002", "merged", MERGER, "3636", "002"), actor=actor)
    assert "3636-002（仙台農協 長町）" in refusal("3647", "002", transfer_date=transfer_day())
    assert "支店コードは口座の名義人に確認" in refusal("3647", "001", transfer_date=transfer_day())


@pytest.mark.django_db
def test_closed_branch_is_refused_without_a_successor(actor):
    save_change(data=ChangeInput("0009", "999", "closed", MERGER), actor=actor)
    assert "廃止されました" in refusal("0009", "999", transfer_date=transfer_day())


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "fragment"), [
    (ChangeInput("364", "", "merged", MERGER, "3636"), None),  # 364 → 0364 is not in the master? accepted as code
    (ChangeInput("36A7", "", "merged", MERGER, "3636"), "4桁の数字"),
    (ChangeInput("3647", "", "merged", MERGER, ""), "承継先の金融機関コード"),
    (ChangeInput("3647", "", "merged", MERGER, "9998"), "承継先"),
    (ChangeInput("3647", "", "merged", MERGER, "3647"), "元のコードと同じ"),
    (ChangeInput("3647", "", "merged", MERGER, "3636", "999"), "承継先"),
])
def test_bad_entries_are_refused_with_the_reason(actor, data, fragment):
    if fragment is None:
        assert save_change(data=data, actor=actor).bank_code == "0364"
        return
    with pytest.raises(BusinessRuleError, match=fragment):
        save_change(data=data, actor=actor)
    assert not BankCodeChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CONTRACTOR, Role.SUBCONTRACTOR, Role.PRIVACY_OFFICE, Role.AUDITOR])
def test_only_staff_and_administrators_keep_the_list(role):
    user = UserFactory(username=f"u-{role}", role=role, organisation=OrganisationFactory(code=f"o-{role}"))
    with pytest.raises(AccessRefused):
        save_change(data=JA, actor=Actor(user=user, address="127.0.0.1", channel="test"))
    assert not BankCodeChange.objects.exists()


@pytest.mark.django_db
def test_each_change_is_logged(actor):
    row = save_change(data=JA, actor=actor)
    log = AccessLog.objects.filter(action="payment.bank_code_change").get()
    assert log.target == f"bank_code_change:{row.pk}" and "3647" in log.reason


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.ADMINISTRATOR])
def test_the_screen_adds_and_deletes_entries(client, role):
    user = UserFactory(username=f"u-{role}", role=role, organisation=OrganisationFactory(code=f"o-{role}"))
    client.force_login(user)
    response = client.post("/payments/bank-changes/", {
        "bank_code": "3647", "branch_code": "", "kind": "merged", "effective_date": "2025-04-01",
        "successor_bank_code": "3636", "successor_branch_code": "", "note": "農協合併"})
    assert response.status_code == 302
    page = client.get("/payments/bank-changes/").content.decode()
    assert "3647（全体）" in page and "3636（仙台農協）" in page
    row = BankCodeChange.objects.get()
    assert client.post(f"/payments/bank-changes/{row.pk}/delete/").status_code == 302
    assert not BankCodeChange.objects.exists()


@pytest.mark.django_db
def test_others_are_refused_the_screen(client):
    user = UserFactory(username="ctr", role=Role.CONTRACTOR, organisation=OrganisationFactory(code="ctr"))
    client.force_login(user)
    assert client.get("/payments/bank-changes/").status_code == 403
    assert client.post("/payments/bank-changes/", {"bank_code": "3647", "kind": "closed",
                                                   "effective_date": "2025-04-01"}).status_code == 403
    assert not BankCodeChange.objects.exists()


_CODES = st.sampled_from(["3647", "3636", "0009", "0005"])
_BRANCHES = st.sampled_from(["", "001", "002"])


@given(st.lists(st.tuples(_CODES, _BRANCHES, st.dates(dt.date(2024, 1, 1), dt.date(2028, 1, 1))), max_size=6),
       _CODES, st.sampled_from(["001", "002"]), st.dates(dt.date(2024, 1, 1), dt.date(2028, 1, 1)))
def test_property_refused_exactly_when_a_change_is_in_force(entries, bank, branch, day):
    table = {(b, br): CodeChange(b, br, "closed", eff) for b, br, eff in entries}
    bankchanges.set_provider(lambda: list(table.values()))
    try:
        in_force = [c for c in table.values() if c.bank_code == bank and c.branch_code in ("", branch)
                    and c.effective <= day]
        assert bool(refusal(bank, branch, transfer_date=day)) == bool(in_force)
    finally:
        from madoguchi.payments.services.bank_changes import changes

        bankchanges.set_provider(changes)
