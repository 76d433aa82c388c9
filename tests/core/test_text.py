"""Match keys of names, kana and addresses (madoguchi.core.text)."""

from __future__ import annotations

import jaconv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.core.text import (
    _NAME_VARIANTS,
    address_key,
    building_key,
    kana_key,
    name_key,
    split_address,
)

KATAKANA = st.text(alphabet=st.characters(min_codepoint=0x30A1, max_codepoint=0x30F4), min_size=1, max_size=12)
HIRAGANA_TEXT = st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3094), min_size=1, max_size=12)
KANJI = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8)
ANY = st.text(max_size=30)
SPACES = st.sampled_from([" ", "\u3000", "  ", " \u3000", "\t"])


# --- name_key -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "searched"), [
    ("髙橋　一郎", "高橋一郎"),
    ("山﨑 花子", "山崎花子"),
    ("齊藤", "斉藤"),
    ("中嶋", "中島"),
    ("廣瀬", "広瀬"), ("櫻井", "桜井"), ("國分", "国分"), ("眞鍋", "真鍋"), ("德永", "徳永"),
    ("惠子", "恵子"), ("槇原", "槙原"), ("龍也", "竜也"), ("冨田", "富田"),
    ("髮", "髪"), ("瀨戸", "瀬戸"), ("栁田", "柳田"),
    ("ｱﾝﾅ・ﾏﾘｱ", "アンナマリア"),
])
def test_name_key_folds_variants_width_and_spaces(written: str, searched: str) -> None:
    # given a name as the register writes it / when keyed / then it equals the plain form's key
    assert name_key(written) == name_key(searched)


def test_name_key_removes_ideographic_variation_selectors() -> None:
    assert name_key("葛\U000E0100飾") == name_key("葛飾") == "葛飾"
    assert name_key("辻\U000E0101") == "辻"


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("高橋") != name_key("高田")
    assert name_key("斎藤") != name_key("佐藤")


def test_variant_table_targets_are_not_variants_themselves() -> None:
    # then folding is one step (and so idempotent)
    assert not set(_NAME_VARIANTS.values()) & {k for k, v in _NAME_VARIANTS.items() if k != v}


@given(ANY)
def test_name_key_is_idempotent(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)


@given(KANJI, KANJI, SPACES)
def test_name_key_ignores_spaces_between_surname_and_given_name(surname: str, given_name: str, space: str) -> None:
    assert name_key(f"{surname}{space}{given_name}") == name_key(surname + given_name)


@given(KANJI, st.sampled_from(sorted(_NAME_VARIANTS)))
def test_name_key_folds_every_variant_of_the_table(rest: str, variant: str) -> None:
    assert name_key(variant + rest) == name_key(_NAME_VARIANTS[variant] + rest)


@given(st.text(alphabet="ABCXYZabc0123456789", min_size=1, max_size=10))
def test_name_key_is_width_insensitive(text: str) -> None:
    assert name_key(jaconv.h2z(text, ascii=True, digit=True)) == name_key(text)


# --- kana_key -------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう", "ヤマダタロウ", "ヤマダ・タロウ", "ﾔﾏﾀﾞ　ﾀﾛｳ"])
def test_kana_key_of_yamada_taro(written: str) -> None:
    assert kana_key(written) == "ヤマダタロウ"


@pytest.mark.parametrize(("written", "key"), [
    ("キョウコ", "キヨウコ"), ("きょうこ", "キヨウコ"), ("ｷｮｳｺ", "キヨウコ"),
    ("ハットリ", "ハツトリ"), ("ヴァイオレット", "ヴアイオレツト"),
    ("ﾒｰﾙ", "メール"), ("メ－ル", "メール"), ("メ-ル", "メール"), ("メ―ル", "メール"), ("メ〜ル", "メール"),
    ("ゑみ", "エミ"), ("ヶ", "ケ"),
])
def test_kana_key_enlarges_small_kana_and_unifies_long_vowels(written: str, key: str) -> None:
    assert kana_key(written) == key


def test_kana_key_keeps_vu() -> None:
    assert kana_key("ゔぃ") == kana_key("ヴィ") == "ヴイ"


@given(KATAKANA)
def test_kana_key_is_invariant_under_hiragana_katakana(text: str) -> None:
    assert kana_key(jaconv.kata2hira(text)) == kana_key(text)


@given(KATAKANA)
def test_kana_key_is_invariant_under_width(text: str) -> None:
    half = jaconv.z2h(text, kana=True)
    assert kana_key(half) == kana_key(text)


@given(KATAKANA, KATAKANA, SPACES)
def test_kana_key_ignores_spaces(surname: str, given_name: str, space: str) -> None:
    assert kana_key(f"{surname}{space}{given_name}") == kana_key(surname + given_name)


