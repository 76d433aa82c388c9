"""find_pairs over the written forms of issue 15: what is a ``match``, what only ``possible``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.casework.matching import Person, find_pairs
from madoguchi.core.text import name_key


@pytest.mark.parametrize(("left", "right"), [
    (("斉藤　一郎", "東京都 新宿区西新宿二丁目8番1号"), ("齊藤一郎", "西新宿2-8-1")),
    (("高橋　一郎", "霞ヶ関1-3-1"), ("髙橋 一郎", "霞ケ関一丁目3番1号")),
    (("高橋　一郎", "霞が関1-3-1"), ("髙橋 一郎", "霞ヶ関1-3-1")),
    (("田中　花子", "西新宿2⁃8⁃1"), ("田中花子", "東京都新宿区西新宿2-8-1")),
    (("SMITH JOHN", "西新宿2-8-1-304"), ("Smith John", "西新宿二丁目8番1号304号室")),
    (("ＳＭＩＴＨ　ＪＯＨＮ", "西新宿2-8-1 ハイツ西新宿304"), ("smith john", "西新宿2-8-1-304")),
    (("葛\U000E0100西　花子", "西新宿2-8-1"), ("葛西花子", "西新宿2-8-1")),
])
def test_the_same_person_written_otherwise_is_a_match(left, right):
    pairs = find_pairs([Person("L", *left)], [Person("R", *right)])
    assert [(p.left_id, p.right_id, p.verdict) for p in pairs] == [("L", "R", "match")]


def test_sai_and_sei_are_possible_never_match():
    # 斎 and 斉 are different characters: same reading, given name, birth date and address → a person decides
    left = Person("L", "斎藤　一郎", "西新宿2-8-1", name_kana="サイトウ　イチロウ", birth_date="1970-04-01")
    right = Person("R", "斉藤　一郎", "西新宿2-8-1", name_kana="サイトウ　イチロウ", birth_date="1970-04-01")
    assert name_key(left.name) != name_key(right.name)
    assert [p.verdict for p in find_pairs([left], [right])] == ["possible"]


def test_neighbours_in_other_rooms_are_not_matches():
    pairs = find_pairs([Person("L", "山田　太郎", "西新宿2-8-1-304", birth_date="1970-04-01")],
                       [Person("R", "佐藤　花子", "西新宿二丁目8番1号305号室", birth_date="1970-04-01")])
    assert pairs == []


GIVEN = ["太郎", "花子", "一郎", "二郎", "美咲", "翔太", "陽子", "健", "さくら", "大輔", "涼子", "拓也"]
SURNAMES = ["山田", "髙橋", "斉藤", "佐藤", "渡辺", "鈴木"]
ADDRESSES = [("西新宿2-8-1", "東京都新宿区西新宿二丁目8番1号"), ("霞ケ丘町3-1-4 ハイツ霞 201", "霞ヶ丘町3⁃1⁃4-201")]


@given(st.sampled_from(SURNAMES), st.lists(st.sampled_from(GIVEN), min_size=2, max_size=2, unique=True),
       st.sampled_from(ADDRESSES), st.booleans(), st.booleans())
def test_family_members_at_one_address_are_never_a_match(surname, given_names, addresses, same_birth, kana):
    # given two members of one household (another given name, maybe the same birth date: twins)
    a, b = given_names
    left = Person("L", f"{surname}　{a}", addresses[0], name_kana="ヤマダ　タロウ" if kana else "",
                  birth_date="2001-05-05")
    right = Person("R", f"{surname}{b}", addresses[1], name_kana="ヤマダ　ハナコ" if kana else "",
                   birth_date="2001-05-05" if same_birth else "1975-01-01")
    # then they may be shown as possible, never as a match
    assert all(p.verdict != "match" for p in find_pairs([left], [right]))


def test_address_without_go_finds_the_person_when_name_and_kana_differ_a_little():
    # 邊 (not in the standard tables), a kana typo, no birth date and 号 left out: still shown to a person
    pairs = find_pairs([Person("L", "渡邊 桃子", "新宿区市谷田町1ｰ10", name_kana="ワタテベモモコ")],
                       [Person("R", "渡辺　桃子", "東京都新宿区市谷田町一丁目10番19号", name_kana="ワタナベ　モモコ")])
    assert [p.verdict for p in pairs] == ["possible"]
    back = find_pairs([Person("R", "渡辺　桃子", "東京都新宿区市谷田町一丁目10番19号", name_kana="ワタナベ　モモコ")],
                      [Person("L", "渡邊 桃子", "新宿区市谷田町1ｰ10", name_kana="ワタテベモモコ")])
    assert [p.verdict for p in back] == ["possible"]
