"""``madoguchi import_residents FILE --as USERNAME``: import a registry extract CSV (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, ImportRejected
from madoguchi.residents.services.imports import import_residents


class Command(BaseCommand):
    help = ("住民記録の抽出CSV（見出し行あり。必須: 住民番号, 氏名, 生年月日, 住所）を取り込みます。"
            "誤りが1件でもあれば何も取り込まず、行・列・理由を表示します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSVファイル（UTF-8、BOM付きUTF-8、Shift_JIS/CP932）")
        add_operator_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="住民記録の取込み")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc}") from exc
        try:
            result = import_residents(data=data, actor=actor, filename=path.name)
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.RESIDENT_IMPORT, reason=exc.reason, target=path.name)
            raise CommandError(exc.reason) from exc
        except ImportRejected as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())
