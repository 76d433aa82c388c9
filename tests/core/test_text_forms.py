"""Names and addresses as registers and e-forms write them (issue 15 items 1, 2, 3, 7; issue 19 item 5;
issue 17 item 6): each instance of the issue, and a property per kind."""

from __future__ import annotations

import bz2
import unicodedata
from pathlib import Path

import jaconv
import kanjize
import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.data.build_kanji_variants import build, load
from madoguchi.core.text import (
    _DASHES,
    VARIANTS_FILE,
    address_key,
    household_key,
    kana_key,
    load_variants,
    name_key,
    split_address,
    within_area,
)

UNIHAN = Path("/usr/share/unicode")

# --- addresses: spaces, prefixes, ケ/ヶ/が, dashes (issue 15 item 1) ---------------------------------


@pytest.mark.parametrize("written", [
    "東京都 新宿区西新宿二丁目8番1号",  # the instance of the issue: a space between 都 and 区
    "東京都　新宿区　西新宿　二丁目　8番　1号",
    "東 京 都 新 宿 区 西 新 宿 2 丁目 8 番 1 号",
    "新宿区 西新宿2-8-1",
    "〒160-0023 東京都新宿区西新宿2-8-1",
    "西新宿2⁃8⁃1",  # U+2043 between the numbers (the instance)
    "西新宿2 - 8 - 1",
])
def test_address_with_spaces_anywhere_and_any_prefix(written: str) -> None:
    assert address_key(written) == address_key("西新宿2-8-1") == "西新宿2-8-1"


@pytest.mark.parametrize("written", ["霞が関1-3-1", "霞ヶ関1-3-1", "霞ケ関一丁目3番1号", "霞ヵ関1-3-1", "霞ｹ関1-3-1"])
def test_ke_ga_inside_place_names_are_one(written: str) -> None:
    assert address_key(written) == address_key("霞ケ関1-3-1")


@pytest.mark.parametrize(("written", "plain"), [
    ("市ヶ谷本村町1-1", "市谷本村町1-1"), ("市ケ谷田町2-3", "市谷田町2-3"), ("四ツ谷1-1", "四谷1-1"),
    ("四ッ谷一丁目1番", "四谷1-1"),
])
def test_linking_kana_written_or_not(written: str, plain: str) -> None:
    assert address_key(written) == address_key(plain)


def test_ga_between_kana_is_kept() -> None:
    # only between two kanji: a building name ending in が is not changed
    assert address_key("西新宿2-8-1 コーポさがみ") != address_key("西新宿2-8-1 コーポさけみ")


# Dash look-alikes named in the brief: U+2043, U+2010–2015, U+2212, U+30FC (after digits), U+FF0D, U+FE63 …
NAMED_DASHES = ["\u2043", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\u30fc",
                "\uff0d", "\ufe63", "\ufe58", "\u02d7", "\u2796", "\u23af", "\u2500", "\u2501", "\uff70",
                "\u2e3a", "\u2e3b", "-"]


@pytest.mark.parametrize("dash", NAMED_DASHES)
def test_every_dash_look_alike_between_numbers(dash: str) -> None:
    assert address_key(f"西新宿2{dash}8{dash}1") == "西新宿2-8-1"


