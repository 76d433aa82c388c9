"""madoguchi enrol --program CODE (--from-master RULE | --csv FILE | --resident NUMBER) --as USER

Enrols people into a program through :mod:`madoguchi.programs.services.enrolment`; the last line is
``enrolled N`` (N added).  A refusal is written to the access log and ends with a non-zero status.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.context import Actor
from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from madoguchi.programs.services.enrolment import (
    EnrolmentResult,
    enrol_from_csv,
    enrol_from_master,
    enrol_resident,
)
from madoguchi.register.models import Program


class Command(BaseCommand):
    help = "事業に対象者を登録します（住民記録から抽出条件で / 名簿CSVから / 住民番号で1人）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="事業コード")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--from-master", metavar="RULE", help="事業類型の抽出条件（例: cohort）")
        source.add_argument("--csv", type=Path, metavar="FILE", help="名簿CSV（列「住民番号」）")
        source.add_argument("--resident", metavar="NUMBER", help="住民番号（1人）")
        add_operator_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="対象者の登録")
        program = Program.objects.filter(code=options["program"]).first()
        if program is None:
            raise CommandError(f"事業 {options['program']} がありません。")
        try:
            result = self._enrol(actor, program, options)
        except AccessRefused as exc:
            record_denied(actor=actor, action=AuditEvent.ACCESS_DENIED, reason=exc.reason, program=program.code,
                          target="enrol")
            raise CommandError(exc.reason) from exc
        except ImportRejected as exc:
            raise CommandError(str(exc)) from exc
        except BusinessRuleError as exc:
            raise CommandError(str(exc)) from exc
        if result.already:
            self.stdout.write(f"既に登録済みの {result.already} 人はそのままにしました。")
        self.stdout.write(f"事業「{program.name}」の個人の範囲「{result.scope}」に {result.added} 人を登録しました。")
        self.stdout.write(f"enrolled {result.added}")

    def _enrol(self, actor: Actor, program: Program, options: dict[str, Any]) -> EnrolmentResult:
        if options["from_master"]:
            return enrol_from_master(program=program, rule=options["from_master"], actor=actor)
        if options["csv"]:
            path: Path = options["csv"]
            if not path.is_file():
                raise BusinessRuleError(f"ファイル {path.name} がありません。")
            return enrol_from_csv(program=program, data=path.read_bytes(), actor=actor)
        return enrol_resident(program=program, resident_no=options["resident"], actor=actor)
