"""Notices: 1,000 交付決定通知書 rendered into one multi-page PDF (the batch job's path).

    .venv/bin/python -m bench.notices [--count 1000]

Runs against a scratch SQLite database in a temporary directory (migrated first, not counted): makes the
program, its rule and N granted cases, then times the job (render + store).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
os.environ.setdefault("MADOGUCHI_VAR_DIR", tempfile.mkdtemp(prefix="madoguchi-bench-notices-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    import datetime as dt

    from pypdf import PdfReader

    from madoguchi.accounts.models import Organisation
    from madoguchi.casework.models import Case, NoticeJob, NoticeKind, PurchaseLine, Status
    from madoguchi.casework.services.notices import run_job
    from madoguchi.register.models import Program

    dept, _ = Organisation.objects.get_or_create(code="dept-bench", defaults={"name": "危機管理課", "kind": "department"})
    program, _ = Program.objects.get_or_create(code="bench-notices", defaults={"name": "防犯機器等購入緊急補助事業",
                                                                               "department": dept})
    today = dt.date(2026, 11, 22)
    names = ["髙橋　一郎", "𠮷田　花子", "渡邉　健", "齋藤　真理子", "山﨑　翔太"]
    cases = [Case(program=program, number=f"{i:06d}", status=Status.GRANTED, status_changed_at=dt.datetime.now(dt.UTC),
                  name=names[i % 5], address=f"東京都新宿区西新宿二丁目{i % 30 + 1}番{i % 9 + 1}号 新宿ハイツ{i % 50 + 101}",
                  postal_code="160-0023", received_on=today, application_date=today, decided_on=today,
                  granted_amount=12000, bank_name="三井住友", branch_name="神保町", account_type="1",
                  account_number="1234567") for i in range(1, args.count + 1)]
    Case.objects.bulk_create(cases, batch_size=500)
    ids = list(Case.objects.filter(program=program).values_list("pk", flat=True))
    PurchaseLine.objects.bulk_create([PurchaseLine(case_id=pk, item="防犯カメラ", cost=25000) for pk in ids], batch_size=1000)
    job = NoticeJob.objects.create(program=program, kind=NoticeKind.GRANT, case_ids=ids, total=len(ids), created_by="bench")
    started = time.perf_counter()
    run_job(job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    pdf = bytes(job.pdf)
    pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    print(f"{pages:,} 交付決定通知書 in one PDF: {elapsed:.2f} s ({pages / elapsed:.0f} pages/s), "
          f"{len(pdf) / 1024 / 1024:.2f} MB, status {job.status}")


if __name__ == "__main__":
    main()
