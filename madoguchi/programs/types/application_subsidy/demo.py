"""The demo rule of ``crime-prevention-subsidy-2026`` (seed 000): 1/2 of the cost, at most 20,000 yen,
rounded down to 1,000 yen, one per household, past grantees excluded, 2026-05-01 to 2027-02-26."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from madoguchi.casework.services.demo import ATTACHMENTS, CODE, PLEDGES
from madoguchi.programs.models import SubsidyRule
from madoguchi.register.models import Program


def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    program = Program.objects.filter(code=CODE).first()
    if program is None:
        return
    SubsidyRule.objects.update_or_create(program=program, defaults={
        "rate_numerator": 1, "rate_denominator": 2, "cap": 20000, "rounding_unit": 1000, "rounding": "floor",
        "one_per_household": True, "exclude_past_grantees": True, "require_residence": True,
        "residence_prefix": "東京都新宿区", "period_start": dt.date(2026, 5, 1), "period_end": dt.date(2027, 2, 26),
        "required_attachments": ATTACHMENTS, "pledges": PLEDGES, "fiscal_label": "令和8年度", "updated_by": "tanto"})
