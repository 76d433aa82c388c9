"""ポイント事業 (points_scheme): residents join, send steps and earn points (seed 002, 健康ポイント事業).

A stub on the seam: it declares only what runs today — enrolling participants by roster or one by one
under the declared scope 「参加者」.  Sign-up (18 and over), steps, points, the draw, surveys and erasure on
withdrawal are issue 12.
"""

from __future__ import annotations

from madoguchi.handover.datasets import PARTICIPANTS
from madoguchi.programs.registry import register
from madoguchi.programs.spec import ProgramTypeSpec

SPEC = register(ProgramTypeSpec(
    code="points_scheme",
    label="ポイント事業",
    summary="参加者を登録し、歩数などの活動に応じてポイントを付与し、景品の抽選やアンケートを行う事業（例: 健康ポイント）。",
    seed="seed 002",
    reads=PARTICIPANTS.items,  # until its own dataset (issue 12), hand-overs give the participants
    roster_scope="参加者",
    roster_role="参加者",
))
