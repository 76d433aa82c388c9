"""Duplicate and ineligibility checks of applications: against the past-grantee list (住所・氏名 only)
and against other applications of the same household in the same program; staff settle each candidate.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.matching import MATCH, POSSIBLE, Keys, Person, find_pairs, keys_of, score_pair
from madoguchi.casework.models import (
    CandidateKind,
    Case,
    DuplicateCandidate,
    PastGrantee,
    PastGranteeList,
    Settlement,
    Status,
)
from madoguchi.casework.rules import duplicate_policy
from madoguchi.casework.services.access import require_action
from madoguchi.core.csvio import read_all_rows
from madoguchi.core.errors import BusinessRuleError, ImportRejected, RowError
from madoguchi.core.gaiji import address_key, name_key
from madoguchi.register.models import Program
from madoguchi.register.services.scopes import require_declared_scope

PAST_GRANTEE_SCOPE = "過去の交付決定者"

INACTIVE = (Status.NOT_GRANTED, Status.CLOSED)


def _person_of_case(case: Case) -> Person:
    return Person(id=f"c{case.pk}", name=case.name, address=case.address, name_kana=case.name_kana,
                  birth_date=case.birth_date.isoformat() if case.birth_date else "")


def _same_household(a: Keys, b: Keys) -> bool:
    """Same address up to 号 and the same room (304号室 = -304 = ハイツ西新宿 304), or no building on one side."""
    if not a.numbers or a.base != b.base:
        return False
    if a.room and b.room:
        return a.room == b.room
    return a.building == b.building or not a.building or not b.building


def check_cases(cases: QuerySet[Case] | Iterable[Case], *, actor: Actor, log: bool = True) -> int:
    """Find candidates for the given cases; returns how many new candidates were stored."""
    cases = list(cases)
    if not cases:
        return 0
    program_id = cases[0].program_id
    policy = duplicate_policy(cases[0].program)
    exclude_past, per_household = policy.exclude_past_grantees, policy.one_per_household
    new: list[DuplicateCandidate] = []
    left = [_person_of_case(c) for c in cases]
    by_left = {f"c{c.pk}": c for c in cases}
    if exclude_past:
        grantees = list(PastGrantee.objects.filter(grantee_list__program_id=program_id))
        right = [Person(id=f"g{g.pk}", name=g.name, address=g.address) for g in grantees]
        by_right = {f"g{g.pk}": g for g in grantees}
        found: set[tuple[str, str]] = set()
        for p in find_pairs(left, right, explain=True):
            found.add((p.left_id, p.right_id))
            new.append(DuplicateCandidate(case=by_left[p.left_id], kind=CandidateKind.PAST_GRANTEE,
                                          past_grantee=by_right[p.right_id], score=p.score, verdict=p.verdict,
                                          reasons=p.reasons))
        if per_household:
            # a past grantee at the same address (another member of the household) is worth a look
            lkeys = {p.id: keys_of(p) for p in left}
            rindex: dict[str, list[Person]] = {}
            for person in right:
                rindex.setdefault(keys_of(person).base, []).append(person)
            for lid, lk in lkeys.items():
                for person in rindex.get(lk.base, []):
                    rk = keys_of(person)
                    if (lid, person.id) in found or not _same_household(lk, rk):
                        continue
                    score = score_pair(lk, rk)[0]
                    new.append(DuplicateCandidate(
                        case=by_left[lid], kind=CandidateKind.PAST_GRANTEE, past_grantee=by_right[person.id],
                        score=round(score, 4), verdict=POSSIBLE,
                        reasons=["同じ住所（建物・部屋まで）の過去の交付決定者：同一世帯か確認が必要"]))
    others = list(Case.objects.filter(program_id=program_id).exclude(status__in=INACTIVE))
    if per_household and others:
        right = [_person_of_case(c) for c in others]
        by_case = {f"c{c.pk}": c for c in others}
        rkeys = {p.id: keys_of(p) for p in right}
        rindex2: dict[str, list[str]] = {}
        for rid, rk in rkeys.items():
            rindex2.setdefault(rk.base, []).append(rid)
        pairs: dict[tuple[str, str], tuple[float, str, list[str]]] = {}
        for p in find_pairs(left, right, explain=True):
            if p.left_id != p.right_id:
                pairs[(p.left_id, p.right_id)] = (p.score, p.verdict, p.reasons)
        for person in left:
            lk = keys_of(person)
            case = by_left[person.id]
            for rid in rindex2.get(lk.base, []):
                other = by_case[rid]
                if rid == person.id or (person.id, rid) in pairs:
                    continue
                same = _same_household(lk, rkeys[rid]) or (case.household_key and case.household_key == other.household_key)
                if same:
                    pairs[(person.id, rid)] = (round(score_pair(lk, rkeys[rid])[0], 4), POSSIBLE,
                                               ["同じ住所（同一世帯）からの別の申請：1世帯1回限り"])
        for (lid, rid), (score, verdict, reasons) in pairs.items():
            new.append(DuplicateCandidate(case=by_left[lid], kind=CandidateKind.SAME_HOUSEHOLD,
                                          other_case=by_case[rid], score=score, verdict=verdict, reasons=reasons))
    created = 0
    with transaction.atomic():
        for cand in new:
            lookup: dict[str, object] = {"case": cand.case}
            if cand.past_grantee_id:
                lookup["past_grantee"] = cand.past_grantee
            else:
                lookup["other_case"] = cand.other_case
            if DuplicateCandidate.objects.filter(**lookup).exists():
                continue
            cand.save()
            created += 1
        if log:
            program = cases[0].program
            record_access(actor=actor, action=AuditEvent.DUPLICATE_CHECK, target=f"cases:{len(cases)}",
                          residents=[c.resident_id for c in cases if c.resident_id], program=program.code,
                          purpose=f"重複の確認（新しい候補 {created}件）", resident_count=len(cases))
    return created


def run_check(*, actor: Actor, program: Program) -> int:
    require_action(actor, program.code, "duplicates")
    return check_cases(Case.objects.filter(program=program).exclude(status__in=INACTIVE), actor=actor)


def settle_candidate(*, actor: Actor, candidate: DuplicateCandidate, duplicate: bool, reason: str
                     ) -> DuplicateCandidate:
    case = candidate.case
    require_action(actor, case.program.code, "duplicates")
    if not reason.strip():
        raise BusinessRuleError("確認の理由を入力してください。")
    with transaction.atomic():
        cand = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        cand.settlement = Settlement.DUPLICATE if duplicate else Settlement.NOT_DUPLICATE
        cand.settled_reason = reason.strip()
        cand.settled_by = actor.username
        cand.settled_at = timezone.now()
        cand.save()
        from madoguchi.casework.models import CaseEvent

        CaseEvent.objects.create(case=case, at=cand.settled_at, on=timezone.localdate(), actor=actor.username,
                                 organisation=actor.organisation_code,
                                 note=f"重複候補を「{cand.get_settlement_display()}」と確認: {cand.settled_reason}")
        record_access(actor=actor, action=AuditEvent.DUPLICATE_SETTLE, target=f"candidate:{cand.pk}",
                      residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                      purpose="重複候補の確認")
    return cand


def import_past_grantees(*, actor: Actor, program: Program, name: str, data: bytes) -> PastGranteeList:
    """Import a past-grantee list (columns 住所, 氏名 only); refuses the whole file on any bad row.

    Raises :class:`AccessRefused` unless the actor may configure the program and its approved revision in
    force declares the person scope 「過去の交付決定者」 (seed 000 declares it from v2 only); raises
    :class:`ImportRejected` listing every bad row (line, column, reason).  Nothing is stored on error."""
    require_action(actor, program.code, "configure")
    require_declared_scope(program, PAST_GRANTEE_SCOPE)
    header, rows, errors = read_all_rows(data, required=["住所", "氏名"], allow_unknown=False)
    grantees: list[PastGrantee] = []
    for row in rows:
        for col in ("住所", "氏名"):
            if not row.values.get(col):
                errors.append(RowError(row.line, col, "必須の値が空です"))
        grantees.append(PastGrantee(name=row.values.get("氏名", ""), address=row.values.get("住所", ""),
                                    name_key=name_key(row.values.get("氏名", "")),
                                    address_key=address_key(row.values.get("住所", ""))))
    if not grantees and not errors:
        errors.append(RowError(0, "", "データの行がありません"))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        lst = PastGranteeList.objects.create(program=program, name=name or "過去の交付決定者",
                                             imported_by=actor.username)
        for g in grantees:
            g.grantee_list = lst
        PastGrantee.objects.bulk_create(grantees, batch_size=2000)
        record_access(actor=actor, action=AuditEvent.CASE_IMPORT, target=f"past_grantees:{lst.pk}",
                      program=program.code, purpose=f"過去の交付決定者リストの取込（{len(grantees)}件）",
                      resident_count=len(grantees))
    _ = header
    return lst


__all__ = ["MATCH", "POSSIBLE", "check_cases", "import_past_grantees", "run_check", "settle_candidate"]
