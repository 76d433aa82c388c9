"""``madoguchi audit_digest [--out DIR]``: verify the access log and write a signed digest of its chain heads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.services.digest import DigestRefused, make_digest


class Command(BaseCommand):
    help = ("アクセスログを検証し、各チェーンの先頭を署名付きの日次ダイジェスト（JSON）に書き出します。"
            "監査担当はこのファイルをデータベースの外に保管します。毎日実行してください。")

    def add_arguments(self, parser: CommandParser) -> None:
        add_operator_argument(parser)
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "audit-digests"),
                            help="書き出すフォルダ（監査担当が保管する場所）。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = make_digest(actor=operator_actor(options, purpose="audit_digest"), out_dir=Path(options["out"]))
        except DigestRefused as exc:
            raise CommandError(f"ダイジェストを作りませんでした: {exc}") from exc
        self.stdout.write(f"日次ダイジェストを書き出しました: {path}")
