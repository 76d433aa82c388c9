"""Evidence from operations shown beside the register (ARCHITECTURE: "what operations record as evidence …
is shown back beside each measure"): counts from the access log and the ledger, the status of each ○
measure with its evidence, the form to record evidence, and the privacy office's board across programs.
No residents' data.  The counts live here because the register may not import the apps above it (ADR 0001).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused
from madoguchi.handover.selectors import HandoverEvidence, handover_evidence
from madoguchi.handover.services.measures import SEVERITY, measure_statuses, status_counts
from madoguchi.register.models import ChecklistSide, Evidence, EvidenceKind, Program
from madoguchi.register.services.access import require_read, visible_programs
from madoguchi.register.services.evidence import (
    EvidenceFile,
    EvidenceRejected,
    applied_measures,
    can_record,
    read_evidence_file,
    record_evidence,
    recordable_outsourcings,
)
from madoguchi.web.views.register_forms import JaForm, date_field


@dataclass(frozen=True)
class ProgramEvidence:
    handover: HandoverEvidence
    log_rows: int
    denied: int
    break_glass: int
    exports: int
    measures: dict[str, int]


def program_evidence(program_code: str) -> ProgramEvidence:
    stats = AccessLog.objects.filter(program=program_code).aggregate(
        rows=Count("id"),
        denied=Count("id", filter=Q(allowed=False)),
        break_glass=Count("id", filter=Q(break_glass=True)),
        exports=Count("id", filter=Q(action__in=["handover.export", "payment.export", "resident.export"])),
    )
    program = Program.objects.get(code=program_code)
    return ProgramEvidence(handover_evidence(program_code), stats["rows"], stats["denied"], stats["break_glass"],
                           stats["exports"], status_counts(measure_statuses(program)))


class EvidenceForm(JaForm):
    kind = forms.ChoiceField(label="証跡の種類", choices=EvidenceKind.choices)
    outsourcing = forms.TypedChoiceField(label="対象の委託・再委託", coerce=int, required=False, empty_value=None,
                                         help_text="委託先・再委託先についての証跡のときに選びます。")
    measures = forms.TypedMultipleChoiceField(label="証明する対策", coerce=int, widget=forms.CheckboxSelectMultiple,
                                              help_text="承認された登録で「○」の対策から選びます。")
    title = forms.CharField(label="件名", max_length=200, help_text="例: 令和8年度 立入調査（委託先事業所）")
    happened_on = date_field("実施日・作成日")
    findings = forms.CharField(label="内容・指摘事項", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_up = forms.CharField(label="改善の措置", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    follow_up_due = date_field("改善の期限", required=False)
    occurred_on = date_field("事故の発生日（事故の報告のとき）", required=False)
    first_reported_on = date_field("第一報の日（事故の報告のとき）", required=False)
    reported_to_ward_on = date_field("区への書面報告の日（事故の報告のとき）", required=False)
    file = forms.FileField(label="添付ファイル（PDF・JPEG・PNG・Excel・Word、10 MB まで）", required=False)

    def __init__(self, *args: Any, outsourcing_choices: list[tuple[Any, str]],
                 measure_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outsourcing"].choices = [("", "（区の対策・委託を限らない）"), *outsourcing_choices]  # type: ignore[attr-defined]
        self.fields["measures"].choices = measure_choices  # type: ignore[attr-defined]
        self.fields["measures"].error_messages["required"] = "証明する対策を1つ以上選んでください。"


def _measure_label(measure: Any) -> str:
    return f"{measure.template.get_kind_display()}・{measure.get_side_display()}: {measure.text}"


@login_required
def measures(request: HttpRequest, code: str) -> HttpResponse:
    """Each ○ measure of the approved registration with its status and evidence."""
    actor = Actor.from_request(request)
    program = get_object_or_404(Program.objects.select_related("department"), code=code)
    require_read(actor, program)
    statuses = sorted(measure_statuses(program), key=lambda s: (SEVERITY[s.status], s.measure.template.kind,
                                                                s.measure.order))
    return render(request, "web/register/measures.html", {
        "program": program, "revision": program.approved_revision(), "statuses": statuses,
        "counts": status_counts(statuses), "can_record": can_record(actor, program),
        "evidence": Evidence.objects.filter(program=program).select_related("outsourcing__contractor")
                                    .prefetch_related("measures")[:200],
    })


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.from_request(request)
    program = get_object_or_404(Program.objects.select_related("department"), code=code)
    require_read(actor, program)
    revision = program.approved_revision()
    if revision is None or not can_record(actor, program):
        raise AccessRefused("この事業の証跡を記録する権限がありません。", action="register.evidence",
                            target=program.code, program=program.code)
    outs = [(o.pk, f"{o.contractor.name}{'（再委託）' if o.parent_id else ''}")
            for o in recordable_outsourcings(actor, revision)]
    measures = applied_measures(revision)
    if actor.user is not None and actor.user.role in (Role.CONTRACTOR, Role.SUBCONTRACTOR):
        measures = measures.filter(side=ChecklistSide.CONTRACTOR)  # the ward's own measures are the ward's to prove
    choices = [(m.pk, _measure_label(m)) for m in measures]
    form = EvidenceForm(request.POST or None, request.FILES or None, outsourcing_choices=outs,
                        measure_choices=choices, initial={"measures": request.GET.getlist("measure")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file")
        try:
            record_evidence(program=program, actor=actor, outsourcing_id=data.pop("outsourcing"),
                            measure_ids=data.pop("measures"), **data,
                            upload=EvidenceFile(upload.name, upload.read()) if upload else None)
        except EvidenceRejected as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, "証跡を記録しました。")
            return redirect("register:measures", code=program.code)
    return render(request, "web/register/form.html", {
        "form": form, "title": "証跡を記録する", "program": program, "revision": revision,
        "submit_label": "記録する", "cancel": f"/register/{program.code}/measures/", "multipart": True,
    })


@login_required
def evidence_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    evidence = get_object_or_404(Evidence.objects.select_related("program"), pk=pk, program__code=code)
    data = read_evidence_file(evidence=evidence, actor=actor)
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{evidence.file_name}"
    return response


BOARD_ROLES = (Role.PRIVACY_OFFICE, Role.AUDITOR, Role.DEPARTMENT_STAFF)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The privacy office's board: every program's measures that are overdue or due, worst first."""
    actor = Actor.from_request(request)
    if actor.user is None or actor.user.role not in BOARD_ROLES:
        raise AccessRefused("証跡の一覧を閲覧する権限がありません。", action="register.evidence_board")
    rows = []
    for program in visible_programs(actor).order_by("code"):
        statuses = measure_statuses(program)
        if not statuses:
            continue
        open_ = sorted((s for s in statuses if s.status in ("overdue", "due")),
                       key=lambda s: (SEVERITY[s.status], s.due_on or program.created_at.date()))
        rows.append({"program": program, "counts": status_counts(statuses), "open": open_})
    return render(request, "web/register/evidence_board.html", {"rows": rows})
