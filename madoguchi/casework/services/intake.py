"""Taking in applications: the e-form's CSV export (with a saved column mapping per form) and paper
applications keyed in by the contractor's operators.

The import parses every row first and writes in one transaction; any bad row refuses the whole file
(ImportRejected with line and column).  Dates are read by madoguchi.core.era (ISO, 和暦, kanji numerals,
2026年5月1日, 2026/5/1(金), e-form timestamps): a date field (申請日, 生年月日, 購入日) keeps the date of a
timestamp and drops its time; the date-time field 申請日時 (``applied_at``) keeps the time (first-come order)
and gives the 申請日 when no column is mapped to it.  口座番号 and 郵便番号 must have their 7 digits
(madoguchi.core.idformat): a number that lost its leading zeros in a spreadsheet is refused, never padded.  It is idempotent by the form's response id: the same response
again is skipped, a re-sent response with different content is flagged (ResentResponse), never
overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import (
    Case,
    CaseEvent,
    FormProfile,
    PurchaseLine,
    ResentResponse,
    Source,
    Status,
)
from madoguchi.casework.services.access import require_action
from madoguchi.core.banking import AccountError, validate_account
from madoguchi.core.bankkana import BankKanaError, to_bank_kana
from madoguchi.core.csvio import read_all_rows
from madoguchi.core.era import EraDateError, parse_date, parse_datetime
from madoguchi.core.errors import BusinessRuleError, ImportRejected, RowError
from madoguchi.core.gaiji import address_key, find_private_use, kana_key, name_key, split_address, vendor_code
from madoguchi.core.idformat import FORMATS, SheetSigns, check_identifier
from madoguchi.core.text import household_key
from madoguchi.register.models import Participation, Program
from madoguchi.register.services.scopes import require_declared_scope
from madoguchi.residents.models import Resident

MAX_LINES = 3
APPLICANT_SCOPE = "申請者"  # the person scope an application fills (ADR 0010)
# field key → label (the mapping screen shows these)
FIELDS: dict[str, str] = {
    "response_id": "回答ID（受付番号）",
    "application_date": "申請日",
    "applied_at": "申請日時",
    "postal_code": "郵便番号",
    "address": "住所",
    "name": "氏名",
    "name_kana": "氏名フリガナ",
    "birth_date": "生年月日",
    "phone": "電話番号",
    "email": "メールアドレス",
    "household_head": "世帯主氏名",
    "household_relation": "世帯主との続柄",
    "application_amount": "補助申請額",
    "bank_name": "金融機関名",
    "bank_code": "金融機関コード",
    "branch_name": "支店名",
    "branch_code": "支店コード",
    "account_type": "預金種目",
    "account_number": "口座番号",
    "account_holder": "口座名義",
    "account_holder_kana": "口座名義フリガナ",
    "attachments": "添付書類（「;」区切り）",
}
for _n in range(1, MAX_LINES + 1):
    FIELDS.update({
        f"item_{_n}": f"購入機器{_n} 品目", f"purchase_date_{_n}": f"購入機器{_n} 購入日",
        f"shop_{_n}": f"購入機器{_n} 購入店舗", f"cost_{_n}": f"購入機器{_n} 購入費用",
        f"installation_{_n}": f"購入機器{_n} 設置工事の有無", f"installation_cost_{_n}": f"購入機器{_n} 設置工事費",
    })
REQUIRED_FIELDS = ("response_id", "application_date", "address", "name", "item_1", "cost_1")
PLEDGE_PREFIX = "pledge:"
DATE_FIELDS = {"application_date", "birth_date"} | {f"purchase_date_{n}" for n in range(1, MAX_LINES + 1)}
DATETIME_FIELDS = {"applied_at"}
# what the mapping screen says about each kind of field
KIND_NOTES = {
    "date": "日付。2026-05-10、令和8年5月10日、2026/5/10(日) など。時刻が付いていても読めます（時刻は保存しません）",
    "datetime": "日時。2026-05-10 10:00、2026-05-10T10:00:00+09:00、2026/05/10 10:00:00 など。時刻も保存します"
                "（時刻がなければ 0時0分）。申請日の列がなければ、この日付を申請日にします",
}
# 申請日 may come from 申請日時 instead
REQUIRED_ALTERNATIVES = {"application_date": "applied_at"}


def field_kind(key: str) -> str:
    """"date", "datetime" or "" (the mapping screen shows KIND_NOTES for the first two)."""
    if key in DATETIME_FIELDS:
        return "datetime"
    return "date" if key in DATE_FIELDS or key.startswith("purchase_date_") else ""
MONEY_FIELDS = {"application_amount"} | {f"cost_{n}" for n in range(1, MAX_LINES + 1)} | {
    f"installation_cost_{n}" for n in range(1, MAX_LINES + 1)}
TRUE_WORDS = {"1", "true", "yes", "y", "はい", "有", "あり", "同意する", "同意します", "同意", "誓約する", "○", "◯", "✓", "済"}
ACCOUNT_TYPE_WORDS = {"普通": "1", "総合": "1", "当座": "2", "貯蓄": "4", "その他": "9", "1": "1", "2": "2", "4": "4", "9": "9"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Application:
    """One application as parsed (before it becomes a Case)."""

    values: dict[str, Any]
    purchases: list[dict[str, Any]]
    pledges: dict[str, bool]
    attachments: list[str]
    line: int = 0
    warnings: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        payload = {"v": self.values, "p": self.purchases, "g": self.pledges, "a": self.attachments}
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
                              .encode("utf-8")).hexdigest()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_money(text: str) -> int:
    raw = _nfkc(text).replace(",", "").replace("円", "").replace("¥", "").replace(" ", "")
    if not raw.isdigit():
        raise ValueError(f"金額が数字ではありません: {text}")
    return int(raw)


_PHONE = re.compile(r"0\d+(-\d+){0,2}")


def normalise_phone(text: str) -> str | None:
    """A Japanese domestic phone number as digits and single hyphens, or None when it is not one.

    Accepted: 10 digits (fixed lines, 0120) or 11 digits (mobile 070/080/090, 050, 0800), starting with 0,
    full-width digits and ``03(1234)5678`` accepted.  Anything else — letters, ``+``, ``=``, ``@`` — is
    refused, so the field can never carry a spreadsheet formula (issue: formula injection; numbering per
    the MIC telephone numbering plan).
    """
    text = _nfkc(text)
    if not re.fullmatch(r"\(?0[0-9()\s\-‐−ー]*", text):
        return None
    raw = re.sub(r"\s+", "-", text).replace("‐", "-").replace("−", "-").replace("ー", "-")
    raw = re.sub(r"[()]", "-", raw).strip("-")
    raw = re.sub(r"-{2,}", "-", raw)
    digits = raw.replace("-", "")
    if not _PHONE.fullmatch(raw) or len(digits) not in (10, 11):
        return None
    return raw


def is_true(text: str) -> bool:
    return _nfkc(text).lower() in TRUE_WORDS


@dataclass
class FieldErrors:
    line: int
    errors: list[RowError] = field(default_factory=list)

    def add(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, column, reason))


def parse_application(raw: dict[str, str], *, line: int = 0, columns: dict[str, str] | None = None,
                      required: tuple[str, ...] = REQUIRED_FIELDS) -> tuple[Application | None, list[RowError]]:
    """Parse one application given as field key → text.  ``columns`` names each field's column for errors."""
    columns = columns or {}
    errs = FieldErrors(line)

    def col(key: str) -> str:
        return columns.get(key, FIELDS.get(key, key.removeprefix(PLEDGE_PREFIX)))

    values: dict[str, Any] = {}
    for key in required:
        alternative = REQUIRED_ALTERNATIVES.get(key, "")
        if not (raw.get(key) or "").strip() and not (raw.get(alternative) or "").strip():
            errs.add(col(key) if key in columns or alternative not in columns else col(alternative),
                     "必須の項目が空です")
    for key, label in FIELDS.items():
        if key.startswith(("item_", "purchase_date_", "shop_", "cost_", "installation")) or key == "attachments":
            continue
        text = (raw.get(key) or "").strip()
        if key in DATE_FIELDS:
            if text:
                try:
                    values[key] = parse_date(text)
                except EraDateError as exc:
                    errs.add(col(key), str(exc))
            else:
                values[key] = None
        elif key in DATETIME_FIELDS:
            if text:  # only when given, so the content hash of earlier imports stays the same
                try:
                    values[key] = parse_datetime(text)
                except EraDateError as exc:
                    errs.add(col(key), str(exc))
        elif key in MONEY_FIELDS:
            try:
                values[key] = parse_money(text) if text else 0
            except ValueError as exc:
                errs.add(col(key), str(exc))
        else:
            values[key] = text
        _ = label
    # normalised forms of some fields
    if values.get("applied_at") and values.get("application_date") is None:
        values["application_date"] = values["applied_at"].date()
    if values.get("postal_code"):
        text = _nfkc(values["postal_code"]).replace("〒", "").replace("ー", "-").replace("‐", "-").strip()
        digits, reason = check_identifier(text, FORMATS["郵便番号"], hyphen_at=3)
        if reason:
            errs.add(col("postal_code"), reason)
        else:
            values["postal_code"] = f"{digits[:3]}-{digits[3:]}"
    if values.get("phone"):
        phone = normalise_phone(values["phone"])
        if phone is None:
            errs.add(col("phone"), "電話番号は 0 で始まる10桁または11桁の数字です（ハイフン可。例: 03-1234-5678）")
        else:
            values["phone"] = phone
    if values.get("email") and not _EMAIL.match(_nfkc(values["email"])):
        errs.add(col("email"), "メールアドレスの形式ではありません")
    if values.get("account_type"):
        kind = ACCOUNT_TYPE_WORDS.get(_nfkc(values["account_type"]).replace("預金", ""))
        if kind is None:
            errs.add(col("account_type"), "預金種目は 普通・当座・貯蓄 のいずれかです")
        else:
            values["account_type"] = kind
    if values.get("account_number"):
        digits, reason = check_identifier(_nfkc(values["account_number"]).replace("-", ""), FORMATS["口座番号"])
        if reason:
            errs.add(col("account_number"), reason)
        else:
            values["account_number"] = digits
    if values.get("account_holder_kana"):
        try:
            to_bank_kana(values["account_holder_kana"])
        except BankKanaError as exc:
            errs.add(col("account_holder_kana"), f"口座名義フリガナ: {exc.reason}")
    for code_field, width in (("bank_code", 4), ("branch_code", 3)):
        if values.get(code_field):
            digits = _nfkc(values[code_field])
            if not digits.isdigit() or len(digits) > width:
                errs.add(col(code_field), f"{width}桁以内の数字で入力してください")
            else:
                values[code_field] = digits.zfill(width)
    birth = values.get("birth_date")
    if isinstance(birth, dt.date) and birth > timezone.localdate():
        errs.add(col("birth_date"), "生年月日が未来の日付です")
    purchases: list[dict[str, Any]] = []
    for n in range(1, MAX_LINES + 1):
        item = (raw.get(f"item_{n}") or "").strip()
        cost_text = (raw.get(f"cost_{n}") or "").strip()
        if not item and not cost_text:
            continue
        line_values: dict[str, Any] = {"item": item, "shop": (raw.get(f"shop_{n}") or "").strip(),
                                       "installation": is_true(raw.get(f"installation_{n}") or "")}
        if not item:
            errs.add(col(f"item_{n}"), "品目が空です")
        try:
            line_values["cost"] = parse_money(cost_text) if cost_text else 0
        except ValueError as exc:
            errs.add(col(f"cost_{n}"), str(exc))
        try:
            inst = (raw.get(f"installation_cost_{n}") or "").strip()
            line_values["installation_cost"] = parse_money(inst) if inst else 0
        except ValueError as exc:
            errs.add(col(f"installation_cost_{n}"), str(exc))
        date_text = (raw.get(f"purchase_date_{n}") or "").strip()
        line_values["purchase_date"] = None
        if date_text:
            try:
                line_values["purchase_date"] = parse_date(date_text)
            except EraDateError as exc:
                errs.add(col(f"purchase_date_{n}"), str(exc))
        purchases.append(line_values)
    pledges = {k.removeprefix(PLEDGE_PREFIX): is_true(v) for k, v in raw.items() if k.startswith(PLEDGE_PREFIX)}
    attachments = [a.strip() for a in re.split(r"[;；、,]", raw.get("attachments") or "") if a.strip()]
    if errs.errors:
        return None, errs.errors
    return Application(values, purchases, pledges, attachments, line=line), []


