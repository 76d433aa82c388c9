"""Shared set-up of the residents benchmarks: a database of their own, migrated.

Without DATABASE_URL the benchmarks use ``var/bench-residents.sqlite3``; with it, the database name must
contain ``bench`` (they delete and rewrite the residents table).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-residents.sqlite3'}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("DATABASE_URL のデータベース名に bench を含めてください（住民テーブルを書き換えます）。")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def clear_residents() -> None:
    from django.db import connection

    from madoguchi.register.models import Participation
    from madoguchi.residents.models import AddressHistory, Resident

    with connection.cursor() as cursor:
        for model in (Participation, AddressHistory, Resident):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
