"""madoguchi file_register --format xlsx|csv --out FILE [--user NAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madoguchi.accounts.operators import add_operator_argument
from madoguchi.register.management.commands.council_document import cli_actor
from madoguchi.register.services.documents import file_register


class Command(BaseCommand):
    help = "個人情報ファイル簿（承認された登録から作成）を XLSX 又は CSV で書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["xlsx", "csv"], required=True)
        parser.add_argument("--out", required=True)
        add_operator_argument(parser, "--user")

    def handle(self, *args: Any, **options: Any) -> None:
        data = file_register(fmt=options["format"], actor=cli_actor(options))
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"{options['out']} に個人情報ファイル簿を書き出しました（{len(data):,} バイト）。")
