"""Enrolment: bringing residents into a program (Participation), the step before every operation on them.

Three routes, one set of checks (ADR 0010):

- :func:`enrol_from_master` — by one of the type's extraction rules (e.g. the fiscal-year cohort of seed 004);
- :func:`enrol_from_csv` — a roster CSV with the column 住民番号;
- :func:`enrol_resident` — one resident by 住民番号.

Each is allowed only to the staff of the department that owns the program, only while the program's newest
decided revision is approved (not withdrawn), and only where that revision declares the person scope the
route fills (the rule's scope, or the type's roster scope).  Each person must be inside the type's rule
(age, residence, cohort …).  A CSV is checked whole first: on any bad line nothing is enrolled and every
line is reported (line, column, reason).  The enrolment and its access-log rows (one per 1,000 residents)
are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.csvio import read_all_rows
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected, RowError
from madoguchi.programs.registry import UnknownProgramType, spec_for
from madoguchi.programs.spec import ProgramTypeSpec
from madoguchi.register.models import Participation, PersonScope, Program
from madoguchi.register.policy import OWNER, policy_for
from madoguchi.register.services.participations import add_participations
from madoguchi.register.services.scopes import require_declared_scope
from madoguchi.residents.models import Resident, ResidentStatus

LOG_CHUNK = 1000  # resident ids per access-log row
LOOKUP_CHUNK = 5000  # 住民番号 per lookup query
# Fields of a resident loaded for the checks; a type's ``admits`` that reads others loads them on access.
PERSON_FIELDS = ("id", "resident_no", "birth_date", "status", "sex", "address", "household_no", "relation")
COLUMN = "住民番号"


@dataclass(frozen=True)
class EnrolmentResult:
    """What an enrolment did: residents added, residents skipped because already enrolled (master only)."""

    program_code: str
    source: str  # "master:<rule>", "csv", "resident"
    scope: str  # the declared person scope filled
    added: int
    already: int = 0


def registered_in_ward(program: Program, resident: Resident, on: dt.date) -> str:
    """The default person check: '' when the resident is registered (住登) in the ward, else the reason."""
    if resident.status != ResidentStatus.REGISTERED:
        return f"住民記録の状態が「{resident.status}」です（区内に住民登録のある人だけが対象です）"
    return ""


def _spec(program: Program) -> ProgramTypeSpec:
    try:
        return spec_for(program)
    except UnknownProgramType as exc:
        raise BusinessRuleError(str(exc)) from exc


def _require_may_enrol(actor: Actor, program: Program, keyword: str) -> PersonScope:
    """Owner department staff, program in force, scope declared; raises AccessRefused with the reason."""
    user = actor.user
    if user is None or user.role != Role.DEPARTMENT_STAFF or user.organisation_id != program.department_id:
        raise AccessRefused("対象者の取込みは、事業を所管する課の職員だけが行えます。", program=program.code,
                            action="program.enrol")
    scope = require_declared_scope(program, keyword)
    grant = policy_for(actor).require(program.code)
    if grant.kind != OWNER:
        raise AccessRefused("対象者の取込みは、事業を所管する課の職員だけが行えます。", program=program.code,
                            action="program.enrol")
    return scope


def _roster_scope(spec: ProgramTypeSpec, program: Program) -> str:
    if not spec.roster_scope:
        raise BusinessRuleError(f"事業類型「{spec.label}」は名簿や1人ずつの取込みで対象者を登録しません"
                                f"（{program.name}）。")
    return spec.roster_scope


def _write(*, program: Program, ids: Sequence[int], role: str, actor: Actor, purpose: str) -> None:
    add_participations(program=program, resident_ids=ids, role=role)
    for start in range(0, len(ids), LOG_CHUNK):
        record_access(actor=actor, action=AuditEvent.PROGRAM_ENROL, residents=ids[start:start + LOG_CHUNK],
                      target=f"program:{program.code}", program=program.code, purpose=purpose[:200])


def enrol_from_master(*, program: Program, rule: str, actor: Actor, on: dt.date | None = None) -> EnrolmentResult:
    """Enrol everyone the type's extraction rule ``rule`` selects from the master on ``on`` (default today).

    Residents already enrolled are left as they are (a rerun adds only the new ones).  Raises
    :class:`BusinessRuleError` for an unregistered type or an unknown rule, :class:`AccessRefused` when the
    actor, the program's state or its declared scopes do not allow it."""
    spec = _spec(program)
    extraction = spec.extraction_rule(rule)
    if extraction is None:
        known = "、".join(f"{r.code}（{r.label}）" for r in spec.extraction_rules) or "なし"
        raise BusinessRuleError(f"事業類型「{spec.label}」に抽出条件「{rule}」はありません（使える条件: {known}）。")
    scope = _require_may_enrol(actor, program, extraction.scope)
    day = on or timezone.localdate()
    with transaction.atomic():
        selected = set(extraction.residents(program, day).values_list("id", flat=True))
        existing = set(Participation.objects.filter(program=program).values_list("resident_id", flat=True))
        new = sorted(selected - existing)
        _write(program=program, ids=new, role=spec.roster_role, actor=actor,
               purpose=f"対象者の抽出（{extraction.label}）")
    return EnrolmentResult(program.code, f"master:{rule}", scope.name, len(new), len(selected & existing))


