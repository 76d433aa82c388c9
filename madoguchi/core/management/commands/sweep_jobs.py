"""Resume or fail background jobs whose worker died (the worker also runs this on start and periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madoguchi.core.jobs.sweeper import stale_seconds, sweep


class Command(BaseCommand):
    help = ("処理していたワーカーが止まったバックグラウンド処理を見つけ、再開するか、理由を付けて失敗として"
            "終了します（取込みファイルも消去します）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stale-seconds", type=float, default=None,
                            help=f"別のサーバーのワーカーを止まったとみなす無応答の秒数（既定 {stale_seconds():.0f}）")

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep(stale_after=options["stale_seconds"])
        for label, pk in result.resumed:
            self.stdout.write(f"再開: {label} {pk}")
        for label, pk in result.failed:
            self.stdout.write(f"失敗として終了: {label} {pk}")
        self.stdout.write(f"止まった処理の確認: {result}。")
