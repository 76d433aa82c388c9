"""``manage.py rekey``: recompute the stored match keys after the key functions change (ADR 0014)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from madoguchi.casework.services.rekey import rekey_cases, rekey_past_grantees
from madoguchi.residents.services.rekey import rekey_residents


class Command(BaseCommand):
    help = ("住民記録・申請・過去の交付決定者の照合用キー（表示されない検索用の値）を、現在の規則で作り直します。"
            "氏名・住所など記録された値は変わりません。更新のお知らせで指示されたときに実行してください。")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, changed: int) -> None:
            self.stdout.write(f"  住民記録 {done:,}件を確認（{changed:,}件を更新）")

        residents = rekey_residents(progress=progress)
        cases = rekey_cases()
        grantees = rekey_past_grantees()
        self.stdout.write(self.style.SUCCESS(
            f"照合用キーを作り直しました: 住民記録 {residents:,}件、申請 {cases:,}件、過去の交付決定者 {grantees:,}件"))