def read_form_csv(data: bytes, profile: FormProfile, *, signs: SheetSigns | None = None) -> list[Application]:
    """Parse a whole export with a profile; refuse on any bad column or row.  ``signs`` (when given)
    receives what suggests the file went through a spreadsheet program (madoguchi.core.idformat)."""
    signs = signs if signs is not None else SheetSigns()
    mapping: dict[str, str] = {_norm_header(h): f for h, f in (profile.mapping or {}).items()}
    mapped_fields = {f for f in mapping.values() if f}
    missing_required = [f for f in REQUIRED_FIELDS if f not in mapped_fields
                        and REQUIRED_ALTERNATIVES.get(f) not in mapped_fields]
    if missing_required:
        raise ImportRejected([RowError(0, FIELDS[f], "取込設定でこの項目に列が割り当てられていません")
                              for f in missing_required])
    header, rows, errors = read_all_rows(data, required=[], allow_unknown=True, notes=signs.notes)
    for name in mapping:
        if name not in header:
            errors.append(RowError(1, name, "取込設定にある列がファイルにありません"))
    for name in header:
        if name and name not in mapping:
            errors.append(RowError(1, name, "取込設定にない列です（フォームの項目が変わった場合は取込設定を更新してください）"))
    if errors:
        raise ImportRejected(errors)
    columns = {f: h for h, f in mapping.items() if f}
    apps: list[Application] = []
    seen: dict[str, int] = {}
    for row in rows:
        raw = {f: row.values.get(h, "") for h, f in mapping.items() if f}
        app, row_errors = parse_application(raw, line=row.line, columns=columns)
        errors.extend(row_errors)
        for error in row_errors:
            signs.see_identifier(error.column, error.reason)
        for key, text in raw.items():
            if field_kind(key):
                signs.see_date(columns.get(key, key), text)
        if app is not None:
            rid = app.values["response_id"]
            if rid in seen:
                errors.append(RowError(row.line, columns["response_id"], f"回答IDが{seen[rid]}行目と重複しています"))
            seen[rid] = row.line
            apps.append(app)
    if errors:
        raise ImportRejected(errors)
    return apps


