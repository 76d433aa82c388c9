"""Bank kana (japan-domain-facts §2): conversion, refusals, byte-safe truncation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.bankkana import (
    BASE_ALLOWED,
    BankKanaError,
    corporate_name,
    is_bank_kana,
    to_bank_kana,
    truncate,
)


@pytest.mark.parametrize(("given_name", "expected"), [
    ("やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),
    ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
    ("キュウ　ショウコ", "ｷﾕｳ ｼﾖｳｺ"),  # small kana enlarged
    ("サトー　ユーコ", "ｻﾄ- ﾕ-ｺ"),  # long vowel → '-' (0x2D), never ｰ
    ("ｻﾄｰ", "ｻﾄ-"),
    ("ジョン・スミス", "ｼﾞﾖﾝ ｽﾐｽ"),  # 中黒 → space
    ("ヴァイオリン", "ｳﾞｱｲｵﾘﾝ"),
    ("ぱぴぷぺぽ", "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"),
    ("smith　ｊｏｈｎ", "SMITH JOHN"),
    ("ヤマダ（カ", "ﾔﾏﾀﾞ(ｶ"),
    ("カ）ヤマダ．Ｃ", "ｶ)ﾔﾏﾀﾞ.C"),
    ("  ヤマダ   タロウ  ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
    ("ゎかゕ", "ﾜｶｶ"),
])
def test_converts_to_bank_kana(given_name, expected):
    # when
    result = to_bank_kana(given_name)
    # then
    assert result == expected
    assert "ｰ" not in result
    assert len(result.encode("cp932")) == len(result)


@pytest.mark.parametrize(("name", "fragment"), [
    ("山田　太郎", "漢字「山」"),
    ("ヤマダ＆タロウ", "「&」"),
    ("ヲノ", "「ヲ」"),
    ("ヱビス", "「ヱ」"),
    ("ヤマダ/タロウ", "「/」"),
    ("ヤマダ,タロウ", "「,」"),
    ("", "空"),
    ("゛ア", "濁点"),
    ("ヤマダ🙂", "使えない"),
])
def test_refuses_with_a_japanese_reason(name, fragment):
    with pytest.raises(BankKanaError) as info:
        to_bank_kana(name)
    assert fragment in info.value.reason


def test_slash_and_comma_only_when_the_bank_allows_them():
    assert to_bank_kana("ヤマダ/タロウ,ジロウ", extra="/,") == "ﾔﾏﾀﾞ/ﾀﾛｳ,ｼﾞﾛｳ"
    with pytest.raises(BankKanaError):
        to_bank_kana("ヤマダ&タロウ", extra="&")


def test_truncate_never_splits_a_kana_from_its_mark():
    # given "ﾔﾏﾀﾞ" where byte 4 is ﾞ
    assert truncate("ﾔﾏﾀﾞ ﾀﾛｳ", 3) == "ﾔﾏ"
    assert truncate("ﾔﾏﾀﾞ ﾀﾛｳ", 4) == "ﾔﾏﾀﾞ"
    assert truncate("ﾔﾏﾀﾞ ﾀﾛｳ", 5) == "ﾔﾏﾀﾞ"
    assert truncate("ﾊﾟﾊﾟ", 1) == ""
    assert truncate("ABC", 10) == "ABC"


def test_corporate_abbreviations():
    assert corporate_name("ヤマダショウジ", "株式会社") == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"
    assert corporate_name("ヤマダ", "有限会社", position="end") == "ﾔﾏﾀﾞ(ﾕ"
    assert corporate_name("ヤマダ", "医療法人", position="middle", rest="トウキヨウ") == "ﾔﾏﾀﾞ(ｲ)ﾄｳｷﾖｳ"
    with pytest.raises(BankKanaError):
        corporate_name("ヤマダ", "謎の法人")


KANA = "".join(chr(c) for c in range(0x30A1, 0x30F7)) + "ーぁあいうえおかがきぎゃゅょっ・　 ｱｶﾞﾊﾟｰ"
names = st.text(alphabet=KANA + "ABCxyz０１２3()-.", min_size=1, max_size=40)


@given(names)
def test_output_is_single_byte_allowed_and_idempotent(name):
    try:
        result = to_bank_kana(name)
    except BankKanaError:
        return  # refused (ヲ, marks without kana, only spaces …): refusing is allowed, a bad output is not
    encoded = result.encode("cp932")
    assert len(encoded) == len(result)
    assert all(ch in BASE_ALLOWED for ch in result)
    assert is_bank_kana(result)
    assert "ｦ" not in result and "ｰ" not in result
    assert to_bank_kana(result) == result


@given(names, st.integers(min_value=0, max_value=40))
def test_truncate_fits_and_never_leaves_a_dangling_mark(name, size):
    try:
        kana = to_bank_kana(name)
    except BankKanaError:
        return
    cut = truncate(kana, size)
    assert len(cut.encode("cp932")) <= size
    assert kana.startswith(cut)
    rest = kana[len(cut):]
    assert not rest.startswith(("ﾞ", "ﾟ"))
