"""``madoguchi rotate_field_keys``: re-encrypt every encrypted field with the newest key.

Procedure (docs/guide/handover.md): put the new key first in ``MADOGUCHI_FIELD_KEYS`` and keep the old
ones after it, run this command, then remove the old keys.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.handover.services.keys import rotate_field_keys


class Command(BaseCommand):
    help = "暗号化して保存している項目を、MADOGUCHI_FIELD_KEYS の先頭（最新）の鍵で暗号化し直します。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_operator_argument(parser, "--operator")
        parser.add_argument("--batch-size", type=int, default=1000, help="1回のトランザクションで処理する行数")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="鍵の更新")

        def progress(label: str, count: int) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {label}: {count} 件")

        report = rotate_field_keys(actor=actor, batch_size=options["batch_size"], progress=progress)
        for label, count in report.per_field.items():
            self.stdout.write(f"{label}: {count} 件")
        self.stdout.write(self.style.SUCCESS(f"最新の鍵で {report.values} 件を暗号化し直しました。"))
