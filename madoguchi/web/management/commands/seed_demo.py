"""Load the demo: organisations and one user per role, residents, the five seed programs and their operations.

Each step is a function ``seed(*, rng: random.Random, scale: str, stdout) -> None`` in an app's
``services/demo.py``; they run in the order below, in one transaction each.
"""

from __future__ import annotations

import importlib.util
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

from madoguchi.accounts.models import User

STEPS = [
    "madoguchi.accounts.services.demo.seed",
    "madoguchi.residents.services.demo.seed",
    "madoguchi.register.services.demo.seed",
    "madoguchi.programs.services.demo.seed",
    "madoguchi.casework.services.demo.seed",
    "madoguchi.payments.services.demo.seed",
    "madoguchi.handover.services.demo.seed",
]


class Command(BaseCommand):
    help = "デモデータ（架空の住民、5つの事業、各ロールの利用者）を作成します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "ward"], default="small",
                            help="small: 数千人（既定） / ward: 35万人（区の規模）")
        parser.add_argument("--seed", type=int, default=20261122, help="乱数の種（同じ値なら同じデータ）")
        parser.add_argument("--if-empty", action="store_true", help="デモデータが既にあれば何もしない")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and User.objects.filter(username="tanto").exists():
            self.stdout.write("デモデータは作成済みです（作り直すには var/ を削除してください）。")
            return
        rng = random.Random(options["seed"])
        for dotted in STEPS:
            if importlib.util.find_spec(dotted.rsplit(".", 1)[0]) is None:
                continue  # that app has no demo data
            step = import_string(dotted)
            started = time.perf_counter()
            with transaction.atomic():
                step(rng=random.Random(rng.random()), scale=options["scale"], stdout=self.stdout)
            self.stdout.write(f"  {dotted.split('.')[1]}: {time.perf_counter() - started:.1f} 秒")
        self.stdout.write(self.style.SUCCESS("デモデータを作成しました。"))
