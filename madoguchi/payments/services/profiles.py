"""The requester side of a program's transfers (振込依頼人): set by the department that owns the program."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.banking import AccountError, lookup_bank, lookup_branch, validate_account_number
from madoguchi.core.bankkana import BankKanaError, to_bank_kana
from madoguchi.payments.models import LineEnding, PaymentProfile
from madoguchi.register.models import Program


@dataclass(frozen=True)
class ProfileInput:
    requester_code: str
    requester_name: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    line_ending: str = LineEnding.CRLF
    designation: str = "7"
    extra_symbols: str = ""
    purpose: str = ""


def save_profile(*, program: Program, data: ProfileInput, actor: Actor) -> PaymentProfile:
    """Validate and save; raises AccountError (field → reason) with every problem."""
    errors: dict[str, str] = {}
    code = data.requester_code.strip()
    if not (code.isdigit() and len(code) == 10):
        errors["requester_code"] = "委託者コードは銀行から割り当てられた10桁の数字です"
    extra = "".join(ch for ch in data.extra_symbols if ch in "/,")
    if len(extra) != len(data.extra_symbols.strip()):
        errors["extra_symbols"] = "追加できる記号は「/」と「,」だけです"
    name = ""
    try:
        name = to_bank_kana(data.requester_name, extra=extra)
        if len(name) > 40:
            errors["requester_name"] = f"振込依頼人名は40文字までです（{len(name)}文字）"
    except BankKanaError as exc:
        errors["requester_name"] = f"振込依頼人名: {exc.reason}"
    for check in (lambda: lookup_branch(lookup_bank(data.bank_code).code, data.branch_code),
                  lambda: validate_account_number(data.account_number)):
        try:
            check()
        except AccountError as exc:
            errors.update(exc.errors)
    if data.account_type not in ("1", "2", "9"):
        errors["account_type"] = "依頼人の預金種目は 1（普通）、2（当座）、9（その他）のいずれかです"
    if data.line_ending not in LineEnding.values:
        errors["line_ending"] = "改行コードを選んでください"
    if data.designation not in ("7", "8", " "):
        errors["designation"] = "振込指定区分は 7、8 または空白です"
    if errors:
        raise AccountError(errors)
    with transaction.atomic():
        profile, _ = PaymentProfile.objects.update_or_create(program=program, defaults={
            "requester_code": code, "requester_name": name, "bank_code": lookup_bank(data.bank_code).code,
            "branch_code": data.branch_code.strip(), "account_type": data.account_type,
            "account_number": validate_account_number(data.account_number), "line_ending": data.line_ending,
            "designation": data.designation, "extra_symbols": extra, "purpose": data.purpose.strip()[:100],
        })
        record_access(actor=actor, action=AuditEvent.PAYMENT_BATCH, target=f"payment_profile:{program.code}",
                      program=program.code, purpose="振込依頼人の設定")
    return profile
