"""Who runs a console command (ADR 0013): one rule for every management command that acts on data.

Every command that reads or changes residents' data, the register or the access log is run *as a named
user*: ``--as LOGIN`` is required, names an active user, and the command runs with that user's rights under
the access policy, exactly as the screens would, and the access log names them.  There is no anonymous
"system" operator at the console: a named person is accountable for every run (issue 16 item 9).
A missing or unknown name stops the command with a Japanese message before anything is read or changed.

Commands exempt from the rule touch no residents' data: ``simulate_amount`` (a program's parameters) and the
demo's own commands (``seed_demo``, ``demo_logins``, ``serve_demo``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError, CommandParser

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User

OPERATOR_HELP = "操作する利用者のログイン名（必須）。その利用者の権限で実行し、アクセスログに記録します。"
MISSING = ("操作する利用者を --as ログイン名 で指定してください（例: --as tanto）。"
           "コマンドはその利用者の権限で実行され、アクセスログに記録されます。")


def add_operator_argument(parser: CommandParser, *aliases: str, dest: str = "operator") -> None:
    """Add ``--as LOGIN`` (and older spellings in ``aliases``, e.g. ``--user``) to a command's parser.

    Not ``required=True``: argparse would answer in English; :func:`operator_actor` answers in Japanese.
    """
    parser.add_argument("--as", *aliases, dest=dest, default=None, metavar="LOGIN", help=OPERATOR_HELP)


def operator_actor(options: Mapping[str, Any], *, purpose: str, dest: str = "operator") -> Actor:
    """The console actor for the user named by ``--as``.  Raises CommandError (Japanese) when the name is
    missing, unknown or names a user who is not active."""
    name = str(options.get(dest) or "").strip()
    if not name:
        raise CommandError(MISSING)
    user = User.objects.select_related("organisation").filter(username=name).first()
    if user is None or not user.is_active:
        raise CommandError(f"利用者「{name}」は登録されていないか、利用停止中です。"
                           "--as には madoguchi に登録された利用者のログイン名を指定してください。")
    return Actor.cli(user, purpose=purpose)
