"""Evidence from operations shown beside the register (ARCHITECTURE: "what operations record as evidence …
is shown back beside each measure").  Counts only, no residents' data.  Lives in the web layer because the
register may not import the apps above it (ADR 0001)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from madoguchi.audit.models import AccessLog
from madoguchi.handover.selectors import HandoverEvidence, handover_evidence


@dataclass(frozen=True)
class ProgramEvidence:
    handover: HandoverEvidence
    log_rows: int
    denied: int
    break_glass: int
    exports: int


def program_evidence(program_code: str) -> ProgramEvidence:
    stats = AccessLog.objects.filter(program=program_code).aggregate(
        rows=Count("id"),
        denied=Count("id", filter=Q(allowed=False)),
        break_glass=Count("id", filter=Q(break_glass=True)),
        exports=Count("id", filter=Q(action__in=["handover.export", "payment.export", "resident.export"])),
    )
    return ProgramEvidence(handover_evidence(program_code), stats["rows"], stats["denied"], stats["break_glass"],
                           stats["exports"])
