"""Review and decisions: correction requests, grant and refusal, account correction.  Each goes
through :func:`madoguchi.casework.services.transitions.transition`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, CaseEvent, Status
from madoguchi.casework.services.access import require_action
from madoguchi.casework.services.eligibility import computed_amount
from madoguchi.casework.services.intake import account_problem
from madoguchi.casework.services.transitions import transition
from madoguchi.core.banking import AccountError, validate_account
from madoguchi.core.bankkana import BankKanaError, to_bank_kana
from madoguchi.core.errors import BusinessRuleError


def start_review(*, case: Case, actor: Actor, on: dt.date | None = None) -> Case:
    return transition(case=case, step="start_review", actor=actor, on=on)


def request_correction(*, case: Case, content: str, actor: Actor, on: dt.date | None = None) -> Case:
    if not content.strip():
        raise BusinessRuleError("補正の内容を入力してください。")
    return transition(case=case, step="request_correction", actor=actor, on=on, note=f"補正依頼: {content.strip()}",
                      fields={"correction_content": content.strip()})


def resume_review(*, case: Case, actor: Actor, note: str = "", on: dt.date | None = None) -> Case:
    return transition(case=case, step="resume_review", actor=actor, on=on, note=note or "補正書類を受領、再審査")


def decide_grant(*, case: Case, actor: Actor, amount: int | None = None, on: dt.date | None = None) -> Case:
    computed = computed_amount(case)
    amount = computed if amount is None else amount
    if amount <= 0:
        raise BusinessRuleError("補助決定額が0円です。購入費用を確認してください。")
    return transition(case=case, step="grant", actor=actor, on=on, note=f"交付決定 {amount:,}円",
                      fields={"granted_amount": amount})


def decide_refusal(*, case: Case, reason: str, actor: Actor, on: dt.date | None = None) -> Case:
    if not reason.strip():
        raise BusinessRuleError("不交付の理由を入力してください。")
    return transition(case=case, step="refuse", actor=actor, on=on, note=f"不交付: {reason.strip()}",
                      fields={"decision_reason": reason.strip()})


def close_case(*, case: Case, actor: Actor) -> Case:
    return transition(case=case, step="close", actor=actor)


ACCOUNT_FIELDS = ("bank_name", "bank_code", "branch_name", "branch_code", "account_type", "account_number",
                  "account_holder", "account_holder_kana")


def correct_account(*, case: Case, actor: Actor, values: dict[str, str]) -> Case:
    """Correct the transfer account (checked against the bank master); a failed transfer then goes to
    re-transfer."""
    require_action(actor, case.program.code, "account")
    clean = {k: (values.get(k) or "").strip() for k in ACCOUNT_FIELDS}
    try:
        to_bank_kana(clean["account_holder_kana"])
        account = validate_account(bank_code=clean["bank_code"], branch_code=clean["branch_code"],
                                   account_type=clean["account_type"] or "1",
                                   account_number=clean["account_number"].zfill(7),
                                   holder_kana=clean["account_holder_kana"])
    except BankKanaError as exc:
        raise BusinessRuleError(f"口座名義フリガナ: {exc.reason}") from exc
    except AccountError as exc:
        raise BusinessRuleError("口座の内容に誤りがあります: " + "、".join(exc.errors.values())) from exc
    clean.update(bank_code=account.bank.code, branch_code=account.branch.code,
                 account_number=account.account_number, bank_name=clean["bank_name"] or account.bank.name,
                 branch_name=clean["branch_name"] or account.branch.name, account_type=account.account_type)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status in (Status.QUEUED, Status.PAID, Status.CLOSED):
            raise BusinessRuleError("支払処理中・支払済みの申請の口座は変更できません。")
        for key, value in clean.items():
            setattr(locked, key, value)
        locked.account_problem = account_problem(locked)
        locked.save()
        CaseEvent.objects.create(case=locked, at=timezone.now(), on=timezone.localdate(), actor=actor.username,
                                 organisation=actor.organisation_code, note="振込先口座を訂正")
        record_access(actor=actor, action=AuditEvent.CASE_CHANGE, target=f"case:{locked.pk}:account",
                      residents=[locked.resident_id] if locked.resident_id else [], program=locked.program.code,
                      purpose="振込先口座の訂正")
    case.refresh_from_db()
    if case.status == Status.TRANSFER_FAILED:
        case = transition(case=case, step="retransfer", actor=actor, note="口座訂正により再振込へ")
    return case


def assign(*, case: Case, actor: Actor, user_id: int | None) -> Case:
    require_action(actor, case.program.code, "review")
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(assigned_to_id=user_id)
        record_access(actor=actor, action=AuditEvent.CASE_CHANGE, target=f"case:{case.pk}:assign",
                      residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                      purpose="担当者の割当")
    case.refresh_from_db()
    return case
