"""``madoguchi import_residents FILE --as USERNAME``: import a registry extract CSV (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, ImportRejected
from madoguchi.core.idformat import SheetSigns
from madoguchi.residents.services.imports import SAME_PERSON, import_residents


class Command(BaseCommand):
    help = ("住民記録の抽出CSV（見出し行あり。必須: 住民番号, 氏名, 生年月日, 住所）を取り込みます。"
            "誤りが1件でもあれば何も取り込まず、行・列・理由を表示します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSVファイル（UTF-8、BOM付きUTF-8、Shift_JIS/CP932）")
        add_operator_argument(parser)
        parser.add_argument("--allow-same-person", action="store_true",
                            help="氏名・生年月日・住所が既存の住民と同じ行を、別の住民番号の別人として新規に登録します"
                                 "（別人であることを確かめた場合だけ指定してください。指定しないと取込みを止めます）。")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="住民記録の取込み")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc}") from exc
        signs = SheetSigns()
        try:
            result = import_residents(data=data, actor=actor, filename=path.name,
                                      allow_same_person=options["allow_same_person"], signs=signs)
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.RESIDENT_IMPORT, reason=exc.reason, target=path.name)
            raise CommandError(exc.reason) from exc
        except ImportRejected as exc:
            lines = [*signs.messages(), str(exc)]
            if any(e.reason.startswith(SAME_PERSON) for e in exc.errors):
                lines.append("別人であることを確かめたときは --allow-same-person を付けて実行してください。")
            raise CommandError("\n".join(lines)) from exc
        for note in signs.messages():
            self.stderr.write(note)
        self.stdout.write(result.summary())