def test_every_unicode_dash_punctuation_is_in_the_class() -> None:
    pd = {chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Pd"}
    assert pd <= set(_DASHES)


TOWNS = st.sampled_from(["西新宿", "百人町", "歌舞伎町", "高田馬場", "四谷", "市谷薬王寺町", "神楽坂", "霞ケ丘町"])
NUMBERS = st.lists(st.integers(min_value=1, max_value=99), min_size=3, max_size=3)
SPACE = st.sampled_from([" ", "\u3000", "  ", "\t", " \u3000"])
PREFIX = st.sampled_from(["", "東京都新宿区", "新宿区", "東京都 新宿区", "東京都　新宿区 ", "〒160-0023 東京都新宿区"])


@given(PREFIX, TOWNS, NUMBERS, st.data())
def test_spaces_anywhere_do_not_change_the_key(prefix: str, town: str, numbers: list[int], data: st.DataObject) -> None:
    # given an address / when spaces are put between any two characters that are not both digits
    written = prefix + town + f"{kanjize.number2kanji(numbers[0])}丁目{numbers[1]}番{numbers[2]}号"
    out = []
    for i, ch in enumerate(written):
        out.append(ch)
        nxt = written[i + 1] if i + 1 < len(written) else ""
        if nxt and not (ch.isdigit() and nxt.isdigit()) and data.draw(st.booleans()):
            out.append(data.draw(SPACE))
    # then the key is that of the plain form
    assert address_key("".join(out)) == address_key(town + "-".join(map(str, numbers)))


@given(st.sampled_from(["霞", "自由", "鶴", "関", "八", "桜"]), st.sampled_from(["関", "丘", "島", "原", "岳", "谷"]),
       st.sampled_from("ケヶがヵｹ"), st.sampled_from("ケヶがヵｹ"), NUMBERS)
def test_ke_ga_property(first: str, last: str, a: str, b: str, numbers: list[int]) -> None:
    tail = "-".join(map(str, numbers))
    assert address_key(first + a + last + tail) == address_key(first + b + last + tail)


@given(TOWNS, NUMBERS, st.sampled_from(sorted(set(_DASHES) | {"\u30fc", "\uff70"})), SPACE | st.just(""))
def test_any_dash_between_numbers_property(town: str, numbers: list[int], dash: str, space: str) -> None:
    written = town + (space + dash + space).join(map(str, numbers))
    assert address_key(written) == address_key(town + "-".join(map(str, numbers)))


def test_residence_check_accepts_the_prefecture_left_out() -> None:
    # issue 17 item 6: the same function as the keys, prefecture optional, spaces and width ignored
    assert within_area("新宿区新宿5-10-4", "東京都新宿区")
    assert within_area("東京都 新宿区新宿5-10-4", "東京都新宿区")
    assert within_area("東京都新宿区新宿５－１０－４", "新宿区")
    assert not within_area("東京都渋谷区神南1-1", "東京都新宿区")
    assert not within_area("渋谷区神南1-1", "東京都新宿区")
    assert within_area("どこでも", "")


# --- rooms and households (issue 19 item 5) --------------------------------------------------------

ONE_FLAT = ["西新宿二丁目8番1号304号室", "西新宿2-8-1-304", "西新宿2-8-1 ハイツ西新宿304",
            "東京都新宿区西新宿２丁目８番１号　ハイツ西新宿　３０４号室", "西新宿2-8-1 304号", "西新宿2-8-1　304"]


@pytest.mark.parametrize("written", ONE_FLAT)
def test_one_flat_one_household_key(written: str) -> None:
    assert household_key(written) == "西新宿2-8-1|304"


def test_room_in_the_katagaki_column() -> None:
    assert household_key("西新宿二丁目8番1号", "ハイツ西新宿 304号室") == household_key("西新宿2-8-1-304")


def test_other_rooms_and_other_buildings_are_other_households() -> None:
    assert household_key("西新宿2-8-1-304") != household_key("西新宿2-8-1-305")
    assert household_key("西新宿2-8-1 ハイツ A棟304号室") != household_key("西新宿2-8-1 ハイツ B棟304号室")
    assert household_key("西新宿2-8-1 ハイツ A棟 304") == household_key("西新宿二丁目8番1号 ハイツ Ａ棟304号室")
    assert household_key("西新宿2-8-1 山田方") != household_key("西新宿2-8-1 佐藤方")
    assert household_key("西新宿2-8-1") != household_key("西新宿2-8-11")


def test_split_address_keeps_three_numbers_as_the_address() -> None:
    assert split_address("西新宿2-8-1-304") == ("西新宿2-8-1", "304")
    assert split_address("百人町3-12") == ("百人町3-12", "")


BUILDINGS = st.sampled_from(["ハイツ西新宿", "コーポ百人町", "メゾン高田馬場", "グランドパレス"])


@given(TOWNS, NUMBERS, st.integers(min_value=101, max_value=1520), BUILDINGS, st.data())
def test_all_written_forms_of_one_flat_give_one_household_key(
        town: str, numbers: list[int], room: int, building: str, data: st.DataObject) -> None:
    c, b, g = numbers
    kanji = kanjize.number2kanji
    forms = [
        (f"{town}{kanji(c)}丁目{b}番{g}号{room}号室", ""),
        (f"{town}{c}-{b}-{g}-{room}", ""),
        (f"{town}{c}-{b}-{g} {building}{room}", ""),
        (f"{town}{c}丁目{b}番{g}号 {building} {room}号室", ""),
        (jaconv.h2z(f"{town}{c}-{b}-{g}-{room}", digit=True, ascii=True), ""),
        (f"東京都新宿区{town}{c}-{b}-{g}", f"{building} {room}号室"),
        (f"{town}{c}-{b}-{g}", f"{room}号室"),
    ]
    written, extra = data.draw(st.sampled_from(forms))
    assert household_key(written, extra) == address_key(f"{town}{c}-{b}-{g}") + f"|{room}"


# --- variant kanji (issue 15 item 2) ---------------------------------------------------------------


def test_qi_is_the_old_form_of_sei_not_of_sai() -> None:
    assert name_key("齊藤") == name_key("斉藤")
    assert name_key("齊藤") != name_key("斎藤")
    assert name_key("斎藤") != name_key("斉藤")  # different characters, not variants of each other


@pytest.mark.parametrize(("old", "new"), [("髙橋", "高橋"), ("山﨑", "山崎"), ("廣瀬", "広瀬"), ("櫻井", "桜井"),
                                          ("德永", "徳永"), ("惠子", "恵子"), ("瀨戸", "瀬戸"), ("眞鍋", "真鍋")])
def test_old_forms_of_the_standard_lists(old: str, new: str) -> None:
    assert name_key(old) == name_key(new)


def _unihan_fields() -> dict[str, dict[str, str]]:
    fields: dict[str, dict[str, str]] = {}
    for name in ("Unihan_OtherMappings", "Unihan_Variants", "Unihan_IRGSources"):
        for line in bz2.decompress((UNIHAN / f"{name}.txt.bz2").read_bytes()).decode().splitlines():
            if line.startswith("U+"):
                cp, field, value = line.split("\t")
                fields.setdefault(chr(int(cp[2:], 16)), {})[field] = value
    return fields


def _code_points(value: str) -> set[str]:
    return {chr(int(code.split("<")[0].split(":")[-1][2:], 16)) for code in value.split() if "U+" in code}


def test_every_table_entry_is_a_variant_pair_in_unihan() -> None:
    # given the Unicode database (Debian's unicode-data) / then each pair is recorded there as a variant
    unihan = _unihan_fields()
    rows = [line.split("\t") for line in VARIANTS_FILE.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert len(rows) > 200
    standard_fields = ("kJoyoKanji", "kJinmeiyoKanji")
    for variant, standard, field, value in rows:
        assert unihan[variant][field] == value, (variant, field)
        linked = _code_points(value)
        # the cited value links the variant to the standard form, directly or through one listed form
        through = {unicodedata.normalize("NFKC", t) for t in linked} | {
            _code_points(unihan.get(t, {}).get(f, "")).pop() for t in linked for f in standard_fields
            if "U+" in unihan.get(t, {}).get(f, "")}
        assert standard in through or unicodedata.normalize("NFKC", standard) in through, (variant, standard)
        # and the form used in keys is itself a 常用・人名用 kanji
        assert any(f in unihan.get(standard, {}) for f in standard_fields), standard


def test_the_table_is_what_the_script_builds_from_the_source() -> None:
    assert sorted(load_variants().items()) == sorted((r[0], r[1]) for r in build(load(UNIHAN)))


@given(st.sampled_from(sorted(load_variants().items())),
       st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=4))
def test_every_table_variant_folds_and_the_key_is_stable(pair: tuple[str, str], rest: str) -> None:
    variant, standard = pair
    assert name_key(variant + rest) == name_key(standard + rest)
    assert name_key(name_key(variant + rest)) == name_key(variant + rest)


def test_no_two_standard_kanji_are_merged_except_by_the_lists() -> None:
    table = load_variants()
    assert "斎" not in table and "斉" not in table and "崎" not in table and "埼" not in table


# --- IVS (issue 15 item 3) -------------------------------------------------------------------------


def test_ivs_dropped_from_keys_only() -> None:
    stored = "葛\U000E0100飾"
    assert name_key(stored) == name_key("葛飾") and address_key(stored + "1-2-3") == "葛飾1-2-3"
    assert len(stored) == 3  # the stored name keeps it


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=6),
       st.lists(st.integers(min_value=0xE0100, max_value=0xE01EF) | st.integers(min_value=0xFE00, max_value=0xFE0F),
                min_size=1, max_size=6), st.data())
