"""check_handover (hand-over packages) and serialize_fields (case and payment records)."""

from __future__ import annotations

import pytest

from madoguchi.core.errors import AccessRefused
from madoguchi.register.policy import check_handover, policy_for, serialize_fields

PAYEE = {"id": 7, "bank_name": "みずほ銀行", "branch_name": "新宿支店", "account_no": "1234567",
         "holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ", "name": "山田　太郎", "amount": 20000, "internal_note": "x"}
PAYEE_MAP = {"bank_account": ("bank_name", "branch_name", "account_no"), "account_holder": ("holder_kana",),
             "name": ("name",), "payment_amount": ("amount",)}


def test_serialize_fields_leaves_undeclared_items_absent():
    # given the call center's declaration (no account items)
    data = serialize_fields(PAYEE, ["name", "payment_amount"], PAYEE_MAP)
    # then the account and holder are absent, not blanked; unmapped fields are dropped too
    assert data == {"id": 7, "name": "山田　太郎", "amount": 20000}


def test_serialize_fields_with_account_items_and_always():
    data = serialize_fields(PAYEE, ["bank_account", "account_holder"], PAYEE_MAP, always=())
    assert data == {"bank_name": "みずほ銀行", "branch_name": "新宿支店", "account_no": "1234567",
                    "holder_kana": "ﾔﾏﾀﾞ ﾀﾛｳ"}


def test_owner_may_hand_over_declared_items_on_a_declared_medium(world, actor):
    decl = check_handover(policy_for(actor("owner")), "p-owned", recipient="contractor-a", medium="cd_r",
                          items=["name", "address", "postal_code"], task="printing")
    assert decl.recipient_code == "contractor-a"
    assert decl.revision_number == 2 and decl.meeting == "令和7年度第9回"
    assert decl.items == ("name", "address", "postal_code")
    assert decl.outsourcing_id == world.outsourcings["contract"].pk


def test_contractor_may_hand_over_to_its_declared_subcontractor(world, actor):
    decl = check_handover(actor("contractor"), "p-owned", recipient="callcenter-s", medium="electronic",
                          items=["name", "resident_no"])
    assert decl.outsourcing_id == world.outsourcings["sub"].pk


@pytest.mark.parametrize("persona,recipient,medium,items,task,why", [
    ("owner", "undeclared-u", "cd_r", ["name"], None, "記載されていません"),
    ("owner", "contractor-a", "usb", ["name"], None, "USBメモリ"),
    ("owner", "contractor-a", "cd_r", ["name", "birth_date"], None, "生年月日"),
    ("owner", "contractor-a", "cd_r", ["name"], "inquiries", "問合せ対応"),
    ("owner", "expired-e", "electronic", ["name"], None, "委託期間"),
    ("owner", "draft-contractor", "electronic", ["name"], None, "記載されていません"),
    ("owner", "old-contractor", "electronic", ["name"], None, "記載されていません"),
    ("owner", "callcenter-s", "electronic", ["address"], None, "住所"),
    ("owner", "contractor-a", "cd_r", [], None, "指定されていません"),
    ("contractor", "callcenter-s", "electronic", ["bank_account"], None, "振込先口座"),
    ("contractor", "expired-e", "electronic", ["name"], None, "記載されていません"),
    ("subcontractor", "contractor-a", "electronic", ["name"], None, "記載されていません"),
    ("other_dept", "contractor-a", "cd_r", ["name"], None, "承認された登録"),
    ("privacy", "contractor-a", "cd_r", ["name"], None, "権限がありません"),
    ("withdrawn", "contractor-a", "cd_r", ["name"], None, "承認された登録"),
])
def test_undeclared_handovers_are_refused(world, actor, persona, recipient, medium, items, task, why):
    with pytest.raises(AccessRefused) as refused:
        check_handover(policy_for(actor(persona)), "p-owned", recipient=recipient, medium=medium, items=items,
                       task=task)
    assert why in refused.value.reason
    assert refused.value.program == "p-owned"


def test_a_declaration_that_hands_over_nothing_refuses_every_package(world, actor):
    o = world.outsourcings["contract"]
    o.hands_over_data = False
    o.save()
    with pytest.raises(AccessRefused) as refused:
        check_handover(actor("owner"), "p-owned", recipient="contractor-a", medium="cd_r", items=["name"])
    assert "引き渡さない" in refused.value.reason
