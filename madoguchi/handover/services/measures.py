"""The status of each ○ measure of a program's approved registration, from its evidence.

Statuses (issue: evidence behind every measure):
- ``proven`` 証明済み — the evidence the measure's rule asks for is there (this fiscal year, for yearly ones);
- ``due`` 期限内 — not yet, but its time has not run out (``due_on`` says until when);
- ``overdue`` 期限切れ — its time has run out without the evidence;
- ``none_needed`` 記録不要 — nothing to prove now (no rule for the measure, a contract not started, no
  sub-contractor, no incident).

The rules are :mod:`madoguchi.register.evidence_rules`.  Measures of the 業務委託 checklist are judged per
contract (委託・再委託) of the registration; the others once for the program.  Lives in ``handover``
because the ledger (管理簿) is evidence too and the register may not import it (ADR 0001).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from madoguchi.audit.models import AccessLog
from madoguchi.core.era import format_wareki
from madoguchi.handover.models import LedgerEntry
from madoguchi.register.evidence_rules import ERASURE_GRACE_DAYS, EvidenceRule, rule_for
from madoguchi.register.models import (
    ChecklistKind,
    ChecklistMeasure,
    Evidence,
    EvidenceKind,
    Outsourcing,
    Program,
    Revision,
)
from madoguchi.register.services.evidence import applied_measures

PROVEN, DUE, OVERDUE, NONE_NEEDED = "proven", "due", "overdue", "none_needed"
LABELS = {PROVEN: "証明済み", DUE: "期限内", OVERDUE: "期限切れ", NONE_NEEDED: "記録不要"}
SEVERITY = {OVERDUE: 0, DUE: 1, PROVEN: 2, NONE_NEEDED: 3}


@dataclass
class MeasureStatus:
    measure: ChecklistMeasure
    outsourcing: Outsourcing | None
    status: str
    detail: str
    due_on: dt.date | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def contractor_name(self) -> str:
        if self.outsourcing is None:
            return ""
        o = self.outsourcing
        return f"{o.contractor.name}（再委託）" if o.parent_id else o.contractor.name


def fiscal_year_start(day: dt.date) -> dt.date:
    """April 1 of the fiscal year (年度) that holds ``day``."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _fy_label(day: dt.date) -> str:
    start = fiscal_year_start(day)
    return format_wareki(start).split("年")[0] + "年度"


def _yearly(rule: EvidenceRule, found: list[Evidence], start: dt.date | None, end: dt.date | None,
            today: dt.date) -> tuple[str, str, dt.date | None]:
    kind = EvidenceKind(rule.kind).label
    if start is not None and start > today:
        return NONE_NEEDED, f"契約の開始（{format_wareki(start)}）前です。", None
    if end is not None and end < fiscal_year_start(today):
        if any((start is None or e.happened_on >= start) and e.happened_on <= end for e in found):
            return PROVEN, f"契約期間中の{kind}の記録があります。", None
        return OVERDUE, f"契約期間（{format_wareki(end)}まで）中の{kind}の記録がありません。", end
    fy_start = fiscal_year_start(today)
    fy_end = dt.date(fy_start.year + 1, 3, 31)
    due_on = min(fy_end, end) if end else fy_end
    if any(e.happened_on >= fy_start for e in found):
        return PROVEN, f"{_fy_label(today)}の{kind}の記録があります。", None
    recent = any(e.happened_on > today - dt.timedelta(days=365) for e in found)
    if recent or (start is not None and start > today - dt.timedelta(days=365)):
        return DUE, f"{_fy_label(today)}の{kind}はまだ記録されていません。", due_on
    return OVERDUE, f"{_fy_label(today)}の{kind}の記録がなく、最後の記録から1年を過ぎています。", due_on


def _contract_start(found: list[Evidence], start: dt.date | None, today: dt.date) -> tuple[str, str, dt.date | None]:
    if start is None:
        return NONE_NEEDED, "委託がありません。", None
    if any(e.happened_on >= start - dt.timedelta(days=30) for e in found):
        return PROVEN, "この契約の取扱責任者・取扱者の名簿があります。", None
    if start > today:
        return DUE, "契約の開始までに名簿を受け取ります。", start
    older = " 記録されている名簿は契約より古いものです。" if found else ""
    return OVERDUE, f"契約（{format_wareki(start)}開始）の取扱責任者・取扱者の名簿がありません。{older}", start


def _after_end(found: list[Evidence], start: dt.date | None, end: dt.date | None,
               today: dt.date) -> tuple[str, str, dt.date | None]:
    if end is None:
        if found:
            return PROVEN, "消去の報告があります。", None
        return NONE_NEEDED, "事業・契約の終了後に消去の報告を受けます。", None
    # the final report: dated in the contract's last 30 days or after it (interim reports are kept, not final)
    if any(e.happened_on >= end - dt.timedelta(days=ERASURE_GRACE_DAYS) for e in found):
        return PROVEN, "契約の終了時の消去の報告があります。", None
    due_on = end + dt.timedelta(days=ERASURE_GRACE_DAYS)
    interim = f"（途中の消去報告 {len(found)}件）" if found else ""
    if today <= due_on:
        return DUE, (f"契約の終了（{format_wareki(end)}）後{ERASURE_GRACE_DAYS}日以内に消去の報告を受けます。"
                     f"{interim}"), due_on
    return OVERDUE, f"契約の終了（{format_wareki(end)}）から{ERASURE_GRACE_DAYS}日を過ぎても消去の報告がありません。", due_on