@given(ANY)
def test_kana_key_is_idempotent(text: str) -> None:
    assert kana_key(kana_key(text)) == kana_key(text)


@given(HIRAGANA_TEXT)
def test_kana_key_contains_no_hiragana_and_no_small_kana(text: str) -> None:
    key = kana_key(text)
    assert not any("\u3041" <= c <= "\u3096" for c in key)
    assert not set(key) & set("ァィゥェォッャュョヮヵヶ")


# --- address_key ----------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "西新宿二丁目8番1号", "西新宿2-8-1", "西新宿２丁目８−１", "西新宿2丁目8-1", "西新宿2丁目8番地1",
    "西新宿２－８－１", "西新宿2‐8‐1", "西新宿2―8―1", "西新宿2ー8ー1", "西新宿2ｰ8ｰ1", "西新宿 2-8-1",
    "西新宿二丁目八番一号", "西新宿二丁目8番地の1", "西新宿2の8の1", "西新宿2-8-1-",
    "東京都新宿区西新宿二丁目8番1号", "新宿区西新宿2-8-1", "東京都新宿区　西新宿２丁目８番１号",
])
def test_address_key_of_the_same_address(written: str) -> None:
    assert address_key(written) == "西新宿2-8-1"


@pytest.mark.parametrize(("written", "key"), [
    ("百人町三丁目十二番五号", "百人町3-12-5"),
    ("早稲田町二十番", "早稲田町20"),
    ("四谷三栄町10番地", "四谷三栄町10"),  # town names with kanji numerals stay as written
    ("市谷八幡町十二", "市谷八幡町12"),
    ("高田馬場一丁目百二十三番", "高田馬場1-123"),
    ("信濃町千番", "信濃町1000"),
])
def test_address_key_converts_kanji_numerals_of_numbers_only(written: str, key: str) -> None:
    assert address_key(written) == key


def test_address_key_with_another_municipality_prefix() -> None:
    # the prefecture is always left out; another municipality keeps its name
    assert address_key("東京都新宿区西新宿2-8-1", prefixes=()) == "新宿区西新宿2-8-1"
    assert address_key("渋谷区神南1-1", prefixes=("東京都渋谷区", "渋谷区")) == "神南1-1"


def test_split_address_separates_the_building() -> None:
    base, building = split_address("東京都新宿区西新宿二丁目8番1号　新宿ハイツ　１０１号室")
    assert base == "西新宿2-8-1"
    assert building == "新宿ハイツ101"  # 号室 after the room number is left out
    assert split_address("西新宿2-8-1新宿ハイツ101号室") == (base, building)
    assert split_address("西新宿") == ("西新宿", "")
    assert building_key(" 新宿ハイツ　１０１号室") == building


def test_address_keys_keep_different_addresses_apart() -> None:
    assert address_key("西新宿2-8-1") != address_key("西新宿2-8-11")
    assert address_key("西新宿2-8-1") != address_key("西新宿2-81")
    assert address_key("西新宿二丁目") != address_key("西新宿三丁目")


NUMBERS = st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=3)
TOWNS = st.sampled_from(["西新宿", "百人町", "歌舞伎町", "高田馬場", "四谷", "市谷薬王寺町", "神楽坂"])


def _kanji(n: int) -> str:
    import kanjize
    return str(kanjize.number2kanji(n))


@given(TOWNS, NUMBERS)
def test_address_key_same_for_every_way_of_writing_the_numbers(town: str, numbers: list[int]) -> None:
    arabic = town + "-".join(str(n) for n in numbers)
    units = ["丁目", "番", "号"][: len(numbers)] if len(numbers) == 3 else ["番", "号"][: len(numbers)]
    kanji_units = town + "".join(_kanji(n) + u for n, u in zip(numbers, units, strict=True))
    wide = jaconv.h2z(arabic, digit=True, ascii=True).replace("－", "−")
    assert address_key(arabic) == address_key(kanji_units) == address_key(wide) == address_key(" " + arabic + " ")


@given(ANY)
@settings(max_examples=300)
def test_address_key_is_idempotent(text: str) -> None:
    assert address_key(address_key(text)) == address_key(text)


@given(TOWNS, NUMBERS, st.sampled_from(["", "新宿ハイツ101号室", "コーポ西新宿 2F", "メゾン高田馬場２０３"]))
def test_split_address_base_is_a_prefix_of_the_key(town: str, numbers: list[int], building: str) -> None:
    written = town + "-".join(map(str, numbers)) + " " + building
    base, rest = split_address(written)
    assert address_key(written).startswith(base)
    assert rest == building_key(building)
