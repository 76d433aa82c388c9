"""Demo hand-overs: the coming-of-age invitations' print data to 旭堂 on USB, returned, but the printer's
erasure certificate not yet in (so it stands out in the ledger).  Retention rules are shown from the
register's demo programs as they are."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, User
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.handover.models import JobStatus, LedgerEntry
from madoguchi.handover.services.ledger import record_return
from madoguchi.handover.services.packages import request_package
from madoguchi.register.models import Program


def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    program = Program.objects.filter(code="coming-of-age-2026").first()
    user = User.objects.filter(username="tanto-general").first()
    printer = Organisation.objects.filter(code="kyokudo").first()
    if program is None or user is None or printer is None:
        stdout.write("  受渡: はたちのつどいの登録（coming-of-age-2026）がないため、受渡データは作りません。\n")
        return
    if LedgerEntry.objects.filter(program=program).exists():
        return
    actor = Actor(user=user, address="demo", channel="cli", purpose="デモデータ")
    try:
        job = request_package(
            program=program, recipient=printer, task="printing", medium="usb",
            items=["name", "postal_code", "address", "address_extra"],
            purpose="はたちのつどい案内状の宛名印字データ", medium_label=f"USB-SN-{rng.randint(100000, 999999)}",
            replace_unencodable=True, actor=actor, run_now=True)
    except (AccessRefused, BusinessRuleError) as exc:
        stdout.write(f"  受渡: 受渡データを作れませんでした（{exc}）。\n")
        return
    if job.status != JobStatus.DONE:
        stdout.write(f"  受渡: 受渡データの作成に失敗しました（{job.error[:200]}）。\n")
        return
    today = timezone.localdate()
    handed = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=20), dt.time(10, 30)))
    LedgerEntry.objects.filter(package=job).update(handed_at=handed)
    type(job).objects.filter(pk=job.pk).update(finished_at=handed)
    entry = LedgerEntry.objects.get(package=job)
    record_return(entry=entry, returned_on=today - dt.timedelta(days=6), actor=actor,
                  note="USBメモリとパスワード通知書の返却を受けた（封印に異常なし）")
    stdout.write(f"  受渡: 旭堂へのUSB受渡 {job.progress_done:,}件（返却済み・消去証明書は未提出）\n")