def _check_people(spec: ProgramTypeSpec, program: Program, numbers: Iterable[tuple[int, str]],
                  day: dt.date) -> tuple[list[int], list[RowError]]:
    """Check (line, 住民番号) pairs; returns resident ids in order and the errors (line, column, reason)."""
    pairs = list(numbers)
    wanted = [n for _l, n in pairs if n]
    found: dict[str, Resident] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        found.update((r.resident_no, r) for r in Resident.objects.filter(resident_no__in=wanted[start:start + LOOKUP_CHUNK])
                     .only(*PERSON_FIELDS))
    enrolled = set(Participation.objects.filter(program=program).values_list("resident_id", flat=True))
    admits = spec.roster_admits or registered_in_ward
    first_line: dict[str, int] = {}
    ids: list[int] = []
    errors: list[RowError] = []
    for line, number in pairs:
        if not number:
            errors.append(RowError(line, COLUMN, "住民番号が空です"))
            continue
        if number in first_line:
            errors.append(RowError(line, COLUMN, f"同じ住民番号 {number} が {first_line[number]} 行目にもあります"))
            continue
        first_line[number] = line
        resident = found.get(number)
        if resident is None:
            errors.append(RowError(line, COLUMN, f"住民番号 {number} は住民記録にありません"))
            continue
        if resident.pk in enrolled:
            errors.append(RowError(line, COLUMN, f"住民番号 {number} の人は既にこの事業の対象者です"))
            continue
        reason = admits(program, resident, day)
        if reason:
            errors.append(RowError(line, COLUMN, f"住民番号 {number}: {reason}"))
            continue
        ids.append(resident.pk)
    return ids, errors


def enrol_from_csv(*, program: Program, data: bytes, actor: Actor, on: dt.date | None = None) -> EnrolmentResult:
    """Enrol the residents of a roster CSV (column 住民番号; UTF-8 or CP932).

    All or nothing: raises :class:`ImportRejected` listing every bad line (unknown 住民番号, the same person
    twice, a person already enrolled, a person outside the type's rule), :class:`BusinessRuleError` for an
    unregistered type or a type without roster enrolment, :class:`AccessRefused` as
    :func:`enrol_from_master`."""
    spec = _spec(program)
    scope = _require_may_enrol(actor, program, _roster_scope(spec, program))
    _header, rows, errors = read_all_rows(data, required=[COLUMN])
    ids, row_errors = _check_people(spec, program, ((r.line, (r.values.get(COLUMN) or "").strip()) for r in rows),
                                    on or timezone.localdate())
    errors += row_errors
    if not rows and not errors:
        errors.append(RowError(0, "", "データの行がありません"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    with transaction.atomic():
        _write(program=program, ids=ids, role=spec.roster_role, actor=actor, purpose=f"名簿による対象者の登録（{len(ids)}人）")
    return EnrolmentResult(program.code, "csv", scope.name, len(ids))


def enrol_resident(*, program: Program, resident_no: str, actor: Actor, on: dt.date | None = None) -> EnrolmentResult:
    """Enrol one resident by 住民番号; raises :class:`BusinessRuleError` with the reason when the person is
    unknown, already enrolled or outside the type's rule, and otherwise as :func:`enrol_from_csv`."""
    spec = _spec(program)
    scope = _require_may_enrol(actor, program, _roster_scope(spec, program))
    number = unicodedata.normalize("NFKC", resident_no).strip()  # full-width digits as typed on a Japanese keyboard
    ids, errors = _check_people(spec, program, [(0, number)], on or timezone.localdate())
    if errors:
        raise BusinessRuleError(errors[0].reason + "。登録していません。")
    with transaction.atomic():
        _write(program=program, ids=ids, role=spec.roster_role, actor=actor, purpose="対象者の登録（1人）")
    return EnrolmentResult(program.code, "resident", scope.name, len(ids))


# --- used by the demo: ids chosen by the demo itself, through the same checks of program and scope --------

def enrol_residents(*, program: Program, resident_ids: Iterable[int], actor: Actor, purpose: str) -> int:
    """Enrol residents chosen by id (the demo's stand-ins for rosters not yet importable, e.g. the child
    allowance of issue 11), under the type's roster scope; residents already enrolled are skipped.
    Returns how many were added.  Raises as :func:`enrol_from_csv` for the program's state and scope."""
    spec = _spec(program)
    _require_may_enrol(actor, program, _roster_scope(spec, program))
    ids = sorted(set(resident_ids))
    with transaction.atomic():
        existing = set(Participation.objects.filter(program=program, resident_id__in=ids)
                       .values_list("resident_id", flat=True))
        new = [rid for rid in ids if rid not in existing]
        _write(program=program, ids=new, role=spec.roster_role, actor=actor, purpose=purpose)
    return len(new)


def child_allowance_recipient_ids(children_from: dt.date, children_to: dt.date) -> list[int]:
    """Heads of the households (住登) with a child born in the range: the demo's stand-in for the
    child-allowance recipients on the base date (seed 003; the real roster import is issue 11)."""
    households = set(Resident.objects.filter(status=ResidentStatus.REGISTERED, birth_date__gte=children_from,
                                             birth_date__lte=children_to).exclude(household_no="")
                     .values_list("household_no", flat=True))
    return list(Resident.objects.filter(household_no__in=households, relation="世帯主",
                                        status=ResidentStatus.REGISTERED).values_list("id", flat=True))
