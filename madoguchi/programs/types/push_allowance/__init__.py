"""プッシュ型給付（申請型併用） (push_allowance): recipients are known to the ward and paid without an
application, with an opt-out; a smaller group applies (seed 003, 物価高対応子育て応援手当).

A stub on the seam: it declares only what runs today — enrolling the recipients by roster or one by one
under the declared scope 「支給対象者」.  Its roster import, eligibility, notices, payables and datasets are
issue 11; until then its hand-overs use the participants and it has nothing to pay.
"""

from __future__ import annotations

from madoguchi.handover.datasets import PARTICIPANTS
from madoguchi.programs.registry import register
from madoguchi.programs.spec import ProgramTypeSpec

SPEC = register(ProgramTypeSpec(
    code="push_allowance",
    label="プッシュ型給付（申請型併用）",
    summary="区が把握している受給者に申請なしで支給し、受給拒否・口座変更の届出と、一部の申請を受け付ける給付（例: 子育て応援手当）。",
    seed="seed 003",
    reads=PARTICIPANTS.items,  # until its own dataset (issue 11), hand-overs give the participants
    roster_scope="支給対象者",
    roster_role="受給者",
))