def _norm_header(name: str) -> str:
    from madoguchi.core.csvio import normalise_header

    return normalise_header(name)


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    unchanged: int = 0
    flagged: list[int] = field(default_factory=list)
    gaiji_unmapped: list[str] = field(default_factory=list)  # vendor 外字 codes not in the 外字対応表


GAIJI_FIELDS = ("name", "name_kana", "address", "address_extra", "account_holder")


def _next_number(program: Program) -> int:
    last = Case.objects.filter(program=program).aggregate(m=Max("number"))["m"]
    return int(last) + 1 if last and str(last).isdigit() else Case.objects.filter(program=program).count() + 1


def link_resident(case: Case) -> Resident | None:
    """The resident the applicant is (same name key and birth date, or name key and address key)."""
    qs = Resident.objects.filter(name_key=case.name_key)
    if case.birth_date:
        found = list(qs.filter(birth_date=case.birth_date)[:2])
    else:
        found = list(qs.filter(address_key=split_address(case.address)[0])[:2])
    return found[0] if len(found) == 1 else None


def build_case(program: Program, app: Application, *, number: int, source: str, actor: Actor,
               received_on: dt.date) -> Case:
    v = app.values
    case = Case(program=program, number=f"{number:06d}", source=source, response_id=v.get("response_id") or "",
                content_hash=app.content_hash(), status=Status.RECEIVED, status_changed_at=timezone.now(),
                received_on=received_on, created_by=actor.username, pledges=app.pledges,
                attachments=app.attachments,
                **{k: v[k] for k in FIELDS if k in v and k != "response_id" and hasattr(Case, k)})
    case.name_key = name_key(case.name)
    case.kana_key = kana_key(case.name_kana) if case.name_kana else ""
    case.address_key = address_key(case.address)
    case.household_key = "addr:" + household_key(case.address)
    case.account_problem = account_problem(case)
    return case


