"""Which evidence proves which shipped measure, and how often (the "evidence rule" of a measure).

Keys are the shipped checklist measures (``data/checklists.json``); a measure the municipality adds has no
rule: evidence may still be recorded for it, and its status is "記録の定めなし".

Cadences:
- ``yearly``: at least once per fiscal year (April–March) while the contract runs — the special clauses'
  「年度当たり1回以上」 on-site confirmation (seed 002, 乙 clause 19 / 丙 clause 20), training, attestations
  of locked storage and entry-room records;
- ``contract_start``: once, dated on or after the contract's start (a handler list older than the
  contract does not name the people who work on it);
- ``after_contract_end``: once the contract has ended, within :data:`ERASURE_GRACE_DAYS` days (the
  contractor's report that it erased the data on its own systems; the hand-over ledger's certificates
  for returned media are checked beside it);
- ``per_incident``: every incident recorded for the program has its first report (none needed when
  there was none);
- ``ledger``: the hand-over ledger (管理簿) holds the program's hand-overs — kept by the system;
- ``access_log``: the access log holds the program's rows — kept by the system.
"""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.register.evidence_models import EvidenceKind

ERASURE_GRACE_DAYS = 30  # days after the contract ends (or a medium is returned) to receive the erasure report


@dataclass(frozen=True)
class EvidenceRule:
    kind: str  # an EvidenceKind value, or "" for the system-kept cadences
    cadence: str  # yearly, contract_start, after_contract_end, per_incident, ledger, access_log
    subcontracts_only: bool = False  # the measure concerns the sub-contractors (再委託先) only


INSPECTION = EvidenceRule(EvidenceKind.INSPECTION, "yearly")
ERASURE = EvidenceRule(EvidenceKind.CONTRACTOR_ERASURE, "after_contract_end")
INCIDENT = EvidenceRule(EvidenceKind.INCIDENT, "per_incident")
ATTESTATION = EvidenceRule(EvidenceKind.ATTESTATION, "yearly")
ACCESS_LOG = EvidenceRule("", "access_log")

RULES: dict[str, EvidenceRule] = {
    # 電算処理 / 外部結合: on-site confirmation, erasure reports, incidents, entry rooms, access logs
    **{f"{p}-op-02": INSPECTION for p in ("cw", "cc", "lw", "lc")},
    **{f"{p}-op-03": ERASURE for p in ("cw", "cc", "lw", "lc")},
    **{f"{p}-op-05": INCIDENT for p in ("cw", "cc", "lw", "lc")},
    "cw-op-06": ATTESTATION,
    **{f"{p}-te-10": ATTESTATION for p in ("cw", "cc", "lw", "lc")},
    **{f"{p}-te-08": ACCESS_LOG for p in ("cw", "cc", "lw", "lc")},
    **{f"{p}-op-01": EvidenceRule(EvidenceKind.TRAINING, "yearly") for p in ("cc", "lc")},
    # 業務委託
    "ow-op-02": INSPECTION, "oc-op-02": INSPECTION,
    "ow-op-03": EvidenceRule(EvidenceKind.INSPECTION, "yearly", subcontracts_only=True),
    "oc-op-03": EvidenceRule(EvidenceKind.INSPECTION, "yearly", subcontracts_only=True),
    "ow-op-04": EvidenceRule(EvidenceKind.HANDLER_LIST, "contract_start"),
    "oc-op-04": EvidenceRule(EvidenceKind.HANDLER_LIST, "contract_start"),
    "oc-op-01": EvidenceRule(EvidenceKind.TRAINING, "yearly"),
    "ow-op-08": EvidenceRule("", "ledger"), "oc-op-08": EvidenceRule("", "ledger"),
    "ow-op-09": ATTESTATION, "oc-op-09": ATTESTATION,
    "ow-op-10": ERASURE, "oc-op-10": ERASURE,
    "ow-op-12": INCIDENT, "oc-op-12": INCIDENT,
    "ow-te-10": ATTESTATION, "oc-te-10": ATTESTATION,
    "ow-te-08": ACCESS_LOG, "oc-te-08": ACCESS_LOG,
}


def rule_for(measure_key: str) -> EvidenceRule | None:
    """The evidence rule of a shipped measure, or None for a measure without one."""
    return RULES.get(measure_key)
