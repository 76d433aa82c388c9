"""The bank and branch master (zengin-code) and account validation."""

from __future__ import annotations

import pytest

from madoguchi.core.banking import AccountError, lookup_bank, lookup_branch, validate_account, yucho_to_zengin


def test_bank_and_branch_names_and_half_width_kana():
    bank = lookup_bank("0009")
    assert bank.name == "三井住友"
    assert bank.kana_half == "ﾐﾂｲｽﾐﾄﾓ"
    branch = lookup_branch("0009", "001")
    assert branch.name == "神保町"
    assert branch.kana_half == "ｼﾞﾝﾎﾞｳﾁﾖｳ"


def test_unknown_bank_and_branch_are_refused_in_japanese():
    with pytest.raises(AccountError) as bank_error:
        lookup_bank("0002")
    assert "金融機関コード「0002」" in bank_error.value.errors["bank_code"]
    with pytest.raises(AccountError) as branch_error:
        lookup_branch("0009", "999")
    assert "支店コード「999」は三井住友の支店一覧にありません" in branch_error.value.errors["branch_code"]
    with pytest.raises(AccountError):
        lookup_bank("12")


@pytest.mark.parametrize("number", ["123456", "12345678", "12a4567", ""])
def test_account_number_must_be_seven_digits(number):
    with pytest.raises(AccountError) as info:
        validate_account(bank_code="0009", branch_code="001", account_type="1", account_number=number,
                         holder_kana="ヤマダ タロウ")
    assert "7桁" in info.value.errors["account_number"]


def test_validate_collects_every_error():
    with pytest.raises(AccountError) as info:
        validate_account(bank_code="0009", branch_code="999", account_type="3", account_number="12",
                         holder_kana="山田")
    assert set(info.value.errors) == {"branch_code", "account_type", "account_number", "holder_kana"}
    assert "漢字" in info.value.errors["holder_kana"]


def test_valid_account_is_normalised():
    account = validate_account(bank_code="０００９", branch_code="001", account_type="1", account_number="0123456",
                               holder_kana="やまだ　たろう")
    assert account.bank.code == "0009"
    assert account.holder_kana == "ﾔﾏﾀﾞ ﾀﾛｳ"


def test_yucho_ordinary_savings():
    # given 記号 10180 番号 12345671 (通常貯金)
    account = yucho_to_zengin("10180", "12345671")
    assert (account.branch_code, account.account_type, account.account_number) == ("018", "1", "1234567")
    assert lookup_branch("9900", account.branch_code).name == "〇一八"


def test_yucho_transfer_account():
    account = yucho_to_zengin("00120", "123456")
    assert (account.branch_code, account.account_type, account.account_number) == ("019", "2", "0123456")


@pytest.mark.parametrize(("kigo", "bango"), [("20180", "12345671"), ("1018", "12345671"), ("10180", "12345678"),
                                              ("10180", "123456789")])
def test_yucho_bad_numbers_are_refused(kigo, bango):
    with pytest.raises(AccountError):
        yucho_to_zengin(kigo, bango)