def account_problem(case: Case) -> str:
    """Why the account cannot be paid to ("" when it can)."""
    if not (case.bank_code and case.branch_code and case.account_number and case.account_holder_kana):
        return "振込先口座の記入が不足しています" if (case.bank_name or case.account_number) else "振込先口座の記入がありません"
    try:
        validate_account(bank_code=case.bank_code, branch_code=case.branch_code,
                         account_type=case.account_type or "1", account_number=case.account_number,
                         holder_kana=case.account_holder_kana)
    except AccountError as exc:
        return "、".join(exc.errors.values())
    return ""


def save_case(case: Case, app: Application, *, actor: Actor, note: str) -> Case:
    resident = link_resident(case)
    if resident is not None:
        case.resident = resident
        if resident.household_no:
            case.household_key = f"hh:{resident.household_no}"
    case.save()
    PurchaseLine.objects.bulk_create([PurchaseLine(case=case, **line) for line in app.purchases])
    CaseEvent.objects.create(case=case, at=case.status_changed_at, on=case.received_on, actor=actor.username,
                             organisation=actor.organisation_code, to_status=Status.RECEIVED, note=note)
    if resident is not None:
        Participation.objects.get_or_create(program=case.program, resident=resident, defaults={"role": "申請者"})
    return case


def import_form_csv(*, actor: Actor, program: Program, profile: FormProfile, data: bytes,
                    received_on: dt.date | None = None, signs: SheetSigns | None = None) -> ImportResult:
    """Import an e-form export; returns what was created, skipped and flagged.  ``signs``: see read_form_csv.

    Raises :class:`AccessRefused` unless the actor may take in applications and the revision in force
    declares applicants (a person scope containing 「申請者」, ADR 0010)."""
    require_action(actor, program.code, "intake")
    require_declared_scope(program, APPLICANT_SCOPE)
    if profile.program_id != program.pk:
        raise BusinessRuleError("この取込設定は別の事業のものです。")
    apps = read_form_csv(data, profile, signs=signs)
    day = received_on or timezone.localdate()
    result = ImportResult()
    with transaction.atomic():
        existing = {c.response_id: c for c in Case.objects.filter(
            program=program, response_id__in=[a.values["response_id"] for a in apps])}
        number = _next_number(program)
        for app in apps:
            rid = app.values["response_id"]
            old = existing.get(rid)
            digest = app.content_hash()
            if old is not None:
                if old.content_hash == digest or old.resent.filter(content_hash=digest).exists():
                    result.unchanged += 1
                    continue
                new_case = build_case(program, app, number=0, source=Source.EFORM, actor=actor, received_on=day)
                diffs = [FIELDS.get(k, k) for k in FIELDS if hasattr(Case, k)
                         and getattr(old, k, None) != getattr(new_case, k, None) and k != "response_id"]
                ResentResponse.objects.create(case=old, received_at=timezone.now(), content_hash=digest,
                                              payload=json.loads(json.dumps(
                                                  {"values": app.values, "purchases": app.purchases,
                                                   "pledges": app.pledges}, default=str)),
                                              differences=diffs or ["購入機器・誓約など"])
                result.flagged.append(old.pk)
                continue
            case = build_case(program, app, number=number, source=Source.EFORM, actor=actor, received_on=day)
            number += 1
            save_case(case, app, actor=actor, note=f"電子申請を取込（{profile.name}、{app.line}行目）")
            result.created.append(case.pk)
        from madoguchi.casework.services.duplicates import check_cases
        from madoguchi.residents.services.gaiji import note_gaiji

        check_cases(Case.objects.filter(pk__in=result.created), actor=actor, log=False)
        # vendor 外字 in the applications (issue 19 §4): noted for the 外字対応表, named in the result
        seen = find_private_use("".join(str(a.values.get(k) or "") for a in apps for k in GAIJI_FIELDS))
        result.gaiji_unmapped = [vendor_code(ch) for ch in note_gaiji(seen, where=f"電子申請の取込 {profile.name}")]
        residents = list(Case.objects.filter(pk__in=result.created + result.flagged, resident__isnull=False)
                         .values_list("resident_id", flat=True))
        record_access(actor=actor, action=AuditEvent.CASE_IMPORT, target=f"form_profile:{profile.pk}",
                      residents=residents, program=program.code,
                      purpose=f"電子申請の取込 新規{len(result.created)}件・変更なし{result.unchanged}件・"
                              f"再送{len(result.flagged)}件",
                      resident_count=len(result.created) + len(result.flagged))
    return result


