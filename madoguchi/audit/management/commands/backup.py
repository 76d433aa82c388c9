"""``madoguchi backup OUT``: an encrypted backup of the database (SQLite online backup or pg_dump)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.services.backups import back_up
from madoguchi.core.backup import BackupError


class Command(BaseCommand):
    help = "データベース全体を暗号化したバックアップファイルに書き出します（鍵は MADOGUCHI_BACKUP_KEYS）。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_operator_argument(parser)
        parser.add_argument("out", help="書き出すファイル（新しいファイル名）。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            header = back_up(actor=operator_actor(options, purpose="backup"), out=Path(options["out"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(header["counts"].values())
        log = header["counts"].get("audit_accesslog", 0)
        self.stdout.write(f"バックアップを書き出しました: {options['out']}（{header['kind']}、{total:,}行、"
                          f"うちアクセスログ {log:,}行、鍵ID {header['key_id']}）")
