"""Import of a registry extract (住民記録の抽出 CSV) into the resident master.

The file has a header row.  Required columns: 住民番号, 氏名, 生年月日, 住所.  Optional: 氏名カナ, 性別,
郵便番号, 方書, 世帯番号, 続柄, 住民日, 状態 (住登/転出/死亡).  UTF-8 (with or without BOM) and CP932 are
detected; dates may be in any form madoguchi.core.era reads (2025-09-30, 2025/9/30, 2025年9月30日, 令和7年9月30日,
令和七年九月三十日, R7.9.30, 5070930, with a weekday in brackets or a time of day, which is dropped).

Every row is checked first and every bad row is reported (line, column, reason); if there is any, nothing
is written.  Otherwise all rows are written in one transaction: new 住民番号 are added, known ones
updated (an address change leaves an AddressHistory row), and one access-log row is written.

Identifiers keep their declared width (madoguchi.core.idformat): a 住民番号 or 世帯番号 that lost its leading
zeros in a spreadsheet is refused, not added as another person.  A new 住民番号 whose name, birth date and
address are those of a resident already in the master (under another 住民番号) stops the import and asks:
it is written only when the caller says it was checked (``allow_same_person``; on the screen a
confirmation box, on the command ``--allow-same-person``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.csvio import read_all_rows
from madoguchi.core.era import EraDateError, parse_date
from madoguchi.core.errors import AccessRefused, ImportRejected, RowError
from madoguchi.core.idformat import (
    FORMATS,
    IdFormat,
    SheetSigns,
    check_identifier,
    declared_format,
    padded_width,
)
from madoguchi.residents.models import Resident, ResidentStatus, gaiji_of, match_keys
from madoguchi.residents.services.bulk import COLUMNS, UpsertResult, upsert_residents
from madoguchi.residents.services.gaiji import flag_imported

REQUIRED = ("住民番号", "氏名", "生年月日", "住所")
OPTIONAL = ("氏名カナ", "性別", "郵便番号", "方書", "世帯番号", "続柄", "住民日", "状態")

LIMITS = {"住民番号": 20, "氏名": 100, "氏名カナ": 200, "住所": 300, "方書": 200, "世帯番号": 20, "続柄": 20}
SEXES = {"": "", "男": "男", "女": "女", "男性": "男", "女性": "女", "1": "男", "2": "女", "不明": "", "0": "", "9": ""}
STATUSES = {"": ResidentStatus.REGISTERED.value, **{s.value: s.value for s in ResidentStatus}}
_RESIDENT_NO = re.compile(r"^[0-9A-Za-z\-]+$")
PADDED_COLUMNS = {"住民番号": "resident_no", "世帯番号": "household_no"}
SAME_PERSON = "既存の住民と同じ人"  # the start of the reason of a same-person stop (the screen looks for it)
# positions of 氏名, 氏名カナ, 住所, 方書 in a parsed row (bulk.COLUMNS)
_TEXT_AT = tuple(COLUMNS.index(c) for c in ("name", "name_kana", "address", "address_extra"))


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    moved: int
    gaiji_residents: int = 0  # residents holding vendor 外字 (flagged for the 外字対応表)
    gaiji_unmapped: tuple[str, ...] = ()  # vendor codes not yet in the table

    def summary(self) -> str:
        text = (f"{self.rows:,}件を読み込みました（新規 {self.created:,}件、更新 {self.updated:,}件、"
                f"変更なし {self.unchanged:,}件、うち住所の変更 {self.moved:,}件）。")
        if self.gaiji_residents:
            text += f"外字を含む住民 {self.gaiji_residents:,}人。"
        if self.gaiji_unmapped:
            text += f"外字対応表にない外字: {'、'.join(self.gaiji_unmapped)}。"
        return text


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
          today: dt.date, signs: SheetSigns | None = None) -> dt.date | None:
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
        if signs is not None:
            signs.see_date(column, value)
        try:
            day = parse_date(value)
        except EraDateError as exc:
            errors.append(RowError(line, column, str(exc)))
            return None
    if day > today:
        errors.append(RowError(line, column, f"未来の日付です: {value}"))
        return None
    return day


def _identifier(value: str, column: str, line: int, errors: list[RowError], formats: dict[str, IdFormat],
                signs: SheetSigns | None, *, hyphen_at: int = 0) -> str:
    fmt = formats.get(column) or FORMATS[column]
    text, reason = check_identifier(value, fmt, hyphen_at=hyphen_at)
    if reason:
        errors.append(RowError(line, column, reason))
        if signs is not None:
            signs.see_identifier(column, reason)
    return text


def parse_row(line: int, values: dict[str, str], errors: list[RowError], *,
              today: dt.date | None = None, formats: dict[str, IdFormat] | None = None,
              signs: SheetSigns | None = None) -> tuple[object, ...] | None:
    """One CSV row → values in the order of bulk.COLUMNS, or None (with its errors appended).

    ``formats`` gives the width of 住民番号 and 世帯番号 (see :func:`id_formats`); ``signs`` gathers what
    suggests a spreadsheet edit."""
    before = len(errors)
    formats = formats or {}
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
    elif resident_no:
        _identifier(resident_no, "住民番号", line, errors, formats, signs)
    if get("世帯番号", ""):
        _identifier(get("世帯番号", ""), "世帯番号", line, errors, formats, signs)
    birth = _date(get("生年月日", ""), "生年月日", line, errors, required=True, today=today, signs=signs)
    since = _date(get("住民日", ""), "住民日", line, errors, required=False, today=today, signs=signs)
    sex_text = _nfkc(get("性別", "")).strip()
    if sex_text not in SEXES:
        errors.append(RowError(line, "性別", f"性別が読めません（男・女・空欄）: {sex_text}"))
    postal_text = _nfkc(get("郵便番号", "")).replace("〒", "").strip()
    postal = ""
    if postal_text:
        digits = _identifier(postal_text, "郵便番号", line, errors, formats, signs, hyphen_at=3)
        postal = f"{digits[:3]}-{digits[3:]}"
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


def id_formats(rows: list[tuple[int, dict[str, str]]] | None = None) -> dict[str, IdFormat]:
    """The formats of 住民番号 and 世帯番号 for one import: the declared width (``MADOGUCHI_ID_WIDTHS``),
    else the width of the zero-padded numbers in the master, else in the file (madoguchi.core.idformat)."""
    formats: dict[str, IdFormat] = {}
    for column, field_name in PADDED_COLUMNS.items():
        fmt = declared_format(column)
        if not fmt.width:  # inferred: applies to digit-only numbers (a register may also hold letters)
            lengths = (Resident.objects.filter(**{f"{field_name}__startswith": "0", f"{field_name}__regex": r"^0[0-9]+$"})
                       .annotate(n=Length(field_name)).order_by().values_list("n", flat=True).distinct())
            width = max(lengths, default=0)
            if not width and rows:
                width = padded_width(_nfkc(values.get(column, "")) for _line, values in rows)
            fmt = IdFormat(column, width, digits_only=False)
        formats[column] = fmt
    return formats


def find_same_persons(parsed: list[tuple[object, ...]], lines: list[int]) -> list[RowError]:
    """Rows with a new 住民番号 whose name key, birth date and address key are those of a resident already in
    the master under another 住民番号 (one error each, naming that 住民番号)."""
    if not parsed or not Resident.objects.exists():
        return []
    numbers = [str(row[0]) for row in parsed]
    known: set[str] = set()
    for start in range(0, len(numbers), 5000):
        known.update(Resident.objects.filter(resident_no__in=numbers[start:start + 5000])
                     .values_list("resident_no", flat=True))
    new = [(line, row) for line, row in zip(lines, parsed, strict=True) if str(row[0]) not in known]
    errors: list[RowError] = []
    for start in range(0, len(new), 2000):
        chunk = new[start:start + 2000]
        existing: dict[tuple[object, ...], str] = {}
        for number, key, birth, address in Resident.objects.filter(
                name_key__in={row[12] for _line, row in chunk}).values_list(
                "resident_no", "name_key", "birth_date", "address_key"):
            existing.setdefault((key, birth, address), number)
        for line, row in chunk:
            other = existing.get((row[12], row[3], row[14]))
            if other is not None:
                errors.append(RowError(line, "住民番号", (
                    f"{SAME_PERSON}かもしれません: 氏名・生年月日・住所が住民番号 {other} と同じなのに、新しい住民番号 "
                    f"{row[0]} で登録しようとしています。住民番号の先頭の0が消えていないか確かめてください。別の人だと確かめた"
                    "ときは「確認済み」として取り込み直してください")))
    return errors


def parse_residents(data: bytes, *, progress: Callable[[int], None] | None = None,
                    every: int = 10_000, allow_same_person: bool = False,
                    signs: SheetSigns | None = None) -> list[tuple[object, ...]]:
    """Check the whole file; return the rows or raise ImportRejected listing every bad row.

    ``progress(n)`` is called with the number of rows checked every ``every`` rows (and at the end).
    A row that would add a second person identical to a resident already in the master is an error
    (:func:`find_same_persons`) unless ``allow_same_person``.  ``signs`` (when given) receives what suggests
    that the file went through a spreadsheet program, for the screen to show whatever the outcome."""
    signs = signs if signs is not None else SheetSigns()
    _header, rows, errors = read_all_rows(data, required=REQUIRED, optional=OPTIONAL, max_bytes=settings.IMPORT_MAX_BYTES,
                                          notes=signs.notes)
    if not rows and not errors:
        raise ImportRejected([RowError(0, "", "見出しの行のほかにデータの行がありません")])
    parsed: list[tuple[object, ...]] = []
    lines: list[int] = []
    first_line: dict[str, int] = {}
    today = timezone.localdate()
    formats = id_formats([(row.line, row.values) for row in rows])
    for count, row in enumerate(rows, start=1):
        if progress is not None and count % every == 0:
            progress(count)
        values = parse_row(row.line, row.values, errors, today=today, formats=formats, signs=signs)
        resident_no = _nfkc(row.values.get("住民番号", ""))
        if resident_no:
            if resident_no in first_line:
                errors.append(RowError(row.line, "住民番号",
                                       f"住民番号 {resident_no} が {first_line[resident_no]}行目と重複しています"))
                continue
            first_line[resident_no] = row.line
        if values is not None:
            parsed.append(values)
            lines.append(row.line)
    if progress is not None:
        progress(len(rows))
    if not errors and not allow_same_person:
        errors = find_same_persons(parsed, lines)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    assert all(len(v) == len(COLUMNS) for v in parsed[:1])
    return parsed


def import_residents(*, data: bytes, actor: Actor, filename: str = "", allow_same_person: bool = False,
                     signs: SheetSigns | None = None) -> ImportResult:
    """Import a registry extract as a whole, or raise ImportRejected and change nothing.

    ``allow_same_person``: the actor checked that rows identical to existing residents (name, birth date,
    address) under new 住民番号 are other people; ``signs``: see :func:`parse_residents`."""
    check_may_import(actor)
    return write_residents(parse_residents(data, allow_same_person=allow_same_person, signs=signs), actor=actor,
                           filename=filename)


def write_residents(rows: list[tuple[object, ...]], *, actor: Actor, filename: str = "") -> ImportResult:
    """Write checked rows (from parse_residents) in one transaction, with one access-log row."""
    with transaction.atomic():
        written: UpsertResult = upsert_residents(rows)
        # vendor 外字 (issue 19 §4): flag the residents holding them, note the codes for the 外字対応表
        flagged = flag_imported(((str(r[0]), gaiji_of(*(str(r[i]) for i in _TEXT_AT))) for r in rows),
                                where=f"住民記録の取込み {filename}")
        record_access(actor=actor, action=AuditEvent.RESIDENT_IMPORT, resident_count=len(rows),
                      target=f"住民記録の取込み {filename}"[:200], purpose=actor.purpose or "住民記録の取込み")
    return ImportResult(rows=len(rows), created=written.created, updated=written.updated,
                        unchanged=written.unchanged, moved=written.moved, gaiji_residents=flagged.residents,
                        gaiji_unmapped=tuple(flagged.unmapped))