def enter_paper_application(*, actor: Actor, program: Program, raw: dict[str, str],
                            received_on: dt.date | None = None) -> Case:
    """A paper application keyed in by an operator (the same checks as the e-form import)."""
    require_action(actor, program.code, "intake")
    require_declared_scope(program, APPLICANT_SCOPE)
    app, errors = parse_application(raw, required=tuple(f for f in REQUIRED_FIELDS if f != "response_id"))
    if app is None:
        raise ImportRejected(errors)
    with transaction.atomic():
        case = build_case(program, app, number=_next_number(program), source=Source.PAPER, actor=actor,
                          received_on=received_on or timezone.localdate())
        case.response_id = ""
        save_case(case, app, actor=actor, note="紙の申請書を入力")
        from madoguchi.casework.services.duplicates import check_cases

        check_cases(Case.objects.filter(pk=case.pk), actor=actor, log=False)
        record_access(actor=actor, action=AuditEvent.CASE_CHANGE, target=f"case:{case.pk}",
                      residents=[case.resident_id] if case.resident_id else [], program=program.code,
                      purpose="紙の申請書の入力")
    return case


def save_profile(*, actor: Actor, program: Program, name: str, mapping: dict[str, str], form_ref: str = ""
                 ) -> FormProfile:
    require_action(actor, program.code, "intake")
    unknown = {f for f in mapping.values() if f and f not in FIELDS and not f.startswith(PLEDGE_PREFIX)}
    if unknown:
        raise BusinessRuleError(f"不明な項目です: {', '.join(sorted(unknown))}")
    profile, _ = FormProfile.objects.update_or_create(
        program=program, name=name,
        defaults={"mapping": {_norm_header(h): f for h, f in mapping.items()}, "form_ref": form_ref,
                  "updated_by": actor.username})
    return profile


def settle_resent(*, actor: Actor, resent: ResentResponse, note: str = "") -> ResentResponse:
    """Mark a re-sent response as seen (staff correct the case by hand or request a correction)."""
    case = resent.case
    require_action(actor, case.program.code, "intake")
    with transaction.atomic():
        ResentResponse.objects.filter(pk=resent.pk).update(settled=True)
        CaseEvent.objects.create(case=case, at=timezone.now(), on=timezone.localdate(), actor=actor.username,
                                 organisation=actor.organisation_code,
                                 note=f"再送された回答を確認済みにした（相違: {'、'.join(resent.differences)}）"
                                      + (f" {note}" if note else ""))
        record_access(actor=actor, action=AuditEvent.CASE_CHANGE, target=f"resent:{resent.pk}",
                      residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                      purpose="再送された回答の確認")
    resent.refresh_from_db()
    return resent
