"""The Zengin 総合振込 file (JBA fixed length, japan-domain-facts §1.2): writer and parser.

Records are 120 bytes of CP932 (JIS X 0201 single-byte characters only): header ``1``, data ``2`` × n,
trailer ``8``, end ``9``.  Each field is encoded first and padded as bytes afterwards (a full-width
character would otherwise take two bytes and shift every later field); every record's length is
asserted.  The line ending after each record (CRLF, LF or none) is the receiving bank's choice.

The parser reads the same layout back field by field; it serves the tests and the import of the bank's
result file (:mod:`madoguchi.payments.services.results`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from madoguchi.core.bankkana import truncate

RECORD_BYTES = 120
LINE_ENDINGS: dict[str, bytes] = {"crlf": b"\r\n", "lf": b"\n", "none": b""}
MAX_AMOUNT = 9_999_999_999


class ZenginError(ValueError):
    """A value that cannot be written, or a file that cannot be read.  ``line`` is 1-based (0 = file)."""

    def __init__(self, reason: str, *, line: int = 0, field: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.field = field


@dataclass(frozen=True)
class Header:
    requester_code: str  # 委託者コード N10
    requester_name: str  # bank kana C40
    transfer_date: dt.date
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    kind_code: str = "21"  # 総合振込
    code_division: str = "0"  # JIS


@dataclass(frozen=True)
class Data:
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    holder_name: str  # bank kana C30
    amount: int
    new_code: str = "0"
    customer_code1: str = "0"
    customer_code2: str = "0"
    designation: str = "7"  # 振替指定区分: 7 テレ, 8 文書, or " "
    clearing_house: str = "0000"
    edi: str = " "  # 識別表示


@dataclass(frozen=True)
class Trailer:
    count: int
    total: int


@dataclass(frozen=True)
class TransferFile:
    header: Header
    records: list[Data]
    trailer: Trailer


def _n(value: int | str, width: int, field: str) -> bytes:
    text = str(value)
    if not text.isdigit() or len(text) > width:
        raise ZenginError(f"{field}は{width}桁までの数字です（「{value}」）", field=field)
    return text.zfill(width).encode("ascii")


def _c(value: str, width: int, field: str) -> bytes:
    text = truncate(value, width)
    try:
        raw = text.encode("cp932")
    except UnicodeEncodeError as exc:
        raise ZenginError(f"{field}に全銀ファイルで使えない文字があります（「{value}」）", field=field) from exc
    if len(raw) != len(text) or any(b < 0x20 or b == 0x7F or b > 0xDF or 0x80 <= b <= 0xA0 for b in raw):
        raise ZenginError(f"{field}は半角文字だけで書いてください（「{value}」）", field=field)
    return raw.ljust(width, b" ")


def _check(record: bytes, kind: str) -> bytes:
    if len(record) != RECORD_BYTES:  # a bug, never an input error: fail loudly
        raise AssertionError(f"{kind} record is {len(record)} bytes, not {RECORD_BYTES}")
    return record


def header_record(h: Header) -> bytes:
    return _check(b"".join([
        b"1", _n(h.kind_code, 2, "種別コード"), _n(h.code_division, 1, "コード区分"),
        _n(h.requester_code, 10, "振込依頼人コード"), _c(h.requester_name, 40, "振込依頼人名"),
        h.transfer_date.strftime("%m%d").encode("ascii"),
        _n(h.bank_code, 4, "仕向銀行番号"), _c(h.bank_name, 15, "仕向銀行名"),
        _n(h.branch_code, 3, "仕向支店番号"), _c(h.branch_name, 15, "仕向支店名"),
        _n(h.account_type, 1, "預金種目（依頼人）"), _n(h.account_number, 7, "口座番号（依頼人）"), b" " * 17,
    ]), "header")


def data_record(d: Data) -> bytes:
    if not 1 <= d.amount <= MAX_AMOUNT:
        raise ZenginError(f"振込金額は1円から{MAX_AMOUNT:,}円までです（{d.amount:,}円）", field="振込金額")
    designation = d.designation.encode("ascii") if d.designation == " " else _n(d.designation, 1, "振込指定区分")
    return _check(b"".join([
        b"2", _n(d.bank_code, 4, "被仕向銀行番号"), _c(d.bank_name, 15, "被仕向銀行名"),
        _n(d.branch_code, 3, "被仕向支店番号"), _c(d.branch_name, 15, "被仕向支店名"),
        _n(d.clearing_house, 4, "手形交換所番号"), _n(d.account_type, 1, "預金種目"),
        _n(d.account_number, 7, "口座番号"), _c(d.holder_name, 30, "受取人名"),
        _n(d.amount, 10, "振込金額"), _n(d.new_code, 1, "新規コード"),
        _n(d.customer_code1, 10, "顧客コード1"), _n(d.customer_code2, 10, "顧客コード2"),
        designation, _c(d.edi, 1, "識別表示"), b" " * 7,
    ]), "data")


def trailer_record(t: Trailer) -> bytes:
    return _check(b"8" + _n(t.count, 6, "合計件数") + _n(t.total, 12, "合計金額") + b" " * 101, "trailer")


def end_record() -> bytes:
    return _check(b"9" + b" " * 119, "end")


def write(header: Header, records: Sequence[Data], *, line_ending: str = "crlf") -> bytes:
    """The whole file.  Raises :class:`ZenginError` naming the record (line) of a bad value."""
    eol = LINE_ENDINGS[line_ending]
    out = [header_record(header)]
    total = 0
    for i, record in enumerate(records, start=2):
        try:
            out.append(data_record(record))
        except ZenginError as exc:
            raise ZenginError(exc.reason, line=i, field=exc.field) from exc
        total += record.amount
    out.append(trailer_record(Trailer(len(records), total)))
    out.append(end_record())
    return eol.join(out) + eol


# --- parsing -------------------------------------------------------------------------------------

def split_records(data: bytes) -> list[bytes]:
    """Split a file into 120-byte records, whatever its line ending (CRLF, LF or none); an EOF 0x1A is
    ignored.  A record of another length is a :class:`ZenginError` naming its line."""
    body = data.rstrip(b"\x1a")
    if b"\n" in body or b"\r" in body:
        lines = body.replace(b"\r\n", b"\n").split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
    else:
        lines = [body[i:i + RECORD_BYTES] for i in range(0, len(body), RECORD_BYTES)]
    for i, line in enumerate(lines, start=1):
        if len(line) != RECORD_BYTES:
            raise ZenginError(f"レコードの長さが{len(line)}バイトです（120バイトであるべきです）", line=i)
    return lines


def _text(raw: bytes) -> str:
    return raw.decode("cp932").rstrip(" ")


def _num(raw: bytes, line: int, field: str) -> int:
    text = raw.decode("ascii", errors="replace")
    if not text.isdigit():
        raise ZenginError(f"{field}が数字ではありません（「{text}」）", line=line, field=field)
    return int(text)


def parse_header(r: bytes, line: int = 1) -> Header:
    if r[:1] != b"1":
        raise ZenginError("1行目がヘッダー・レコード（データ区分 1）ではありません", line=line)
    mmdd = r[54:58].decode("ascii", errors="replace")
    try:
        date = dt.date(2000, int(mmdd[:2]), int(mmdd[2:]))  # the year is not in the file (2000: a leap year)
    except ValueError as exc:
        raise ZenginError(f"振込指定日（MMDD）が日付ではありません（「{mmdd}」）", line=line) from exc
    return Header(
        kind_code=r[1:3].decode("ascii"), code_division=r[3:4].decode("ascii"),
        requester_code=r[4:14].decode("ascii"), requester_name=_text(r[14:54]), transfer_date=date,
        bank_code=r[58:62].decode("ascii"), bank_name=_text(r[62:77]),
        branch_code=r[77:80].decode("ascii"), branch_name=_text(r[80:95]),
        account_type=r[95:96].decode("ascii"), account_number=r[96:103].decode("ascii"),
    )


def parse_data(r: bytes, line: int) -> Data:
    if r[:1] != b"2":
        raise ZenginError("データ・レコード（データ区分 2）ではありません", line=line)
    return Data(
        bank_code=r[1:5].decode("ascii"), bank_name=_text(r[5:20]),
        branch_code=r[20:23].decode("ascii"), branch_name=_text(r[23:38]),
        clearing_house=r[38:42].decode("ascii"), account_type=r[42:43].decode("ascii"),
        account_number=r[43:50].decode("ascii"), holder_name=_text(r[50:80]),
        amount=_num(r[80:90], line, "振込金額"), new_code=r[90:91].decode("ascii"),
        customer_code1=r[91:101].decode("cp932"), customer_code2=r[101:111].decode("cp932"),
        designation=r[111:112].decode("ascii"), edi=r[112:113].decode("cp932"),
    )


def parse(data: bytes) -> TransferFile:
    """Read a whole 総合振込 file back; checks record order and that the trailer matches the data."""
    lines = split_records(data)
    if len(lines) < 3:
        raise ZenginError("ヘッダー・トレーラー・エンドの各レコードがそろっていません")
    header = parse_header(lines[0])
    records: list[Data] = []
    i = 1
    while i < len(lines) and lines[i][:1] == b"2":
        records.append(parse_data(lines[i], i + 1))
        i += 1
    if i >= len(lines) or lines[i][:1] != b"8":
        raise ZenginError("トレーラー・レコード（データ区分 8）がありません", line=i + 1)
    trailer = Trailer(_num(lines[i][1:7], i + 1, "合計件数"), _num(lines[i][7:19], i + 1, "合計金額"))
    if i + 1 >= len(lines) or lines[i + 1][:1] != b"9":
        raise ZenginError("エンド・レコード（データ区分 9）がありません", line=i + 2)
    if trailer.count != len(records) or trailer.total != sum(r.amount for r in records):
        raise ZenginError("トレーラーの合計件数・合計金額がデータ・レコードと一致しません", line=i + 1)
    return TransferFile(header, records, trailer)


def iter_data(lines: Iterable[bytes]) -> Iterable[tuple[int, bytes]]:
    for i, line in enumerate(lines, start=1):
        if line[:1] == b"2":
            yield i, line
