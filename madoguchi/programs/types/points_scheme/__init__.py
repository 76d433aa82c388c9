"""ポイント事業 (points_scheme): residents join, send steps and earn points (seed 002, 健康ポイント事業).

A stub on the seam: it declares only what runs today — enrolling participants by roster or one by one
under the declared scope 「参加者」.  Sign-up (18 and over), steps, points, the draw, surveys and erasure on
withdrawal are issue 12.
"""

from __future__ import annotations

import datetime as dt

from madoguchi.handover.datasets import PARTICIPANTS
from madoguchi.programs.registry import register
from madoguchi.programs.services.enrolment import registered_in_ward
from madoguchi.programs.spec import ProgramTypeSpec
from madoguchi.register.models import Program
from madoguchi.residents.models import Resident

MINIMUM_AGE = 18  # seed 002: 18歳以上で区に住民登録のある者


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day`` (満年齢; a birthday on 2/29 counts on 3/1 in common years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def adult_resident(program: Program, resident: Resident, on: dt.date) -> str:
    """'' when the resident is registered in the ward and 18 or over on the day of joining, else the reason."""
    if reason := registered_in_ward(program, resident, on):
        return reason
    if resident.birth_date is None or age_on(resident.birth_date, on) < MINIMUM_AGE:
        return f"参加できるのは{MINIMUM_AGE}歳以上の人です（登録日に{age_on(resident.birth_date, on) if resident.birth_date else '年齢不明'}歳）"
    return ""

SPEC = register(ProgramTypeSpec(
    code="points_scheme",
    label="ポイント事業",
    summary="参加者を登録し、歩数などの活動に応じてポイントを付与し、景品の抽選やアンケートを行う事業（例: 健康ポイント）。",
    seed="seed 002",
    reads=PARTICIPANTS.items,  # until its own dataset (issue 12), hand-overs give the participants
    roster_scope="参加者",
    roster_role="参加者",
    roster_admits=adult_resident,
))
