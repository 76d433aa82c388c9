"""madoguchi render_notices --program CODE --user LOGIN --kind grant|refusal|correction [--out FILE.pdf]

Renders the notices not issued yet into one multi-page PDF (in this process, with progress)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.casework.management.commands._common import actor_and_program, add_user_and_program
from madoguchi.casework.models import NoticeJob, NoticeKind
from madoguchi.casework.services.notices import run_job, start_batch
from madoguchi.core.errors import AccessRefused, BusinessRuleError


class Command(BaseCommand):
    help = "まだ発行していない通知書を 1 つの PDF にまとめて作ります。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_and_program(parser)
        parser.add_argument("--kind", choices=NoticeKind.values, default=NoticeKind.GRANT)
        parser.add_argument("--out", type=Path, help="PDF の保存先（省略時は画面からダウンロード）")

    def handle(self, *args: Any, **options: Any) -> None:
        actor, program = actor_and_program(options, "通知書の作成")
        try:
            job = start_batch(actor=actor, program=program, kind=options["kind"])
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason=exc.reason, program=program.code,
                          target="render_notices")
            raise CommandError(exc.reason) from exc
        except BusinessRuleError as exc:
            raise CommandError(str(exc)) from exc
        job.refresh_from_db()
        if job.status != "done":  # the database task backend runs it in a worker; do it here instead
            run_job(job.pk)
            job = NoticeJob.objects.get(pk=job.pk)
        if options["out"]:
            options["out"].write_bytes(bytes(job.pdf or b""))
        self.stdout.write(f"{job.get_kind_display()} {job.total} 件を作成しました（ジョブ {job.pk}）。")
