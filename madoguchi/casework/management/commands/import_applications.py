"""madoguchi import_applications --program CODE --profile NAME --user LOGIN FILE.csv"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.casework.management.commands._common import actor_and_program, add_user_and_program
from madoguchi.casework.models import FormProfile
from madoguchi.casework.services.intake import import_form_csv
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from madoguchi.core.idformat import SheetSigns


class Command(BaseCommand):
    help = "電子申請（LoGoフォーム）の CSV を、保存した取込設定で取り込みます。誤りが 1 行でもあれば何も取り込みません。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_and_program(parser)
        parser.add_argument("--profile", required=True, help="取込設定の名称")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        actor, program = actor_and_program(options, "電子申請の取込")
        profile = FormProfile.objects.filter(program=program, name=options["profile"]).first()
        if profile is None:
            raise CommandError(f"取込設定「{options['profile']}」がありません。")
        signs = SheetSigns()
        try:
            result = import_form_csv(actor=actor, program=program, profile=profile, data=options["file"].read_bytes(),
                                     signs=signs)
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason=exc.reason, program=program.code,
                          target="import_applications")
            raise CommandError(exc.reason) from exc
        except (ImportRejected, BusinessRuleError) as exc:
            raise CommandError("\n".join([*signs.messages(), str(exc)])) from exc
        for note in signs.messages():
            self.stderr.write(note)
        self.stdout.write(f"新規 {len(result.created)} 件、変更なし {result.unchanged} 件、内容の違う再送 {len(result.flagged)} 件")
