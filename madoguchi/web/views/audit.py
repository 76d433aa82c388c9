"""Auditor screens: the access log (list, filter, detail, CSV), chain verification, period analysis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django import forms
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.selectors import LogFilter, iter_log, log_page
from madoguchi.audit.services import record_access
from madoguchi.audit.services.access import require_audit_reader
from madoguchi.audit.services.analysis import CSV_HEADER, MAX_FINDINGS, analyse_audit_log, report_rows
from madoguchi.audit.services.verify import verify_audit_log
from madoguchi.core.sheets import csv_writer
from madoguchi.web.templatetags.audit_tags import action_label_of
from madoguchi.web.views.admin_access import guarded

reader = guarded(require_audit_reader)
ACTION_CHOICES = [("", "すべて"), *[(e.value, f"{action_label_of(e.value)}（{e.value}）") for e in AuditEvent]]


class LogFilterForm(forms.Form):
    date_from = forms.DateField(label="期間（から）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="期間（まで）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    username = forms.CharField(label="利用者ID", required=False, max_length=150)
    organisation = forms.CharField(label="組織コード", required=False, max_length=64)
    action = forms.ChoiceField(label="操作", required=False, choices=ACTION_CHOICES)
    outcome = forms.ChoiceField(label="結果", required=False,
                                choices=[("", "すべて"), ("allowed", "許可"), ("denied", "拒否")])
    resident = forms.IntegerField(label="住民（内部ID）", required=False, min_value=1)
    program = forms.CharField(label="事業コード", required=False, max_length=64)
    break_glass = forms.BooleanField(label="緊急閲覧のみ", required=False)

    def log_filter(self) -> LogFilter:
        d = self.cleaned_data
        outcome = d.get("outcome")
        return LogFilter(
            date_from=d.get("date_from"), date_to=d.get("date_to"), username=(d.get("username") or "").strip(),
            organisation=(d.get("organisation") or "").strip(), action=d.get("action") or "",
            allowed=True if outcome == "allowed" else False if outcome == "denied" else None,
            resident_id=d.get("resident"), program=(d.get("program") or "").strip(),
            break_glass=bool(d.get("break_glass")),
        )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filter_from(request: HttpRequest) -> tuple[LogFilterForm, LogFilter]:
    form = LogFilterForm(request.GET)
    return form, form.log_filter() if form.is_valid() else LogFilter(nothing=True)


def _query_without_paging(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("before", None)
    params.pop("after", None)
    return params.urlencode()


@require_GET
@reader
def log_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    form, log_filter = _filter_from(request)
    before, after = _int(request.GET.get("before")), _int(request.GET.get("after"))
    paging = "".join([f" #{before}より前" if before else "", f" #{after}より後" if after else ""])
    record_access(actor=actor, action=AuditEvent.AUDIT_VIEW, target=f"一覧 {log_filter.describe()}{paging}"[:200])
    page = log_page(log_filter, before=before, after=after)
    return render(request, "web/audit/log_list.html", {
        "form": form, "page": page, "query": _query_without_paging(request),
    })


@require_GET
@reader
def log_detail(request: HttpRequest, actor: Actor, row_id: int) -> HttpResponse:
    row = get_object_or_404(AccessLog, pk=row_id)
    record_access(actor=actor, action=AuditEvent.AUDIT_VIEW, target=f"詳細 #{row.id}")
    return render(request, "web/audit/log_detail.html", {"row": row})


@require_GET
@reader
def log_export(request: HttpRequest, actor: Actor) -> HttpResponseBase:
    form, log_filter = _filter_from(request)
    record_access(actor=actor, action=AuditEvent.AUDIT_EXPORT, target=f"CSV {log_filter.describe()}"[:200])

    class Echo:
        def write(self, value: str) -> str:
            return value

    def lines() -> Iterator[str]:
        writer = csv_writer(Echo(), lineterminator="\r\n")
        yield "\ufeff" + writer.writerow(["ID", "日時", "利用者", "ロール", "組織", "端末アドレス", "経路", "操作",
                                          "対象", "対象住民", "対象件数", "事業", "目的", "許可", "理由", "緊急閲覧",
                                          "前行ハッシュ", "ハッシュ"])
        for r in iter_log(log_filter):
            yield writer.writerow([
                r.id, timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S.%f"), r.username, r.role,
                r.organisation, r.address, r.channel, r.action, r.target, " ".join(map(str, r.resident_ids)),
                r.resident_count, r.program, r.purpose, "許可" if r.allowed else "拒否", r.reason,
                "緊急" if r.break_glass else "", r.prev_hash, r.row_hash,
            ])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="accesslog-{stamp}.csv"'
    return response


@require_POST
@reader
def verify(request: HttpRequest, actor: Actor) -> HttpResponse:
    result = verify_audit_log(actor=actor, from_id=_int(request.POST.get("from_id")) or 1)
    if request.headers.get("HX-Request"):  # htmx swaps only 2xx answers
        return render(request, "web/audit/_verify_result.html", {"result": result})
    return render(request, "web/audit/verify.html", {"result": result}, status=200 if result.ok else 409)


class AnalysisForm(forms.Form):
    date_from = forms.DateField(label="期間（から）", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="期間（まで）", widget=forms.DateInput(attrs={"type": "date"}))
    threshold = forms.IntegerField(label="大量アクセスの基準（人）", required=False, min_value=1)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            raise forms.ValidationError("期間の終わりが始まりより前です。")
        return data


@require_GET
@reader
def analysis(request: HttpRequest, actor: Actor) -> HttpResponse:
    report = None
    if request.GET:
        form = AnalysisForm(request.GET)
        if form.is_valid():
            d = form.cleaned_data
            as_csv = request.GET.get("format") == "csv"
            report = analyse_audit_log(actor=actor, start=d["date_from"], end=d["date_to"],
                                       threshold=d.get("threshold"), max_findings=None if as_csv else MAX_FINDINGS)
            if as_csv:
                response = HttpResponse(content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = (
                    f'attachment; filename="accesslog-analysis-{report.start}-{report.end}.csv"')
                writer = csv_writer(response, lineterminator="\r\n")
                response.write("\ufeff")
                writer.writerow(CSV_HEADER)
                writer.writerows(report_rows(report))
                return response
    else:
        today = timezone.localdate()
        first = today.replace(day=1)
        form = AnalysisForm(initial={"date_from": first, "date_to": today})
    return render(request, "web/audit/analysis.html", {
        "form": form, "report": report, "query": request.GET.urlencode(),
    })
