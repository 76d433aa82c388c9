"""Demo of the program types: each type's own demo step (the subsidy's rule), then the enrolments of the
programs whose people come from the master rather than from applications — the coming-of-age cohort (by
its extraction rule), the child-allowance recipients and some health-points participants — through the
enrolment service, so the demo passes the same checks as the screens."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.programs.registry import specs
from madoguchi.programs.services.enrolment import (
    child_allowance_recipient_ids,
    enrol_from_master,
    enrol_residents,
)
from madoguchi.register.models import Program
from madoguchi.residents.models import Resident, ResidentStatus


def seed(*, rng: random.Random, scale: str, stdout: Any) -> None:
    for spec in specs():
        if spec.demo is not None:
            spec.demo(rng=rng, scale=scale, stdout=stdout)
    programs = {p.code: p for p in Program.objects.all()}

    def actor(username: str) -> Actor:
        return Actor.cli(User.objects.filter(username=username).first(), purpose="デモデータ")

    if "coming-of-age-2026" in programs:
        enrol_from_master(program=programs["coming-of-age-2026"], rule="cohort", actor=actor("tanto-general"))
    if "child-support-allowance-2025" in programs:
        ids = child_allowance_recipient_ids(dt.date(2007, 4, 2), dt.date(2026, 3, 31))
        enrol_residents(program=programs["child-support-allowance-2025"], resident_ids=ids,
                        actor=actor("tanto-child"), purpose="基準日（令和7年9月30日）の児童手当受給者")
    if "health-points" in programs:
        adults = list(Resident.objects.filter(status=ResidentStatus.REGISTERED, birth_date__lte=dt.date(2008, 11, 22))
                      .order_by("id").values_list("id", flat=True))
        chosen = rng.sample(adults, k=min(len(adults), max(1, len(adults) // 30)))
        enrol_residents(program=programs["health-points"], resident_ids=chosen,
                        actor=actor("tanto-health"), purpose="健康ポイント事業の参加登録")
