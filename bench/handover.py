"""Hand-over figures: an export package of 25,000 address rows (target ≤ 10 s) and the erasure of a
program with 25,000 cases (target ≤ 60 s).

    .venv/bin/python -m bench.handover [--rows 25000] [--keep]

Runs on a fresh SQLite database in a temporary folder (or on ``DATABASE_URL`` if set — use a database of
its own).  Measured: the whole package job (count, CSV in CP932, AES-256 ZIP, file, ledger row, access-log
row with 25,000 resident ids) and the erasure (dry run, then execution with the record, the certificate PDF
and the access-log row).  Cases are ``casework.Case`` rows, each with one history row, one purchase line
and one inquiry (deleted with it); each case has a participation and a payment item whose personal fields
are blanked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time

TMP = tempfile.mkdtemp(prefix="madoguchi-bench-handover-")
os.environ.setdefault("MADOGUCHI_VAR_DIR", TMP)
os.environ.setdefault("MADOGUCHI_MEDIA_ROOT", os.path.join(TMP, "media"))
os.environ["MADOGUCHI_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from madoguchi.accounts.context import Actor  # noqa: E402
from madoguchi.accounts.models import Organisation, OrganisationKind, Role, User  # noqa: E402
from madoguchi.casework.models import Case, CaseEvent, Inquiry, PurchaseLine  # noqa: E402
from madoguchi.handover.models import ErasureScope  # noqa: E402
from madoguchi.handover.services import packages, retention  # noqa: E402
from madoguchi.payments.models import PaymentBatch, PaymentItem  # noqa: E402
from madoguchi.register.catalogue import ensure_catalogue  # noqa: E402
from madoguchi.register.models import (  # noqa: E402
    Outsourcing,
    Participation,
    PersonScope,
    Program,
    RecordedItem,
    Revision,
    RevisionStatus,
)
from madoguchi.residents.models import Resident  # noqa: E402

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "髙橋", "﨑山"]
GIVEN = ["花子", "太郎", "陽菜", "蓮", "結衣", "湊", "美咲", "大翔", "葵", "悠真"]
TOWNS = ["西新宿", "新宿", "歌舞伎町", "高田馬場", "大久保", "百人町", "四谷", "神楽坂", "早稲田町", "市谷本村町"]


def _setup(rows: int, rng: random.Random) -> tuple[Actor, Actor, Program, Program, Organisation]:
    catalogue = ensure_catalogue()
    dept = Organisation.objects.create(code="dept-general", name="総務課", kind=OrganisationKind.DEPARTMENT)
    privacy = Organisation.objects.create(code="privacy-office", name="区政情報課", kind=OrganisationKind.PRIVACY_OFFICE)
    printer = Organisation.objects.create(code="kyokudo", name="株式会社旭堂", kind=OrganisationKind.CONTRACTOR)
    staff = User.objects.create(username="tanto-general", role=Role.DEPARTMENT_STAFF, organisation=dept)
    approver = User.objects.create(username="hogo", role=Role.PRIVACY_OFFICE, organisation=privacy)
    today = timezone.localdate()

    def program(code: str, ptype: str, **kw: object) -> Program:
        p = Program.objects.create(code=code, name=code, department=dept, program_type=ptype)
        rev = Revision.objects.create(program=p, number=1, status=RevisionStatus.APPROVED, title=code, **kw)
        scope = PersonScope.objects.create(revision=rev, name="対象者")
        RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=catalogue[k])
                                          for k in ("name", "postal_code", "address", "address_extra")])
        o = Outsourcing.objects.create(revision=rev, contractor=printer, tasks=["printing"], media=["usb"],
                                       start_date=today - dt.timedelta(days=30), end_date=today + dt.timedelta(days=30))
        o.items.set([catalogue[k] for k in ("name", "postal_code", "address", "address_extra")])
        return p

    coming = program("coming-of-age-2026", "cohort_mailing", start_date=dt.date(2026, 10, 1),
                     end_date=dt.date(2027, 1, 31))
    ended = program("ended-subsidy-2022", "application_subsidy", start_date=dt.date(2022, 4, 1),
                    end_date=dt.date(2023, 3, 31), retention_years=1)
    first = dt.date(2006, 4, 2)
    residents = [
        Resident(resident_no=f"{200000000 + n}", name=f"{rng.choice(SURNAMES)}　{rng.choice(GIVEN)}",
                 name_kana="ヤマダ　ハナコ", birth_date=first + dt.timedelta(days=n % 365), postal_code="160-0023",
                 address=f"東京都新宿区{rng.choice(TOWNS)}{rng.randint(1, 4)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
                 address_extra=f"メゾン新宿{rng.randint(101, 909)}" if n % 3 == 0 else "", household_no=f"H{n:08d}")
        for n in range(rows)
    ]
    Resident.objects.bulk_create(residents, batch_size=2000)
    return (Actor(user=staff, address="bench", channel="cli"), Actor(user=approver, address="bench", channel="cli"),
            coming, ended, printer)


def _cases(program: Program, rows: int) -> None:
    now = timezone.now()
    ids = list(Resident.objects.order_by("pk").values_list("pk", flat=True)[:rows])
    Case.objects.bulk_create([
        Case(program=program, number=f"B-{n:06d}", status_changed_at=now, resident_id=rid, address="東京都新宿区西新宿2-8-1",
             name="山田　花子", received_on=dt.date(2022, 6, 1), account_number="1234567")
        for n, rid in enumerate(ids)], batch_size=2000)
    case_ids = list(Case.objects.filter(program=program).values_list("pk", flat=True))
    CaseEvent.objects.bulk_create([CaseEvent(case_id=c, at=now, on=now.date(), actor="tanto", note="受付")
                                   for c in case_ids], batch_size=2000)
    PurchaseLine.objects.bulk_create([PurchaseLine(case_id=c, item="防犯カメラ", cost=10000) for c in case_ids],
                                     batch_size=2000)
    Inquiry.objects.bulk_create([Inquiry(program=program, case_id=c, at=now, caller="山田", question="問合せ",
                                         responder="x") for c in case_ids[: rows // 5]], batch_size=2000)
    Participation.objects.bulk_create([Participation(program=program, resident_id=r) for r in ids], batch_size=2000)
    batch = PaymentBatch.objects.create(program=program, transfer_date=dt.date(2022, 12, 1))
    PaymentItem.objects.bulk_create([
        PaymentItem(batch=batch, program=program, source_ref=f"case:{c}", beneficiary_key=f"R{c}", purpose="補助金",
                    resident_id=r, payee_name="山田　花子", bank_code="0001", bank_name="みずほ", bank_kana="ﾐｽﾞﾎ",
                    branch_code="001", branch_name="本店", branch_kana="ﾎﾝﾃﾝ", account_type="1",
                    account_number="7654321", account_last4="4321", holder_kana="ﾔﾏﾀﾞ ﾊﾅｺ", amount=20000)
        for c, r in zip(case_ids, ids, strict=False)], batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--keep", action="store_true", help="一時フォルダを削除しない")
    args = parser.parse_args()
    print(f"database: {connection.vendor} ({TMP if connection.vendor == 'sqlite' else 'DATABASE_URL'})")
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    t0 = time.perf_counter()
    owner, approver, coming, ended, printer = _setup(args.rows, rng)
    print(f"setup: {args.rows:,} residents in {time.perf_counter() - t0:.1f} s")

    started = time.perf_counter()
    job = packages.request_package(program=coming, recipient=printer, task="printing", medium="usb",
                                   items=["name", "postal_code", "address", "address_extra"], purpose="bench",
                                   medium_label="USB-BENCH", actor=owner, run_now=True)
    elapsed = time.perf_counter() - started
    size = os.path.getsize(packages.storage.path(job.file_path)) if job.file_path else 0
    print(f"package: {job.progress_done:,} address rows, status {job.status}, ZIP {size / 1024:.0f} KiB "
          f"in {elapsed:.2f} s (target ≤ 10 s)")

    t0 = time.perf_counter()
    _cases(ended, args.rows)
    print(f"setup: {Case.objects.filter(program=ended).count():,} cases (+ history, purchases, inquiries, "
          f"participations, payment items) in {time.perf_counter() - t0:.1f} s")
    started = time.perf_counter()
    run = retention.plan_erasure(program=ended, scope=ErasureScope.PROGRAM, reason="bench", actor=owner)
    dry = time.perf_counter() - started
    retention.approve_erasure(run=run, actor=approver)
    started = time.perf_counter()
    record = retention.execute_erasure(run=run, actor=owner)
    execute = time.perf_counter() - started
    counts = ", ".join(f"{r['kind']} {r['count']:,}" for r in record.counts if r["count"])
    print(f"erasure dry run: {dry:.2f} s; execution: {execute:.2f} s (target ≤ 60 s) — {counts}")
    print(f"left after erasure: cases {Case.objects.filter(program=ended).count()}, "
          f"named payment items {PaymentItem.objects.filter(program=ended).exclude(payee_name='').count()}")
    if not args.keep and connection.vendor == "sqlite":
        import shutil

        connection.close()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
