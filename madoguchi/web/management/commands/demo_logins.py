from typing import Any

from django.core.management.base import BaseCommand

from madoguchi.accounts.services.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "デモ用のログイン（ロールごと）を表示します。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write("=" * 72)
        self.stdout.write(" madoguchi デモ  http://127.0.0.1:8000/")
        self.stdout.write(f" パスワードは全員共通: {DEMO_PASSWORD}")
        self.stdout.write("-" * 72)
        for username, label in demo_logins():
            self.stdout.write(f"  {username:<14} {label}")
        self.stdout.write("=" * 72)
        self.stdout.write(" 住民データはすべて架空（Faker ja_JP で生成）です。")
        self.stdout.write("")
