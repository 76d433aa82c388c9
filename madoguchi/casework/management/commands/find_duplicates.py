"""madoguchi find_duplicates --as LOGIN --left A.csv --right B.csv --out PAIRS.csv (the run is logged)"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.accounts.operators import add_operator_argument, operator_actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.services.pair_files import match_files, pairs_csv
from madoguchi.core.errors import ImportRejected


class Command(BaseCommand):
    help = ("2つの名簿（id,name,name_kana,birth_date,postal_code,address）を照合し、重複の候補を "
            "left_id,right_id,score,verdict（match / possible）で書き出します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--left", required=True, type=Path)
        parser.add_argument("--right", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        add_operator_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = operator_actor(options, purpose="名簿の重複照合（コマンド）")
        started = time.perf_counter()
        try:
            pairs = match_files(options["left"].read_bytes(), options["right"].read_bytes())
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc}") from exc
        except ImportRejected as exc:
            raise CommandError(str(exc)) from exc
        options["out"].write_text(pairs_csv(pairs), encoding="utf-8")
        # two rosters of people were read and compared: who did it, on which files, with how many pairs
        record_access(actor=actor, action=AuditEvent.DUPLICATE_CHECK, resident_count=len(pairs),
                      target=f"files:{options['left'].name},{options['right'].name}->{options['out'].name}"[:200])
        matches = sum(1 for p in pairs if p.verdict == "match")
        self.stdout.write(f"候補 {len(pairs)} 組（match {matches}、possible {len(pairs) - matches}）を "
                          f"{options['out']} に書き出しました（{time.perf_counter() - started:.1f} 秒）。")