def test_variation_selectors_never_change_a_key(base: str, selectors: list[int], data: st.DataObject) -> None:
    out = []
    for ch in base:
        out.append(ch)
        if selectors and data.draw(st.booleans()):
            out.append(chr(selectors.pop()))
    assert name_key("".join(out)) == name_key(base)
    assert kana_key("".join(out)) == kana_key(base)


# --- Latin names (issue 15 item 7) ---------------------------------------------------------------


@pytest.mark.parametrize("written", ["SMITH JOHN", "Smith John", "smith john", "ＳＭＩＴＨ　ＪＯＨＮ", "Ｓｍｉｔｈ Ｊｏｈｎ",
                                     "SMITH, JOHN", "Smith・John"])
def test_latin_names_case_and_width(written: str) -> None:
    assert name_key(written) == name_key("SMITH JOHN")
    assert kana_key(written) == kana_key("SMITH JOHN")


def test_latin_accents_as_registers_drop_them() -> None:
    assert name_key("José García") == name_key("JOSE GARCIA")
    assert name_key("Nguyễn Văn Anh") == name_key("NGUYEN VAN ANH")
    assert name_key("がぎぐ") == "がぎぐ"  # kana voicing marks are not accents


@given(st.lists(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8), min_size=1, max_size=3),
       st.sampled_from(["upper", "lower", "title", "wide"]))
def test_latin_name_written_any_way_has_one_key(words: list[str], how: str) -> None:
    registered = " ".join(words)
    typed = {"upper": registered, "lower": registered.lower(), "title": registered.title(),
             "wide": jaconv.h2z(registered.title(), ascii=True)}[how]
    assert name_key(typed) == name_key(registered)
