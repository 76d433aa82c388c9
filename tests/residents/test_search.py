"""Search of the resident master (madoguchi.residents.selectors), regardless of how it is written."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.residents.models import Resident
from madoguchi.residents.selectors import (
    SearchCriteria,
    household_of,
    page_of,
    parse_query,
    search_residents,
)


def found(people: dict[str, Resident], q: str = "", birth_date: str = "", address: str = "") -> set[str]:
    parsed = parse_query(q, birth_date, address)
    assert not parsed.errors
    ids = {r.pk for r in search_residents(Resident.objects.all(), parsed.criteria)}
    return {key for key, r in people.items() if r.pk in ids}


TAKAHASHI = {"head", "spouse", "child", "outside"}


@pytest.mark.parametrize("q", ["高橋", "髙橋", "ﾀｶﾊｼ", "たかはし", "タカハシ", "ﾀｶﾊｼ", "たかはし　", " 高橋 "])
def test_name_in_kanji_or_kana_regardless_of_width_and_variants(people, q: str) -> None:
    assert found(people, q) == TAKAHASHI


@pytest.mark.parametrize(("q", "expected"), [
    ("高橋　一郎", {"head"}), ("高橋一郎", {"head"}), ("髙橋 一郎", {"head"}), ("たかはし いちろう", {"head"}),
    ("ﾀｶﾊｼ ｲﾁﾛｳ", {"head"}), ("渡邉", {"watanabe"}), ("渡邉　齋", {"watanabe"}), ("わたなべ", {"watanabe"}),
    ("𠮷田", {"yoshida"}), ("𠮷田崎子", {"yoshida"}), ("𠮷田 﨑子", {"yoshida"}), ("よしだ　さきこ", {"yoshida"}),
    ("山田", set()),
    # 邉/辺 and 𠮷/吉 are not variants in the standard tables the keys use: found by フリガナ instead
    ("渡辺", set()), ("吉田", set()),
    ("一郎", set()),  # a name is matched from its start (the surname)
])
def test_full_names(people, q: str, expected: set[str]) -> None:
    assert found(people, q) == expected


@pytest.mark.parametrize("birth", ["1975-01-02", "1975/1/2", "昭和50年1月2日", "S50.1.2", "S50.01.02", "19750102"])
def test_birth_date_iso_or_wareki(people, birth: str) -> None:
    assert found(people, birth_date=birth) == {"head", "outside"}


@pytest.mark.parametrize("address", [
    "西新宿2-8-1", "西新宿二丁目8番1号", "西新宿２丁目８−１", "東京都新宿区西新宿2丁目8-1", "新宿区 西新宿2-8-1",
    "西新宿2-8", "西新宿二丁目", "西新宿",
])
def test_address_regardless_of_form(people, address: str) -> None:
    assert found(people, address=address) == TAKAHASHI


@pytest.mark.parametrize(("address", "expected"), [
    ("西新宿2-80", set()), ("西新宿2-8-11", set()), ("百人町3-12-5", {"watanabe"}), ("百人町三丁目十二番五号", {"watanabe"}),
    ("西新宿2-8-1 新宿ハイツ", {"head", "spouse", "child"}), ("西新宿2-8-1　新宿ハイツ１０１号室", {"head", "spouse", "child"}),
    ("西新宿2-8-1 ほかのビル", set()), ("高田馬場", {"yoshida"}),
    # the room without the building name (issue 19): 号室 or a trailing -NNN
    ("西新宿2-8-1-101", {"head", "spouse", "child"}), ("西新宿二丁目8番1号101号室", {"head", "spouse", "child"}),
    ("西新宿2-8-1-102", set()), ("東京都 新宿区西新宿2⁃8⁃1", TAKAHASHI),
])
def test_address_does_not_overmatch_and_compares_the_building(people, address: str, expected: set[str]) -> None:
    assert found(people, address=address) == expected


def test_combined_criteria_must_all_match(people) -> None:
    assert found(people, "たかはし", "S50.1.2") == {"head", "outside"}
    assert found(people, "高橋", "1975-01-02", "西新宿2-8-1 新宿ハイツ") == {"head"}
    assert found(people, "高橋 S50.1.2") == {"head", "outside"}  # a date in the one box is a birth date
    assert found(people, "渡辺", address="西新宿2-8-1") == set()


def test_resident_number(people) -> None:
    assert found(people, "100000004") == {"watanabe"}


def test_no_criteria_finds_nobody(people) -> None:
    assert not search_residents(Resident.objects.all(), SearchCriteria()).exists()


def test_a_bad_birth_date_is_an_error(people) -> None:
    assert "存在しない" in parse_query(birth_date="2025-02-30").errors["birth_date"]


def test_the_queryset_given_is_never_widened(people) -> None:
    scope = Resident.objects.filter(pk=people["head"].pk)
    assert list(search_residents(scope, parse_query("高橋").criteria)) == [people["head"]]


def test_pages(people) -> None:
    qs = search_residents(Resident.objects.all(), parse_query("高橋").criteria)
    first = page_of(qs, 1, size=3)
    second = page_of(qs, 2, size=3)
    assert (len(first.residents), first.has_next, first.total) == (3, True, 4)
    assert (len(second.residents), second.has_next, second.has_previous) == (1, False, True)
    assert not set(first.residents) & set(second.residents)


def test_household_head_first(people) -> None:
    members = household_of(Resident.objects.all(), people["child"])
    assert members[0] == people["head"]
    assert set(members) == {people[k] for k in TAKAHASHI}


def test_keys_are_filled_on_save(db) -> None:
    r = Resident.objects.create(resident_no="1", name="齋藤　眞", name_kana="ｻｲﾄｳ ﾏｺﾄ", birth_date=dt.date(2000, 1, 1),
                                address="東京都新宿区四谷三丁目1番地")
    assert (r.name_key, r.kana_key, r.address_key) == ("齋藤真", "サイトウマコト", "四谷3-1")
    r.name = "斉藤　真"
    r.save(update_fields=["name"])
    r.refresh_from_db()
    assert r.name_key == "斉藤真"


def test_match_key_indexes_exist(db) -> None:
    # migration 0003 creates them outside the model state; a later table rebuild must not lose them
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Resident._meta.db_table)
    for key in ("name_key", "kana_key", "address_key"):
        assert constraints[f"resident_{key}"]["index"]