def _incidents(incidents: list[Evidence], today: dt.date) -> tuple[str, str, dt.date | None]:
    if not incidents:
        return NONE_NEEDED, "事故の記録はありません。", None
    open_ = [e for e in incidents if e.reported_to_ward_on is None]
    if not open_:
        return PROVEN, f"事故{len(incidents)}件すべてに書面の報告があります。", None
    due_on = min((e.first_reported_on or e.happened_on) + dt.timedelta(days=14) for e in open_)
    state = DUE if today <= due_on else OVERDUE
    return state, f"事故{len(open_)}件に書面の報告がありません（第一報から14日以内）。", due_on


def _certificates_missing(program: Program, outsourcing: Outsourcing, today: dt.date) -> list[LedgerEntry]:
    late = today - dt.timedelta(days=ERASURE_GRACE_DAYS)
    entries = LedgerEntry.objects.filter(program=program, recipient_id=outsourcing.contractor_id,
                                         return_due__isnull=False, certificate_path="")
    return [e for e in entries if (e.returned_on and e.returned_on < late) or
            (e.returned_on is None and e.return_due is not None and e.return_due < late)]


def _judge(rule: EvidenceRule | None, measure: ChecklistMeasure, outsourcing: Outsourcing | None,
           revision: Revision, evidence: list[Evidence], today: dt.date) -> MeasureStatus:
    if rule is None:
        return MeasureStatus(measure, outsourcing, NONE_NEEDED, "記録の定めのない対策です（任意で記録できます）。",
                             evidence=[e for e in evidence if measure in e.measures.all()])
    program = revision.program
    mine = [e for e in evidence if e.kind == rule.kind and measure in e.measures.all()
            and (outsourcing is None or e.outsourcing_id == outsourcing.pk)]
    start = outsourcing.start_date if outsourcing else revision.start_date
    end = outsourcing.end_date if outsourcing else revision.end_date
    due_on: dt.date | None = None
    if rule.cadence == "yearly":
        state, detail, due_on = _yearly(rule, mine, start, end, today)
    elif rule.cadence == "contract_start":
        state, detail, due_on = _contract_start(mine, start, today)
    elif rule.cadence == "after_contract_end":
        state, detail, due_on = _after_end(mine, start, end, today)
        if outsourcing is not None and (missing := _certificates_missing(program, outsourcing, today)):
            state = OVERDUE
            detail += f" 返却から{ERASURE_GRACE_DAYS}日を過ぎても消去証明書のない受渡しが{len(missing)}件あります。"
    elif rule.cadence == "per_incident":
        mine = [e for e in evidence if e.kind == EvidenceKind.INCIDENT]
        state, detail, due_on = _incidents(mine, today)
    elif rule.cadence == "ledger":
        entries = LedgerEntry.objects.filter(program=program)
        if outsourcing is not None:
            entries = entries.filter(recipient_id=outsourcing.contractor_id)
        count = entries.count()
        if count:
            state, detail = PROVEN, f"受渡管理簿に{count}件の記録があります。"
        elif outsourcing is not None and not outsourcing.hands_over_data:
            state, detail = NONE_NEEDED, "個人情報の引渡しのない委託です。"
        else:
            state, detail = DUE, "受渡管理簿の記録はまだありません（受渡しのときに記録されます）。"
    else:  # access_log
        count = AccessLog.objects.filter(program=program.code).count()
        state, detail = (PROVEN, f"アクセスログに{count:,}件の記録があります。") if count else \
            (DUE, "アクセスログの記録はまだありません。")
    return MeasureStatus(measure, outsourcing, state, detail, due_on, mine)


def _targets(measure: ChecklistMeasure, rule: EvidenceRule | None,
             outsourcings: list[Outsourcing]) -> Iterable[Outsourcing | None]:
    if measure.template.kind != ChecklistKind.OUTSOURCING:
        return [None]
    chosen = [o for o in outsourcings if o.parent_id] if rule and rule.subcontracts_only else outsourcings
    return chosen or [None]


def measure_statuses(program: Program, *, today: dt.date | None = None) -> list[MeasureStatus]:
    """One status per ○ measure (per contract for the 業務委託 checklist) of the approved registration.

    Returns an empty list when the program has no approved registration.  ``today`` defaults to the
    local date (Asia/Tokyo).
    """
    today = today or timezone.localdate()
    revision = program.approved_revision()
    if revision is None:
        return []
    outsourcings = list(Outsourcing.objects.filter(revision=revision).select_related("contractor")
                        .order_by("parent_id", "id"))
    evidence = list(Evidence.objects.filter(program=program).prefetch_related("measures"))
    result: list[MeasureStatus] = []
    for measure in applied_measures(revision):
        rule = rule_for(measure.key)
        if rule is not None and rule.subcontracts_only and not any(o.parent_id for o in outsourcings):
            result.append(MeasureStatus(measure, None, NONE_NEEDED, "再委託先がありません。"))
            continue
        for outsourcing in _targets(measure, rule, outsourcings):
            result.append(_judge(rule, measure, outsourcing, revision, evidence, today))
    return result


def status_counts(statuses: list[MeasureStatus]) -> dict[str, int]:
    """How many statuses are in each state: {"proven": n, "due": n, "overdue": n, "none_needed": n}."""
    counts = dict.fromkeys(LABELS, 0)
    for s in statuses:
        counts[s.status] += 1
    return counts


def worst_labels(program: Program) -> dict[str, str]:
    """{measure key: label of its worst status over the program's contracts} (the council document's 証跡 column)."""
    worst: dict[str, MeasureStatus] = {}
    for s in measure_statuses(program):
        key = s.measure.key
        if key not in worst or SEVERITY[s.status] < SEVERITY[worst[key].status]:
            worst[key] = s
    return {key: s.label for key, s in worst.items()}
