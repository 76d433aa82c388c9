"""Shared bits of casework commands: the acting user and the program."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from madoguchi.accounts.context import Actor
from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.register.models import Program


def add_user_and_program(parser: CommandParser) -> None:
    parser.add_argument("--program", required=True, help="事業コード")
    add_operator_argument(parser, "--user")


def actor_and_program(options: dict[str, object], purpose: str) -> tuple[Actor, Program]:
    actor = operator_actor(options, purpose=purpose)
    program = Program.objects.filter(code=str(options["program"])).first()
    if program is None:
        raise CommandError(f"事業 {options['program']} がありません。")
    return actor, program
