"""``madoguchi restore FILE``: restore a backup into an empty database, then verify the access log and the
row counts; exit 1 when either disagrees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.context import Actor
from madoguchi.audit.services.backups import restore
from madoguchi.core.backup import BackupError


class Command(BaseCommand):
    help = ("暗号化したバックアップを空のデータベースに戻し、アクセスログのチェーンと各表の件数を検証します。"
            "戻し先は DATABASE_URL で指定します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="バックアップファイル。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(actor=Actor.cli(None, purpose="restore"), path=Path(options["file"]))
        except BackupError as exc:
            raise CommandError(f"復元できませんでした: {exc}") from exc
        self.stdout.write(f"復元しました: {options['file']}（{report.header.get('made_at')} 取得）")
        self.stdout.write(report.chain.summary())
        if report.differences:
            lines = ", ".join(f"{t}: {a}→{b}" for t, a, b in
                              ((t, *ab) for t, ab in sorted(report.differences.items())))
            raise CommandError(f"件数が一致しません: {lines}")
        if not report.chain.ok:
            raise CommandError("アクセスログの検証で不整合が見つかりました。")
        self.stdout.write(f"件数が一致しました（{len(report.header.get('counts', {}))}表）。")
