"""The Zengin 総合振込 file: written, parsed back field by field, every record 120 bytes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.core.bankkana import BankKanaError, to_bank_kana
from madoguchi.payments import zengin

HEADER = zengin.Header(requester_code="1234567890", requester_name="ｼﾝｼﾞﾕｸｸ ｶｲｹｲｶﾝﾘｼﾔ",
                       transfer_date=dt.date(2026, 12, 4), bank_code="0009", bank_name="ﾐﾂｲｽﾐﾄﾓ",
                       branch_code="001", branch_name="ｼﾞﾝﾎﾞｳﾁﾖｳ", account_type="1", account_number="7654321")


def record(name: str = "ﾔﾏﾀﾞ ﾀﾛｳ", amount: int = 20000, code: str = "1") -> zengin.Data:
    return zengin.Data(bank_code="0001", bank_name="ﾐｽﾞﾎ", branch_code="001", branch_name="ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ",
                       account_type="1", account_number="1234567", holder_name=name, amount=amount,
                       new_code="0", customer_code1=code)


def test_layout_positions_of_every_field():
    # when
    data = zengin.write(HEADER, [record()], line_ending="crlf")
    # then
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 5
    header, body, trailer, end = lines[:4]
    assert all(len(r) == 120 for r in (header, body, trailer, end))
    assert header[0:1] == b"1" and header[1:3] == b"21" and header[3:4] == b"0"
    assert header[4:14] == b"1234567890"
    assert header[14:54] == "ｼﾝｼﾞﾕｸｸ ｶｲｹｲｶﾝﾘｼﾔ".encode("cp932").ljust(40)
    assert header[54:58] == b"1204"
    assert header[58:62] == b"0009" and header[77:80] == b"001"
    assert header[95:96] == b"1" and header[96:103] == b"7654321" and header[103:] == b" " * 17
    assert body[0:1] == b"2" and body[1:5] == b"0001" and body[20:23] == b"001"
    assert body[38:42] == b"0000" and body[42:43] == b"1" and body[43:50] == b"1234567"
    assert body[50:80] == "ﾔﾏﾀﾞ ﾀﾛｳ".encode("cp932").ljust(30)
    assert body[80:90] == b"0000020000" and body[90:91] == b"0"
    assert body[91:101] == b"0000000001" and body[101:111] == b"0000000000"
    assert body[111:112] == b"7" and body[112:113] == b" " and body[113:] == b" " * 7
    assert trailer == b"8" + b"000001" + b"000000020000" + b" " * 101
    assert end == b"9" + b" " * 119


@pytest.mark.parametrize(("ending", "size"), [("crlf", 122), ("lf", 121), ("none", 120)])
def test_line_ending_per_bank(ending, size):
    data = zengin.write(HEADER, [record(), record(code="2")], line_ending=ending)
    assert len(data) == 5 * size
    assert zengin.parse(data).trailer == zengin.Trailer(2, 40000)


def test_round_trip_field_by_field():
    records = [record("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", 1, "1"), record("ｻﾄ- ﾕ-ｺ", 9_999_999_999, "22")]
    parsed = zengin.parse(zengin.write(HEADER, records))
    assert parsed.header == zengin.Header(**{**HEADER.__dict__, "transfer_date": dt.date(2000, 12, 4)})
    for sent, back in zip(records, parsed.records, strict=True):
        assert back.holder_name == sent.holder_name
        assert back.amount == sent.amount
        assert int(back.customer_code1) == int(sent.customer_code1)
        assert (back.bank_code, back.branch_code, back.account_number) == ("0001", "001", "1234567")
    assert parsed.trailer == zengin.Trailer(2, 10_000_000_000)


@pytest.mark.parametrize("amount", [0, -1, 10_000_000_000])
def test_amount_out_of_range_is_refused(amount):
    with pytest.raises(zengin.ZenginError) as info:
        zengin.write(HEADER, [record(), record(amount=amount)])
    assert info.value.line == 3  # header is line 1, the second data record line 3
    assert "振込金額" in info.value.reason


def test_full_width_text_is_refused_not_shifted():
    with pytest.raises(zengin.ZenginError):
        zengin.write(HEADER, [record("ヤマダ")])


def test_a_long_name_is_cut_at_30_bytes_without_splitting_a_mark():
    name = "ﾀ" * 29 + "ﾀﾞ"  # 31 bytes; byte 31 is the mark of byte 30
    parsed = zengin.parse(zengin.write(HEADER, [record(name)]))
    assert parsed.records[0].holder_name == "ﾀ" * 29


def test_parser_refuses_a_broken_file():
    good = zengin.write(HEADER, [record()], line_ending="lf")
    with pytest.raises(zengin.ZenginError) as short:
        zengin.parse(good.replace(b"0000020000", b"000002000", 1))
    assert short.value.line == 2
    bad_sum = good.replace(b"8000001000000020000", b"8000001000000020001")
    with pytest.raises(zengin.ZenginError) as total:
        zengin.parse(bad_sum)
    assert "一致しません" in total.value.reason


KANA_NAMES = st.text(alphabet="アイウエオカガキギクグサザシジタダチツテトナハバパヒビピフマミムヤユヨラワンーャュョッ・　ABC",
                     min_size=1, max_size=45)


@settings(max_examples=200)
@given(st.lists(st.tuples(KANA_NAMES, st.integers(min_value=1, max_value=9_999_999_999)), min_size=1, max_size=30),
       st.sampled_from(["crlf", "lf", "none"]))
def test_round_trip_over_names_and_amounts(rows, ending):
    records = []
    for n, (name, amount) in enumerate(rows, start=1):
        try:
            kana = to_bank_kana(name)
        except BankKanaError:
            continue
        records.append(record(kana, amount, str(n)))
    if not records:
        return
    data = zengin.write(HEADER, records, line_ending=ending)
    lines = zengin.split_records(data)
    assert all(len(line) == 120 for line in lines)
    assert len(lines) == len(records) + 3
    parsed = zengin.parse(data)
    assert parsed.trailer.count == len(records)
    assert parsed.trailer.total == sum(r.amount for r in records)
    for sent, back in zip(records, parsed.records, strict=True):
        assert sent.holder_name.startswith(back.holder_name)
        assert len(back.holder_name.encode("cp932")) <= 30
        assert not sent.holder_name[len(back.holder_name):].startswith(("ﾞ", "ﾟ"))
        assert back.amount == sent.amount
