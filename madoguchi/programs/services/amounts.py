"""The amount of an application subsidy: a pure function of the rule and the cost.

``calculate_amount`` reads only the rule's parameters (rate, cap, rounding unit and direction), so
it can be tested exhaustively and called by the simulator, the review screen and the decision alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class RuleParams(Protocol):
    rate_numerator: int
    rate_denominator: int
    cap: int
    rounding_unit: int
    rounding: str


@dataclass(frozen=True)
class Params:
    rate_numerator: int = 1
    rate_denominator: int = 2
    cap: int = 20000
    rounding_unit: int = 1000
    rounding: str = "floor"


@dataclass(frozen=True)
class Breakdown:
    cost: int
    raw: int  # cost × rate before rounding, in yen (fractions of a yen dropped)
    rounded: int
    capped: bool
    amount: int


def _round(value_num: int, value_den: int, unit: int, how: str) -> int:
    """Round the exact fraction value_num/value_den to a multiple of unit (exact integer arithmetic)."""
    q, r = divmod(value_num, value_den * unit)
    if how == "ceil" and r or how == "round" and 2 * r >= value_den * unit:
        q += 1
    return q * unit


def breakdown(rule: RuleParams, cost: int) -> Breakdown:
    if cost < 0:
        raise ValueError("費用は0円以上で指定してください")
    num = cost * rule.rate_numerator
    den = rule.rate_denominator
    rounded = _round(num, den, rule.rounding_unit, rule.rounding)
    capped = rounded > rule.cap
    cap_amount = (rule.cap // rule.rounding_unit) * rule.rounding_unit
    amount = min(rounded, cap_amount)
    return Breakdown(cost=cost, raw=num // den, rounded=rounded, capped=capped, amount=amount)


def calculate_amount(rule: RuleParams, cost: int) -> int:
    """The subsidy for a total cost: cost × rate, rounded to the unit, at most the cap."""
    return breakdown(rule, cost).amount
