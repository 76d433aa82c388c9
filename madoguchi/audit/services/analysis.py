"""Access-log analysis for a period: what an auditor or the privacy office must look at.

(a) access outside office hours (``settings.OFFICE_HOURS``, weekends, holidays, 12/29–1/3; Asia/Tokyo),
(b) bulk access: one action above ``settings.AUDIT_BULK_THRESHOLD`` residents, and one user's total per day,
(c) denied attempts, (d) break-glass access, (e) access by contractors' users on days without a valid
contract (asked through :mod:`madoguchi.core.contracts`, which the register answers).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services.access import require_audit_reader
from madoguchi.audit.services.record import record_access
from madoguchi.core.calendar import is_office_business_day
from madoguchi.core.contracts import contract_providers_registered, has_valid_contract
from madoguchi.core.sheets import csv_writer

TOKYO = ZoneInfo("Asia/Tokyo")
MAX_FINDINGS = 1000  # per section shown; the total is always counted
CONTRACTOR_ROLES = frozenset({Role.CONTRACTOR, Role.SUBCONTRACTOR})
SECTIONS = [
    ("after_hours", "時間外のアクセス", "開庁時間外（平日{start}時〜{end}時以外、土日祝日、年末年始）の操作"),
    ("bulk_action", "大量の閲覧・出力（1操作）", "1回の操作で{threshold}人を超える住民に関わったもの"),
    ("bulk_daily", "大量の閲覧・出力（利用者・日ごと）", "1人の利用者が1日に{threshold}人を超える住民に関わったもの（延べ）"),
    ("denied", "拒否されたアクセス", "権限がない、ログイン失敗、登録端末外などで拒否された操作"),
    ("break_glass", "緊急閲覧（ブレークグラス）", "理由を入力して範囲外の記録を開いた操作"),
    ("contract_ended", "契約期間外の委託先によるアクセス", "承認された登録の委託期間外に委託先・再委託先の利用者が行った操作"),
]


@dataclass(frozen=True)
class Finding:
    row_id: int | None
    at: dt.datetime | dt.date
    username: str
    organisation: str
    role: str
    action: str
    residents: int
    program: str = ""
    detail: str = ""


@dataclass
class Section:
    key: str
    title: str
    description: str
    findings: list[Finding] = field(default_factory=list)
    total: int = 0
    keep: int | None = MAX_FINDINGS

    def add(self, finding: Finding) -> None:
        self.total += 1
        if self.keep is None or len(self.findings) < self.keep:
            self.findings.append(finding)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.findings)


@dataclass
class AnalysisReport:
    start: dt.date
    end: dt.date
    threshold: int
    office_hours: tuple[int, int]
    rows_scanned: int
    contracts_checked: bool
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


@dataclass
class _Daily:
    residents: int = 0
    actions: int = 0
    organisation: str = ""
    role: str = ""


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in Tokyo time."""
    return (dt.datetime.combine(start, dt.time(), tzinfo=TOKYO),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=TOKYO))


@lru_cache(maxsize=4096)
def _office_day(day: dt.date) -> bool:
    return is_office_business_day(day)


def is_office_hours(moment: dt.datetime) -> bool:
    local = moment.astimezone(TOKYO)
    start_hour, end_hour = settings.OFFICE_HOURS
    return start_hour <= local.hour < end_hour and _office_day(local.date())


