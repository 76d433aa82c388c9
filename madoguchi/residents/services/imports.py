"""Import of a registry extract (住民記録の抽出 CSV) into the resident master.

The file has a header row.  Required columns: 住民番号, 氏名, 生年月日, 住所.  Optional: 氏名カナ, 性別,
郵便番号, 方書, 世帯番号, 続柄, 住民日, 状態 (住登/転出/死亡).  UTF-8 (with or without BOM) and CP932 are
detected; dates may be ISO (2025-09-30) or 和暦 (令和7年9月30日, R7.9.30).

Every row is checked first and every bad row is reported (line, column, reason); if there is any, nothing
is written.  Otherwise all rows are written in one transaction: new 住民番号 are added, known ones
updated (an address change leaves an AddressHistory row), and one access-log row is written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.csvio import read_all_rows
from madoguchi.core.era import EraDateError, parse_date
from madoguchi.core.errors import AccessRefused, ImportRejected, RowError
from madoguchi.residents.models import ResidentStatus, match_keys
from madoguchi.residents.services.bulk import COLUMNS, UpsertResult, upsert_residents

REQUIRED = ("住民番号", "氏名", "生年月日", "住所")
OPTIONAL = ("氏名カナ", "性別", "郵便番号", "方書", "世帯番号", "続柄", "住民日", "状態")

LIMITS = {"住民番号": 20, "氏名": 100, "氏名カナ": 200, "住所": 300, "方書": 200, "世帯番号": 20, "続柄": 20}
SEXES = {"": "", "男": "男", "女": "女", "男性": "男", "女性": "女", "1": "男", "2": "女", "不明": "", "0": "", "9": ""}
STATUSES = {"": ResidentStatus.REGISTERED.value, **{s.value: s.value for s in ResidentStatus}}
_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$")
_RESIDENT_NO = re.compile(r"^[0-9A-Za-z\-]+$")


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    moved: int

    def summary(self) -> str:
        return (f"{self.rows:,}件を読み込みました（新規 {self.created:,}件、更新 {self.updated:,}件、"
                f"変更なし {self.unchanged:,}件、うち住所の変更 {self.moved:,}件）。")


def check_may_import(actor: Actor) -> None:
    """Department staff may import; so may an operator on the server (command without --as)."""
    if actor.user is None and actor.channel == "cli":
        return
    user = actor.user
    if user is None or not user.is_active or user.role != Role.DEPARTMENT_STAFF:
        raise AccessRefused("住民記録を取り込む権限がありません（担当課職員のみ取り込めます）。",
                            action=str(AuditEvent.RESIDENT_IMPORT))


def _nfkc(value: str) -> str:
    return value if value.isascii() else unicodedata.normalize("NFKC", value)


def _date(value: str, column: str, line: int, errors: list[RowError], *, required: bool,
          today: dt.date) -> dt.date | None:
    if not value:
        if required:
            errors.append(RowError(line, column, "必須の項目が空です"))
        return None
    try:
        # fast path for the ISO dates of most extracts; anything else (和暦, 2025/9/30 …) goes to parse_date
        day = dt.date.fromisoformat(value) if len(value) == 10 and value[4] == "-" and value[7] == "-" else None
    except ValueError:
        day = None
    if day is None:
        try:
            day = parse_date(value)
        except EraDateError as exc:
            errors.append(RowError(line, column, str(exc)))
            return None
    if day > today:
        errors.append(RowError(line, column, f"未来の日付です: {value}"))
        return None
    return day


def parse_row(line: int, values: dict[str, str], errors: list[RowError], *,
              today: dt.date | None = None) -> tuple[object, ...] | None:
    """One CSV row → values in the order of bulk.COLUMNS, or None (with its errors appended)."""
    before = len(errors)
    today = today or timezone.localdate()
    get = values.get
    for column in REQUIRED:
        if column != "生年月日" and not get(column, ""):
            errors.append(RowError(line, column, "必須の項目が空です"))
    for column, limit in LIMITS.items():
        if len(get(column, "")) > limit:
            errors.append(RowError(line, column, f"{limit}文字を超えています"))
    resident_no = _nfkc(get("住民番号", ""))
    if resident_no and not _RESIDENT_NO.match(resident_no):
        errors.append(RowError(line, "住民番号", f"住民番号に使えない文字があります: {resident_no}"))
    birth = _date(get("生年月日", ""), "生年月日", line, errors, required=True, today=today)
    since = _date(get("住民日", ""), "住民日", line, errors, required=False, today=today)
    sex_text = _nfkc(get("性別", "")).strip()
    if sex_text not in SEXES:
        errors.append(RowError(line, "性別", f"性別が読めません（男・女・空欄）: {sex_text}"))
    postal_text = _nfkc(get("郵便番号", "")).replace("〒", "").strip()
    postal = ""
    if postal_text:
        if m := _POSTAL.match(postal_text):
            postal = f"{m.group(1)}-{m.group(2)}"
        else:
            errors.append(RowError(line, "郵便番号", f"郵便番号は7桁の数字です（例 160-0023）: {postal_text}"))
    status_text = _nfkc(get("状態", "")).strip()
    if status_text not in STATUSES:
        errors.append(RowError(line, "状態", f"不明な状態です（住登・転出・死亡のいずれか）: {status_text}"))
    if len(errors) > before:
        return None
    name, kana, address, extra = get("氏名", ""), get("氏名カナ", ""), get("住所", ""), get("方書", "")
    keys = match_keys(name=name, name_kana=kana, address=address, address_extra=extra)
    return (resident_no, name, kana, birth, SEXES[sex_text], postal, address, extra, get("世帯番号", ""),
            get("続柄", ""), since, STATUSES[status_text],
            keys["name_key"], keys["kana_key"], keys["address_key"], keys["building_key"])


def parse_residents(data: bytes, *, progress: Callable[[int], None] | None = None,
                    every: int = 10_000) -> list[tuple[object, ...]]:
    """Check the whole file; return the rows or raise ImportRejected listing every bad row.

    ``progress(n)`` is called with the number of rows checked every ``every`` rows (and at the end)."""
    _header, rows, errors = read_all_rows(data, required=REQUIRED, optional=OPTIONAL,
                                          max_bytes=settings.IMPORT_MAX_BYTES)
    if not rows and not errors:
        raise ImportRejected([RowError(0, "", "見出しの行のほかにデータの行がありません")])
    parsed: list[tuple[object, ...]] = []
    first_line: dict[str, int] = {}
    today = timezone.localdate()
    for count, row in enumerate(rows, start=1):
        if progress is not None and count % every == 0:
            progress(count)
        values = parse_row(row.line, row.values, errors, today=today)
        resident_no = _nfkc(row.values.get("住民番号", ""))
        if resident_no:
            if resident_no in first_line:
                errors.append(RowError(row.line, "住民番号",
                                       f"住民番号 {resident_no} が {first_line[resident_no]}行目と重複しています"))
                continue
            first_line[resident_no] = row.line
        if values is not None:
            parsed.append(values)
    if progress is not None:
        progress(len(rows))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    assert all(len(v) == len(COLUMNS) for v in parsed[:1])
    return parsed


def import_residents(*, data: bytes, actor: Actor, filename: str = "") -> ImportResult:
    """Import a registry extract as a whole, or raise ImportRejected and change nothing."""
    check_may_import(actor)
    return write_residents(parse_residents(data), actor=actor, filename=filename)


def write_residents(rows: list[tuple[object, ...]], *, actor: Actor, filename: str = "") -> ImportResult:
    """Write checked rows (from parse_residents) in one transaction, with one access-log row."""
    with transaction.atomic():
        written: UpsertResult = upsert_residents(rows)
        record_access(actor=actor, action=AuditEvent.RESIDENT_IMPORT, resident_count=len(rows),
                      target=f"住民記録の取込み {filename}"[:200], purpose=actor.purpose or "住民記録の取込み")
    return ImportResult(rows=len(rows), created=written.created, updated=written.updated,
                        unchanged=written.unchanged, moved=written.moved)
