"""Shared bits of casework commands: the acting user and the program."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.register.models import Program


def add_user_and_program(parser: CommandParser) -> None:
    parser.add_argument("--program", required=True, help="事業コード")
    parser.add_argument("--user", required=True, help="操作する利用者（ログイン名）。権限はその利用者の登録に従います")


def actor_and_program(options: dict[str, object], purpose: str) -> tuple[Actor, Program]:
    user = User.objects.filter(username=str(options["user"])).first()
    if user is None:
        raise CommandError(f"利用者 {options['user']} がいません。")
    program = Program.objects.filter(code=str(options["program"])).first()
    if program is None:
        raise CommandError(f"事業 {options['program']} がありません。")
    return Actor.cli(user, purpose=purpose), program
