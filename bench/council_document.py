"""Time generating the agenda item (付議事項) of crime-prevention-subsidy-2026 as DOCX and PDF.

Uses its own database (``var/bench-register.sqlite3`` unless DATABASE_URL names a database containing
``bench``), seeds the demo organisations and the five programs if missing, then renders the submitted
revision (the one with the changes marked) several times and prints the figures.

    .venv/bin/python -m bench.council_document [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-register.sqlite3'}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("DATABASE_URL のデータベース名に bench を含めてください。")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


class _Quiet:
    def write(self, *_args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = setup()
    from django.db import transaction

    from madoguchi.accounts.context import Actor
    from madoguchi.accounts.models import User
    from madoguchi.accounts.services.demo import seed as seed_accounts
    from madoguchi.register.models import Revision
    from madoguchi.register.services.demo import seed as seed_register
    from madoguchi.register.services.documents import council_document

    with transaction.atomic():
        seed_accounts(rng=random.Random(1), scale="small", stdout=_Quiet())
        seed_register(rng=random.Random(1), scale="small", stdout=_Quiet())
    revision = Revision.objects.get(program__code="crime-prevention-subsidy-2026", number=2)
    actor = Actor.cli(User.objects.get(username="hogo"), purpose="bench")
    print(f"database: {db}; revision: {revision} ({revision.get_status_display()}); repeat {args.repeat}")
    figures: dict[str, list[float]] = {"docx": [], "pdf": [], "docx+pdf": []}
    sizes: dict[str, int] = {}
    for i in range(args.repeat):
        started = time.perf_counter()
        for fmt in ("docx", "pdf"):
            t0 = time.perf_counter()
            data = council_document(revision=revision, fmt=fmt, actor=actor)
            figures[fmt].append(time.perf_counter() - t0)
            sizes[fmt] = len(data)
        figures["docx+pdf"].append(time.perf_counter() - started)
        if i == 0:
            print(f"  first run (fonts loaded, cold): docx+pdf {figures['docx+pdf'][0]:.2f} s")
    for name, values in figures.items():
        print(f"  {name:9s} median {statistics.median(values):.2f} s  max {max(values):.2f} s"
              + (f"  ({sizes[name]:,} bytes)" if name in sizes else ""))
    worst = max(figures["docx+pdf"])
    print(f"target: agenda item as DOCX and PDF ≤ 5 s — worst {worst:.2f} s: {'met' if worst <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
