"""Demo payment settings: the requester side (振込依頼人) of the two programs that pay money.

The 委託者コード are fictitious; the ward's account is at a real bank and branch code of the zengin-code
master (みずほ銀行 新宿支店) with a fictitious account number.  No batch is created: the casework demo
leaves its granted cases unbatched so that users can try the whole flow themselves.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from madoguchi.core.banking import lookup_branch
from madoguchi.payments.models import AccountType, BankCodeChange, CodeChangeKind, LineEnding, PaymentProfile
from madoguchi.register.models import Program

# program code, 委託者コード (fictitious), 依頼人名, purpose
PROFILES: list[tuple[str, str, str, str]] = [
    ("crime-prevention-subsidy-2026", "9100000126", "ｼﾝｼﾞﾕｸｸ ｷｷｶﾝﾘｶ ﾎﾞｳﾊﾝﾎｼﾞﾖｷﾝ", "防犯機器購入費補助金"),
    ("child-support-allowance-2025", "9100000325", "ｼﾝｼﾞﾕｸｸ ｺｿﾀﾞﾃｵｳｴﾝﾃｱﾃ", "物価高対応子育て応援手当"),
]
WARD_BANK = ("0001", "240")  # みずほ銀行 新宿支店 (real codes)
WARD_ACCOUNT = "1234567"  # fictitious


def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    lookup_branch(*WARD_BANK)  # fails loudly if the master no longer has the branch
    for code, requester_code, name, purpose in PROFILES:
        program = Program.objects.filter(code=code).first()
        if program is None:
            stdout.write(f"  事業 {code} がないため、振込依頼人の設定を作りません。")
            continue
        PaymentProfile.objects.update_or_create(program=program, defaults={
            "requester_code": requester_code, "requester_name": name, "bank_code": WARD_BANK[0],
            "branch_code": WARD_BANK[1], "account_type": AccountType.ORDINARY, "account_number": WARD_ACCOUNT,
            "line_ending": LineEnding.CRLF, "designation": "7", "purpose": purpose,
        })
    stdout.write(f"  振込依頼人の設定: {PaymentProfile.objects.count()}件")
    # a merger the zengin-code snapshot does not show (issue 19 §6): 岩沼市農協 into 仙台農協 on 2025-04-01
    BankCodeChange.objects.update_or_create(bank_code="3647", branch_code="", defaults={
        "kind": CodeChangeKind.MERGED, "effective_date": dt.date(2025, 4, 1), "successor_bank_code": "3636",
        "note": "JA の合併（デモ用の登録例）", "updated_by": "demo"})
    stdout.write(f"  金融機関コードの統廃合: {BankCodeChange.objects.count()}件")
