"""システム移行検証 (migration_check): the ward checks that a system migration carried every person and
item across unchanged (seed 001, 税務システムの標準化・ガバメントクラウドへの移行).

A stub on the seam: it declares nothing it does not do.  Its people are in the extracts it compares, not
enrolled; the reconciliation, the kei-car-tax recomputation and the PIA draft are issue 13.  Until then a
hand-over of its programs gives the participants (the hand-over engine's default), so it reads those items.
"""

from __future__ import annotations

from madoguchi.handover.datasets import PARTICIPANTS
from madoguchi.programs.registry import register
from madoguchi.programs.spec import ProgramTypeSpec

SPEC = register(ProgramTypeSpec(
    code="migration_check",
    label="システム移行検証",
    summary="システム移行の前後のデータを照合し、全員・全項目が変わらず移ったことを職員が確認する事業（例: 税務システムの標準化）。",
    seed="seed 001",
    reads=PARTICIPANTS.items,  # until its own dataset (issue 13), hand-overs give the participants
))
