"""Payments fixtures: a program with an approved registration, its payment profile, and payables offered
through a test provider registered in madoguchi.core.payables (unregistered after the test)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from madoguchi.core import payables
from madoguchi.core.calendar import next_bank_business_day
from madoguchi.core.payables import Payable, register_provider, unregister_provider
from madoguchi.payments.models import PaymentProfile
from madoguchi.register.models import Program, RevisionStatus
from tests.factories import ProgramFactory, RevisionFactory

HOLDERS = ["ヤマダ タロウ", "サトウ ハナコ", "スズキ イチロウ", "タカハシ ユウコ", "キュウ ショウ"]
PAYING_TYPE = "push_allowance"  # the test program's type; its provider is the test's offer
ACCOUNTS = [("0009", "001"), ("0001", "001"), ("0005", "001"), ("9900", "018")]


def transfer_day(days: int = 14) -> dt.date:
    return next_bank_business_day(timezone.localdate() + dt.timedelta(days=days))


def make_program(department, code: str = "pay-test") -> Program:
    program = ProgramFactory(code=code, name="テスト給付金", department=department, program_type=PAYING_TYPE)
    RevisionFactory(program=program, status=RevisionStatus.APPROVED)
    PaymentProfile.objects.create(program=program, requester_code="1234567890", requester_name="ﾃｽﾄｸ ｶｲｹｲｶﾝﾘｼﾔ",
                                  bank_code="0009", branch_code="001", account_type="1", account_number="7654321")
    return program


def payable(n: int, program_code: str = "pay-test", **overrides: object) -> Payable:
    bank, branch = ACCOUNTS[n % len(ACCOUNTS)]
    fields: dict[str, object] = {
        "source_ref": f"case:{n}", "program_code": program_code, "purpose": "給付金",
        "beneficiary_key": f"R{n:06d}", "resident_id": None, "payee_name": f"受取人{n}",
        "amount": 20000 + n, "bank_code": bank, "branch_code": branch, "account_type": "1",
        "account_number": f"{n % 10_000_000:07d}", "holder_kana": HOLDERS[n % len(HOLDERS)],
    }
    fields.update(overrides)
    return Payable(**fields)  # type: ignore[arg-type]


class Offer:
    """The payables a test provider offers; tests change ``items`` freely."""

    def __init__(self) -> None:
        self.items: list[Payable] = []

    def __call__(self, program_code: str) -> list[Payable]:
        return [p for p in self.items if p.program_code == program_code]


@contextmanager
def offering(program_type: str = PAYING_TYPE) -> Iterator[Offer]:
    """Offer the test's payables only, as the provider of ``program_type``: the registered providers (the
    program types') are set aside meanwhile."""
    offer = Offer()
    others = dict(payables._providers)
    payables._providers.clear()
    register_provider(program_type, offer)
    try:
        yield offer
    finally:
        unregister_provider(program_type)
        payables._providers.update(others)
