"""``manage.py rekey``: recompute the stored match keys after the key functions change (ADR 0014)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.services.rekey import rekey_cases, rekey_past_grantees
from madoguchi.residents.services.rekey import rekey_residents


class Command(BaseCommand):
    help = ("住民記録・申請・過去の交付決定者の照合用キー（表示されない検索用の値）を、現在の規則で作り直します。"
            "氏名・住所など記録された値は変わりません。更新のお知らせで指示されたときに実行してください。")

    def add_arguments(self, parser: CommandParser) -> None:
        add_operator_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="照合用キーの作り直し")

        def progress(done: int, changed: int) -> None:
            self.stdout.write(f"  住民記録 {done:,}件を確認（{changed:,}件を更新）")

        residents = rekey_residents(progress=progress)
        cases = rekey_cases()
        grantees = rekey_past_grantees()
        # One row for the whole run: derived keys changed, no recorded value was read out or changed.
        record_access(actor=actor, action=AuditEvent.RESIDENT_CHANGE, target="照合用キーの作り直し",
                      purpose=f"照合用キーの作り直し（住民記録 {residents}件、申請 {cases}件、過去の交付決定者 {grantees}件）",
                      resident_count=residents)
        self.stdout.write(self.style.SUCCESS(
            f"照合用キーを作り直しました: 住民記録 {residents:,}件、申請 {cases:,}件、過去の交付決定者 {grantees:,}件"))
