"""madoguchi simulate_amount --program CODE --cost YEN: the subsidy for a cost (last line: the bare amount)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from madoguchi.core.errors import BusinessRuleError
from madoguchi.programs.services.amounts import breakdown
from madoguchi.programs.services.rules import get_rule


class Command(BaseCommand):
    help = "補助額を試算します（最終行は補助額の数字のみ）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="事業コード")
        parser.add_argument("--cost", required=True, help="購入・設置費用の総額（円）")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = str(options["cost"]).replace(",", "").replace("円", "").strip()
        if not raw.isdigit():
            raise CommandError(f"費用は0以上の整数（円）で指定してください: {options['cost']}")
        try:
            rule = get_rule(options["program"])
        except BusinessRuleError as exc:
            raise CommandError(str(exc)) from exc
        result = breakdown(rule, int(raw))
        self.stdout.write(f"事業: {rule.program.name}（補助率 {rule.rate_text}、上限 {rule.cap:,}円、"
                          f"{rule.rounding_unit:,}円未満{rule.get_rounding_display()}）")
        self.stdout.write(f"費用 {result.cost:,}円 × {rule.rate_text} = {result.raw:,}円"
                          + ("（上限を適用）" if result.capped else ""))
        self.stdout.write(str(result.amount))
