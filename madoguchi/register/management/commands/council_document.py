"""madoguchi council_document PROGRAM --format docx|pdf --out FILE [--revision N] [--user NAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.context import Actor
from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Program
from madoguchi.register.services.documents import council_document, pick_revision


def cli_actor(options: dict[str, Any]) -> Actor:
    """The named operator (``--as``, formerly ``--user``; required, madoguchi.accounts.operators)."""
    return operator_actor(options, purpose="審議会資料の作成")


class Command(BaseCommand):
    help = "事業の付議事項（審議会資料）を DOCX 又は PDF で作成します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("program", help="事業コード（例: crime-prevention-subsidy-2026）")
        parser.add_argument("--format", choices=["docx", "pdf"], required=True)
        parser.add_argument("--out", required=True, help="出力するファイル")
        parser.add_argument("--revision", type=int, help="版の番号（省略時は最新の版）")
        add_operator_argument(parser, "--user")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = cli_actor(options)
        program = Program.objects.filter(code=options["program"]).first()
        if program is None:
            raise CommandError(f"事業コード「{options['program']}」の事業はありません。")
        try:
            revision = pick_revision(program, options.get("revision"))
            data = council_document(revision=revision, fmt=options["format"], actor=actor)
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason=exc.reason, target=program.code,
                          program=program.code)
            raise CommandError(exc.reason) from exc
        except BusinessRuleError as exc:
            raise CommandError(str(exc)) from exc
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"{options['out']} に {revision} の付議事項を書き出しました（{len(data):,} バイト）。")