def analyse_period(start: dt.date, end: dt.date, *, threshold: int | None = None,
                   max_findings: int | None = MAX_FINDINGS) -> AnalysisReport:
    """Scan the rows of the period once (values only, in chunks) and collect the findings (at most
    ``max_findings`` kept per section, all counted; ``None`` keeps all)."""
    if end < start:
        raise ValueError("期間の終わりが始まりより前です。")
    limit = settings.AUDIT_BULK_THRESHOLD if threshold is None else threshold
    office = tuple(settings.OFFICE_HOURS)
    sections = {key: Section(key, title, text.format(start=office[0], end=office[1], threshold=limit),
                             keep=max_findings)
                for key, title, text in SECTIONS}
    check_contracts = contract_providers_registered()
    contract_cache: dict[tuple[str, dt.date], bool | None] = {}
    daily: dict[tuple[str, dt.date], _Daily] = defaultdict(_Daily)
    low, high = period_bounds(start, end)
    rows = (AccessLog.objects.filter(at__gte=low, at__lt=high).order_by("id")
            .values_list("id", "at", "user_id_ref", "username", "organisation", "role", "action",
                         "resident_count", "program", "allowed", "break_glass", "reason")
            .iterator(chunk_size=5000))
    scanned = 0
    for (row_id, at, user_ref, username, org, role, action, count, program, allowed, break_glass,
         reason) in rows:
        scanned += 1
        local = at.astimezone(TOKYO)
        finding = Finding(row_id, local, username, org, role, action, count, program)
        if not allowed:
            sections["denied"].add(Finding(row_id, local, username, org, role, action, count, program, reason))
            continue
        if break_glass:
            sections["break_glass"].add(Finding(row_id, local, username, org, role, action, count, program,
                                                reason))
        if user_ref is not None and not is_office_hours(local):
            sections["after_hours"].add(finding)
        if count > limit:
            sections["bulk_action"].add(finding)
        if count and user_ref is not None:
            totals = daily[(username, local.date())]
            totals.residents += count
            totals.actions += 1
            totals.organisation, totals.role = org, role
        if check_contracts and role in CONTRACTOR_ROLES and org:
            key = (org, local.date())
            if key not in contract_cache:
                contract_cache[key] = has_valid_contract(org, local.date())
            if contract_cache[key] is False:
                sections["contract_ended"].add(finding)
    for (username, day), t in sorted(daily.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if t.residents > limit:
            sections["bulk_daily"].add(Finding(None, day, username, t.organisation, t.role, f"{t.actions}件の操作",
                                               t.residents))
    return AnalysisReport(start, end, limit, (office[0], office[1]), scanned, check_contracts,
                          [sections[key] for key, _t, _d in SECTIONS])


def analyse_audit_log(*, actor: Actor, start: dt.date, end: dt.date, threshold: int | None = None,
                      max_findings: int | None = MAX_FINDINGS) -> AnalysisReport:
    """The analysis as the auditor or the privacy office asks for it: checked, run, and logged."""
    require_audit_reader(actor)
    report = analyse_period(start, end, threshold=threshold, max_findings=max_findings)
    counts = "、".join(f"{s.title} {s.total}件" for s in report.sections)
    record_access(actor=actor, action=AuditEvent.AUDIT_ANALYSIS, target=f"分析 {start}〜{end}: {counts}"[:200])
    return report


CSV_HEADER = ["区分", "行ID", "日時", "利用者", "組織", "ロール", "操作", "対象件数", "事業", "内容"]


def _when(value: dt.datetime | dt.date) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, dt.datetime) else value.isoformat()


def report_rows(report: AnalysisReport) -> Iterator[list[str]]:
    for section in report.sections:
        for f in section.findings:
            yield [section.title, "" if f.row_id is None else str(f.row_id), _when(f.at), f.username,
                   f.organisation, f.role, f.action, str(f.residents), f.program, f.detail]


def report_csv(report: AnalysisReport) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(report_rows(report))
    return buffer.getvalue()


def report_text(report: AnalysisReport) -> str:
    lines = [f"アクセスログ分析 {report.start}〜{report.end}（{report.rows_scanned:,}行を分析、"
             f"大量アクセスの基準 {report.threshold}人、開庁時間 {report.office_hours[0]}〜{report.office_hours[1]}時）"]
    if not report.contracts_checked:
        lines.append("注意: 契約期間の照会先が登録されていないため、契約期間外のアクセスは分析していません。")
    for section in report.sections:
        lines.append("")
        lines.append(f"■ {section.title}: {section.total}件")
        for f in section.findings:
            extra = f" 事業={f.program}" if f.program else ""
            extra += f" 内容={f.detail}" if f.detail else ""
            ident = f"#{f.row_id} " if f.row_id is not None else ""
            lines.append(f"  {ident}{_when(f.at)} {f.username}（{f.organisation or '-'}/{f.role or '-'}） "
                         f"{f.action} {f.residents}人{extra}")
        if section.truncated:
            lines.append(f"  …ほか {section.total - len(section.findings)}件（表示は{section.keep}件まで）")
    return "\n".join(lines) + "\n"
