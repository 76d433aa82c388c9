"""Demo participations for the programs whose residents come from the master (not from applications):
the coming-of-age cohort, the child-allowance recipients and some health-points participants."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.programs.services.enrolment import (
    child_allowance_recipient_ids,
    coming_of_age_range,
    enrol_cohort,
    enrol_residents,
)
from madoguchi.register.models import Program
from madoguchi.residents.models import Resident, ResidentStatus


def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    programs = {p.code: p for p in Program.objects.all()}
    def actor(username: str) -> Actor:
        return Actor.cli(User.objects.filter(username=username).first(), purpose="デモデータ")

    if "coming-of-age-2026" in programs:
        born_from, born_to = coming_of_age_range(2026)
        enrol_cohort(program=programs["coming-of-age-2026"], born_from=born_from, born_to=born_to,
                     actor=actor("tanto-general"))
    if "child-support-allowance-2025" in programs:
        ids = child_allowance_recipient_ids(dt.date(2007, 4, 2), dt.date(2026, 3, 31))
        enrol_residents(program=programs["child-support-allowance-2025"], resident_ids=ids, role="受給者",
                        actor=actor("tanto-child"), purpose="基準日（令和7年9月30日）の児童手当受給者")
    if "health-points" in programs:
        adults = list(Resident.objects.filter(status=ResidentStatus.REGISTERED, birth_date__lte=dt.date(2008, 11, 22))
                      .order_by("id").values_list("id", flat=True))
        chosen = rng.sample(adults, k=min(len(adults), max(1, len(adults) // 30)))
        enrol_residents(program=programs["health-points"], resident_ids=chosen, role="参加者",
                        actor=actor("tanto-health"), purpose="健康ポイント事業の参加登録")
