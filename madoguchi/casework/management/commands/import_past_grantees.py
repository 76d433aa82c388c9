"""madoguchi import_past_grantees --program CODE --user LOGIN --name NAME FILE.csv (columns 住所, 氏名)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.casework.management.commands._common import actor_and_program, add_user_and_program
from madoguchi.casework.services.duplicates import import_past_grantees
from madoguchi.core.errors import AccessRefused, ImportRejected


class Command(BaseCommand):
    help = "過去の交付決定者リスト（列は「住所」「氏名」だけ）を取り込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_and_program(parser)
        parser.add_argument("--name", default="過去の交付決定者", help="リストの名称")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        actor, program = actor_and_program(options, "過去の交付決定者リストの取込")
        try:
            lst = import_past_grantees(actor=actor, program=program, name=options["name"],
                                       data=options["file"].read_bytes())
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason=exc.reason, program=program.code,
                          target="import_past_grantees")
            raise CommandError(exc.reason) from exc
        except ImportRejected as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"「{lst.name}」{lst.grantees.count()} 件を取り込みました。")
