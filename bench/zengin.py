"""Lock and export a 25,000-item payment batch (issue 6: ≤ 10 s), then parse the file back.

    .venv/bin/python -m bench.zengin [--items 25000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_zenginbench .venv/bin/python -m bench.zengin

Without DATABASE_URL it uses ``var/bench-zengin.sqlite3``; with it, the database name must contain
``bench`` (it deletes payment rows of its own program).  Payables come from a provider registered in
``core.payables`` (accounts spread over real bank and branch codes, kana names with voiced marks,
small kana and long vowels to convert).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-zengin.sqlite3'}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("DATABASE_URL のデータベース名に bench を含めてください。")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


SURNAMES = ["ヤマダ", "サトウ", "スズキ", "タカハシ", "タナカ", "ワタナベ", "イトウ", "ナカムラ", "コバヤシ", "カトウ",
            "キュウ", "ショウジ", "ゴトウ", "ジョウノウチ", "ハセガワ"]
GIVEN = ["タロウ", "ハナコ", "ユウコ", "リョウ", "キョウコ", "ジュンペイ", "ショウ", "ユーキ", "ヴィクトル", "メグミ"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=25_000)
    args = parser.parse_args()
    where = setup()

    from django.db import connection
    from django.utils import timezone

    from madoguchi.accounts.context import Actor
    from madoguchi.accounts.models import Organisation, OrganisationKind
    from madoguchi.core.calendar import next_bank_business_day
    from madoguchi.core.payables import Payable, register_provider, unregister_provider
    from madoguchi.payments import zengin
    from madoguchi.payments.models import PaymentBatch, PaymentItem, PaymentProfile, ResultImport, ZenginFile
    from madoguchi.payments.services.batches import create_batch, lock_batch
    from madoguchi.payments.services.export import export_batch
    from madoguchi.register.models import Program

    org, _ = Organisation.objects.get_or_create(code="bench-dept", defaults={"name": "ベンチ課",
                                                                            "kind": OrganisationKind.DEPARTMENT})
    program, _ = Program.objects.get_or_create(code="bench-zengin", defaults={
        "name": "ベンチ給付", "department": org, "program_type": "push_allowance"})
    PaymentProfile.objects.get_or_create(program=program, defaults={
        "requester_code": "1234567890", "requester_name": "ﾍﾞﾝﾁｸ", "bank_code": "0009", "branch_code": "001",
        "account_number": "7654321"})
    batches = PaymentBatch.objects.filter(program=program)
    ZenginFile.objects.filter(batch__in=batches).delete()
    ResultImport.objects.filter(batch__in=batches).delete()
    PaymentItem.objects.filter(program=program).delete()
    batches.delete()

    from zengin_code import Bank

    rng = random.Random(6)
    accounts = [(code, b) for code, bank in list(Bank.all.items())[:300] for b in list(bank.branches)[:5]]
    payables = []
    for n in range(args.items):
        bank, branch = rng.choice(accounts)
        payables.append(Payable(
            source_ref=f"bench:{n}", program_code=program.code, purpose="給付金", beneficiary_key=f"B{n:07d}",
            resident_id=None, payee_name=f"受取人{n}", amount=rng.choice([20000, 40000, 60000, 30000]),
            bank_code=bank, branch_code=branch, account_type="1", account_number=f"{rng.randrange(10**7):07d}",
            holder_kana=f"{rng.choice(SURNAMES)}　{rng.choice(GIVEN)}"))
    unregister_provider(program.program_type)  # the bench's payables stand in for the type's provider
    register_provider(program.program_type, lambda code: payables if code == program.code else [])
    actor = Actor.cli(None, purpose="bench")
    day = next_bank_business_day(timezone.localdate() + timezone.timedelta(days=14))

    t0 = time.perf_counter()
    batch = create_batch(program=program, transfer_date=day, actor=actor).batch
    t1 = time.perf_counter()
    lock_batch(batch=batch, actor=actor)
    t2 = time.perf_counter()
    exported = export_batch(batch=batch, actor=actor)
    t3 = time.perf_counter()
    again = export_batch(batch=batch, actor=actor)
    t4 = time.perf_counter()
    parsed = zengin.parse(exported.content)
    t5 = time.perf_counter()
    assert again.content == exported.content
    assert parsed.trailer.count == args.items and len(parsed.records) == args.items

    print(f"database: {where} ({connection.vendor})")
    print(f"items: {args.items:,}; file {len(exported.content):,} bytes, sha256 {exported.sha256[:16]}…")
    print(f"create batch (validate, snapshot, insert): {t1 - t0:6.2f} s")
    print(f"lock (refresh snapshot from payables):     {t2 - t1:6.2f} s")
    print(f"export (write Zengin file, store):         {t3 - t2:6.2f} s")
    print(f"lock + export:                             {t3 - t1:6.2f} s  (target ≤ 10 s)")
    print(f"re-export (same bytes):                    {t4 - t3:6.2f} s")
    print(f"parse back field by field:                 {t5 - t4:6.2f} s")


if __name__ == "__main__":
    main()
