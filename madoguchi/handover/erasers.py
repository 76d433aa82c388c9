"""The registry of erasers: one per kind of residents' data a program keeps, in any app.

An eraser counts (for the dry run) and erases (for the execution) the data of an
:class:`ErasureTarget` — a whole program, or one participant of it.  Erasers run in ``order`` (children
before parents).  Handover registers the ones for register and its own package files here; the ones for
casework and payments are registered in :mod:`madoguchi.handover.erasers_apps` (handover may import them,
ADR 0001).  Access-log rows, erasure records and ledger rows are never erased: they hold no residents'
data beyond internal ids and counts, and they are the proof.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from madoguchi.core.errors import DuplicateRegistration
from madoguchi.handover import storage
from madoguchi.handover.models import JobStatus, PackageJob
from madoguchi.register.models import Participation, Program


@dataclass(frozen=True)
class ErasureTarget:
    program: Program
    resident_id: int | None = None  # None: every resident of the program

    @property
    def whole_program(self) -> bool:
        return self.resident_id is None


@dataclass(frozen=True)
class Eraser:
    kind: str
    label: str
    count: Callable[[ErasureTarget], int]
    erase: Callable[[ErasureTarget], int]
    order: int = 100
    models: tuple[str, ...] = ()  # "app.Model" labels of the tables it erases (rows or personal fields)


_erasers: dict[str, Eraser] = {}
_types: dict[str, str] = {}  # kind -> program type, for erasers of tables only one type keeps


def register_eraser(eraser: Eraser, *, program_type: str = "") -> None:
    """Register an eraser: for every program (``program_type`` empty: the engines' tables) or for the
    programs of one type (ADR 0010).  A second eraser of the same kind raises
    :class:`~madoguchi.core.errors.DuplicateRegistration`."""
    if eraser.kind in _erasers:
        raise DuplicateRegistration(f"an eraser of kind {eraser.kind!r} is already registered")
    _erasers[eraser.kind] = eraser
    if program_type:
        _types[eraser.kind] = program_type


def unregister_eraser(kind: str) -> None:
    _erasers.pop(kind, None)
    _types.pop(kind, None)


def erasers(program_type: str | None = None) -> list[Eraser]:
    """Erasers in running order: all of them (``program_type`` None), or those that apply to a program of
    the type (the engines' and the type's own)."""
    chosen = [e for e in _erasers.values()
              if program_type is None or _types.get(e.kind, program_type) == program_type]
    return sorted(chosen, key=lambda e: (e.order, e.kind))


def plan(target: ErasureTarget) -> list[dict[str, object]]:
    """What an erasure of the target would erase: (kind, label, count) per eraser that applies."""
    return [{"kind": e.kind, "label": e.label, "count": e.count(target)}
            for e in erasers(target.program.program_type)]


# --- participations (register) ------------------------------------------------------------------------

def _participations(target: ErasureTarget) -> QuerySet[Participation]:
    qs = Participation.objects.filter(program=target.program)
    if target.resident_id is not None:
        qs = qs.filter(resident_id=target.resident_id)
    return qs


def _erase_participations(target: ErasureTarget) -> int:
    _total, per_model = _participations(target).delete()
    return int(per_model.get(Participation._meta.label, 0))


register_eraser(Eraser("participations", "事業への参加（参加者・対象者の記録）",
                       lambda t: _participations(t).count(), _erase_participations, order=900,
                       models=("register.Participation",)))


# --- package files (handover) ----------------------------------------------------------------------------

def _packages(target: ErasureTarget) -> QuerySet[PackageJob]:
    if not target.whole_program:
        return PackageJob.objects.none()  # a package is erased as a whole, with the program
    return PackageJob.objects.filter(program=target.program).exclude(status=JobStatus.ERASED)


def _erase_packages(target: ErasureTarget) -> int:
    """Forget the password and the file; the file itself is overwritten and removed once the erasure commits
    (so that a failed erasure leaves every package as it was)."""
    done = 0
    for job in _packages(target):
        relative = job.file_path
        transaction.on_commit(lambda relative=relative: storage.remove(relative))  # type: ignore[misc]
        job.file_path = ""
        job.password = ""
        job.status = JobStatus.ERASED
        job.save(update_fields=["file_path", "password", "status"])
        done += 1
    return done


register_eraser(Eraser("packages", "受渡データの控え（暗号化ZIPとパスワード）",
                       lambda t: _packages(t).count(), _erase_packages, order=50, models=("handover.PackageJob",)))
