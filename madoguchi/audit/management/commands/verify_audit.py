"""``madoguchi verify_audit --as LOGIN [--from-id N] [--digests DIR]``: walk the access-log chains (and check
them against the signed daily digests); exit 1 naming the first bad row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.services.verify import verify_audit_log


class Command(BaseCommand):
    help = "アクセスログのハッシュチェーンを検証し、最初に見つかった改ざん（書換え・削除・順序外の挿入）の行を示します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-id", type=int, default=1, help="この行から検証します（直前の行を信頼します）。")
        parser.add_argument("--digests", default=None,
                            help="日次ダイジェストのフォルダ。ログがそのすべてと一致するかも検査します。")
        parser.add_argument("--progress", action="store_true", help="10万行ごとに進み具合を表示します。")
        add_operator_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="verify_audit")

        def progress(count: int, last_id: int) -> None:
            if options["progress"] and count % 100_000 < 20_000:
                self.stderr.write(f"{count:,} 行 … #{last_id}")

        result = verify_audit_log(actor=actor, from_id=options["from_id"],
                                  digests=options["digests"], progress=progress)
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
