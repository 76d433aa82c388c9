"""``madoguchi analyze_audit --as LOGIN --from YYYY-MM-DD --to YYYY-MM-DD [--format text|csv]``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services.analysis import MAX_FINDINGS, analyse_period, report_csv, report_text
from madoguchi.audit.services.record import record_access


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日付は YYYY-MM-DD で指定してください: {value}") from exc


class Command(BaseCommand):
    help = "期間のアクセスログを分析します（時間外、大量アクセス、拒否、緊急閲覧、契約期間外の委託先）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="開始日 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="終了日 YYYY-MM-DD（この日を含む）")
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument("--threshold", type=int, default=None, help="大量アクセスの基準（人数）")
        add_operator_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="analyze_audit")
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("終了日が開始日より前です。")
        report = analyse_period(start, end, threshold=options["threshold"],
                                max_findings=None if options["format"] == "csv" else MAX_FINDINGS)
        counts = " ".join(f"{s.key}={s.total}" for s in report.sections)
        record_access(actor=actor, action=AuditEvent.AUDIT_ANALYSIS,
                      target=f"分析 {start}〜{end}: {counts}"[:200])
        self.stdout.write(report_csv(report) if options["format"] == "csv" else report_text(report), ending="")
