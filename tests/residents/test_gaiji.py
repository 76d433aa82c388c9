"""Vendor 外字 (issue 19 §4): detected on import, residents flagged, the ward's 外字対応表 maps them for keys;
who may keep the table.  ADR 0016."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.accounts.context import Actor
from madoguchi.audit.models import AccessLog
from madoguchi.core import gaiji
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.core.text import name_key as text_name_key
from madoguchi.residents.models import GaijiMapping, Resident
from madoguchi.residents.services.gaiji import clear_cache, save_mapping
from madoguchi.residents.services.imports import import_residents
from tests.residents.conftest import build_register, csv_bytes

IVS = "\U000E0100"


@pytest.fixture(autouse=True)
def _fresh_table():
    clear_cache()
    yield
    clear_cache()


def _actor(user) -> Actor:
    return Actor(user=user, address="127.0.0.1", channel="test")


def _import(register, *lines: str):
    return import_residents(data=csv_bytes(*lines), actor=_actor(register.users["staff"]), filename="x.csv")


ROW = "400000001,{name},タカハシ　イチロウ,1980-04-01,男,160-0023,東京都新宿区西新宿二丁目8番1号,,H1,世帯主,,"


def test_import_flags_the_resident_and_notes_the_code(db):
    register = build_register()
    result = _import(register, ROW.format(name="\ue000橋　一郎"))
    resident = Resident.objects.get(resident_no="400000001")
    assert resident.name == "\ue000橋　一郎"  # kept as written
    assert resident.gaiji == "\ue000"
    assert result.gaiji_residents == 1 and result.gaiji_unmapped == ("F040",)
    assert "F040" in result.summary()
    row = GaijiMapping.objects.get(char="\ue000")
    assert row.vendor_code == "F040" and not row.mapped and "x.csv" in row.first_seen


def test_a_corrected_name_clears_the_flag(db):
    register = build_register()
    _import(register, ROW.format(name="\ue000橋　一郎"))
    _import(register, ROW.format(name="髙橋　一郎"))
    assert not Resident.objects.get(resident_no="400000001").gaiji


def test_unmapped_gaiji_stays_in_the_key_and_does_not_match_a_standard_name(db):
    register = build_register()
    _import(register, ROW.format(name="\ue000橋　一郎"))
    assert Resident.objects.get().name_key != text_name_key("髙橋　一郎")


def test_mapping_applies_to_keys_and_recomputes_the_residents_holding_it(db):
    register = build_register()
    _import(register, ROW.format(name="\ue000橋　一郎"))
    save_mapping(code="F040", standard=f"髙{IVS}", note="戸籍の字形", actor=_actor(register.users["staff"]))
    resident = Resident.objects.get()
    # the key is core.text's key of the mapped name: 髙橋 folds to 高橋, the selector is not in the key
    assert resident.name_key == text_name_key("髙橋　一郎") == text_name_key("高橋一郎")
    assert resident.name == "\ue000橋　一郎"
    log = AccessLog.objects.filter(action="resident.change").latest("id")
    assert resident.pk in log.resident_ids and "F040" in log.target
    # and a later import of the same vendor code (another person of the household) uses the table at once
    _import(register, ROW.format(name="\ue000橋　二郎").replace("400000001", "400000002"))
    assert Resident.objects.get(resident_no="400000002").name_key == text_name_key("髙橋　二郎")


def test_mj_character_name_is_resolved_through_ipamj(db):
    register = build_register()
    row = save_mapping(code="U+E001", mj_name="MJ022335", actor=_actor(register.users["staff"]))
    assert row.standard == "葛\U000E0102" and row.mj_name == "MJ022335"


@pytest.mark.parametrize(("code", "standard", "mj_name", "fragment"), [
    ("F040", "", "", "標準の文字か MJ文字図形名"),
    ("F040", "髙橋", "", "1文字"),
    ("F040", "\ue001", "", "外字"),
    ("F040", "", "MJ999999", "見つかりません"),
    ("8140", "髙", "", "外字（私用領域）のコードではありません"),
    ("ZZZ", "髙", "", "読めません"),
    ("F07F", "髙", "", "範囲"),
])
def test_bad_mappings_are_refused_with_the_reason(db, code, standard, mj_name, fragment):
    register = build_register()
    with pytest.raises(BusinessRuleError, match=fragment):
        save_mapping(code=code, standard=standard, mj_name=mj_name, actor=_actor(register.users["staff"]))
    assert not GaijiMapping.objects.filter(standard__gt="").exists()


@pytest.mark.parametrize("who", ["contractor", "privacy", "auditor", "undeclared"])
def test_only_staff_and_administrators_keep_the_table(db, who):
    register = build_register()
    with pytest.raises(AccessRefused):
        save_mapping(code="F040", standard="髙", actor=_actor(register.users[who]))
    assert not GaijiMapping.objects.exists()


def test_administrator_may_map_without_seeing_residents(db, client):
    register = build_register()
    _import(register, ROW.format(name="\ue000橋　一郎"))
    client.force_login(register.users["administrator"])
    page = client.get("/residents/gaiji/")
    assert page.status_code == 200
    assert "F040" in page.content.decode() and "\ue000橋" not in page.content.decode()
    response = client.post("/residents/gaiji/", {"code": "F040", "standard": "髙"})
    assert response.status_code == 302
    assert GaijiMapping.objects.get(char="\ue000").standard == "髙"


def test_staff_see_the_residents_to_map_and_the_view_is_logged(db, client):
    register = build_register()
    _import(register, ROW.format(name="\ue000橋　一郎"))
    client.force_login(register.users["staff"])
    page = client.get("/residents/gaiji/").content.decode()
    assert "400000001" in page and "未登録" in page
    assert AccessLog.objects.filter(action="resident.view", target__contains="外字").exists()


@pytest.mark.parametrize("who", ["contractor", "privacy", "auditor"])
def test_others_are_refused_the_screen_and_nothing_changes(db, client, who):
    register = build_register()
    client.force_login(register.users[who])
    assert client.get("/residents/gaiji/").status_code == 403
    assert client.post("/residents/gaiji/", {"code": "F040", "standard": "髙"}).status_code == 403
    assert not GaijiMapping.objects.exists()
    assert AccessLog.objects.filter(allowed=False).exists()


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("山田髙橋一郎") + ["\ue000", "\ue001", "\uf8ff"]), max_size=8))
def test_property_mapped_keys_equal_keys_of_the_standard_text(text):
    table = {"\ue000": "髙", "\ue001": f"葛{IVS}", "\uf8ff": "𠮷"}
    mapped = gaiji.apply_mapping(text, table)
    assert not gaiji.PRIVATE_USE.search(mapped)
    assert gaiji.unmapped(text, table) == []
    standard = text.replace("\ue000", "髙").replace("\ue001", f"葛{IVS}").replace("\uf8ff", "𠮷")
    assert text_name_key(mapped) == text_name_key(standard)


def test_vendor_codes_round_trip():
    for ch in ("\ue000", "\ue757", "\ue100"):
        assert gaiji.char_for_code(gaiji.vendor_code(ch)) == ch
    assert gaiji.vendor_code("\ue000") == "F040" and gaiji.vendor_code("\ue757") == "F9FC"
    assert gaiji.vendor_code("\uf000") == "U+F000"


def test_resident_page_shows_the_gaiji_flag(db, client):
    register = build_register()
    _import(register, ROW.format(name="\ue000橋　一郎"))
    resident = Resident.objects.get()
    register.enrol(resident)
    client.force_login(register.users["staff"])
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert 'data-testid="resident-gaiji"' in page and "F040（外字対応表に未登録）" in page
    save_mapping(code="F040", standard="髙", actor=_actor(register.users["staff"]))
    assert "F040（外字対応表に登録済み）" in client.get(f"/residents/{resident.pk}/").content.decode()
