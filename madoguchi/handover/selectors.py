"""Reads of the hand-over area, scoped by the actor (:mod:`madoguchi.handover.services.access`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.handover.models import LedgerEntry
from madoguchi.handover.services.access import ledger_queryset
from madoguchi.handover.services.ledger import entry_status
from madoguchi.register.models import Medium

STATES = [("", "すべて"), ("overdue", "返却期限超過"), ("certificate", "消去証明書未提出"), ("open", "未完了")]


@dataclass(frozen=True)
class LedgerRow:
    entry: LedgerEntry
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.entry.return_overdue(self.today)

    @property
    def certificate_missing(self) -> bool:
        return self.entry.certificate_missing(self.today)

    @property
    def status(self) -> str:
        return entry_status(self.entry, self.today)

    @property
    def badge(self) -> str:
        if self.overdue or self.certificate_missing:
            return "ng"
        return "ok" if self.status in ("完了", "返却不要") else "warn"

    @property
    def medium_name(self) -> str:
        return str(dict(Medium.choices).get(self.entry.medium, self.entry.medium))


def _filtered(qs: QuerySet[LedgerEntry], state: str, today: dt.date) -> QuerySet[LedgerEntry]:
    if state == "overdue":
        return qs.filter(return_due__lt=today, returned_on__isnull=True)
    if state == "certificate":
        return qs.filter(return_due__isnull=False, certificate_path="").filter(
            Q(returned_on__isnull=False) | Q(return_due__lt=today))
    if state == "open":
        return qs.filter(return_due__isnull=False).filter(Q(returned_on__isnull=True) | Q(certificate_path=""))
    return qs


def ledger_rows(actor: Actor, *, state: str = "", program_code: str = "", limit: int = 500) -> list[LedgerRow]:
    today = timezone.localdate()
    qs = _filtered(ledger_queryset(actor), state, today)
    if program_code:
        qs = qs.filter(program_code=program_code)
    return [LedgerRow(e, today) for e in qs[:limit]]


def ledger_counts(actor: Actor) -> dict[str, int]:
    today = timezone.localdate()
    qs = ledger_queryset(actor)
    return {"overdue": _filtered(qs, "overdue", today).count(),
            "certificate": _filtered(qs, "certificate", today).count()}


def ledger_programs(actor: Actor) -> list[str]:
    return sorted(set(ledger_queryset(actor).exclude(program_code="").values_list("program_code", flat=True)))


@dataclass(frozen=True)
class HandoverEvidence:
    """What the ledger proves for one program (for the register's measures: 管理簿・返却・消去の報告)."""

    packages: int
    zengin_files: int
    returned: int
    return_overdue: int
    certificates: int
    certificates_missing: int
    erasure_records: int


def handover_evidence(program_code: str) -> HandoverEvidence:
    """Counts only (no residents' data); the caller decides who may see it."""
    from madoguchi.handover.models import EntryKind, ErasureRecord

    today = timezone.localdate()
    qs = LedgerEntry.objects.filter(program_code=program_code)
    return HandoverEvidence(
        packages=qs.filter(kind=EntryKind.PACKAGE).count(),
        zengin_files=qs.filter(kind=EntryKind.ZENGIN).count(),
        returned=qs.filter(returned_on__isnull=False).count(),
        return_overdue=_filtered(qs, "overdue", today).count(),
        certificates=qs.exclude(certificate_path="").count(),
        certificates_missing=_filtered(qs, "certificate", today).count(),
        erasure_records=ErasureRecord.objects.filter(program_code=program_code).count(),
    )
