"""Hand-over screens: the ledger (管理簿), export packages, returns and certificates, retention and erasure.

Views parse, call a service of :mod:`madoguchi.handover`, and render.  Refusals (AccessRefused) are logged
by the middleware; rule errors are shown as messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation
from madoguchi.core.errors import AccessRefused, BusinessRuleError, hidden_object
from madoguchi.handover import selectors
from madoguchi.handover.models import (
    ErasureRecord,
    ErasureRun,
    ErasureScope,
    ErasureStatus,
    LedgerEntry,
    PackageJob,
)
from madoguchi.handover.services import access, ledger, packages, retention
from madoguchi.handover.services.declared import declared_outsourcings
from madoguchi.handover.services.packing import ENCODINGS
from madoguchi.register.models import DataItem, Medium, Outsourcing, Program, Task
from madoguchi.residents.models import Resident

DATE = forms.DateInput(attrs={"type": "date"})


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- ledger -----------------------------------------------------------------------------------------

@require_GET
@login_required
def ledger_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    state = request.GET.get("state", "")
    program = request.GET.get("program", "")
    rows = selectors.ledger_rows(actor, state=state, program_code=program)
    return render(request, "web/handover/ledger.html", {
        "rows": rows, "state": state, "program": program, "states": selectors.STATES,
        "counts": selectors.ledger_counts(actor), "programs": selectors.ledger_programs(actor),
        "can_make": access.owned_programs(actor).exists(),
        "can_erase": access.erasure_programs(actor).exists(),
    })


@require_GET
@login_required
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = selectors.ledger_rows(actor, state=request.GET.get("state", ""),
                                 program_code=request.GET.get("program", ""))
    data = ledger.ledger_xlsx([r.entry for r in rows], actor=actor)
    name = f"handover-ledger-{timezone.localdate():%Y%m%d}.xlsx"
    return _download(data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label="返却日", widget=DATE)
    note = forms.CharField(label="確認事項（任意）", required=False, max_length=300,
                           help_text="例: 媒体・パスワード通知書とも返却を受けた。封印に異常なし。")


class CertificateForm(forms.Form):
    erased_on = forms.DateField(label="委託先の消去日", widget=DATE)
    method = forms.CharField(label="消去方法", max_length=200,
                             help_text="例: データ消去ソフトによる上書き消去、媒体の物理破壊")
    certificate = forms.FileField(label="消去証明書（PDF・PNG・JPEG、10MBまで）")


def _entry(actor: Actor, pk: int) -> Any:
    """A ledger entry the actor may see; a missing one and an unseen one are refused alike (403, logged)."""
    entry = access.ledger_queryset(actor).filter(pk=pk).first()
    if entry is None:
        raise hidden_object("受渡管理簿の記録", f"ledger:{pk}")
    return entry


@require_http_methods(["GET", "POST"])
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    entry = _entry(actor, pk)
    today = timezone.localdate()
    return_form = ReturnForm(initial={"returned_on": today})
    certificate_form = CertificateForm(initial={"erased_on": today})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    ledger.record_return(entry=entry, returned_on=return_form.cleaned_data["returned_on"],
                                         note=return_form.cleaned_data["note"], actor=actor)
                    messages.success(request, "媒体の返却を記録しました。")
                    return redirect("handover:entry", pk=entry.pk)
            elif action == "certificate":
                certificate_form = CertificateForm(request.POST, request.FILES)
                if certificate_form.is_valid():
                    d = certificate_form.cleaned_data
                    ledger.record_recipient_erasure(entry=entry, erased_on=d["erased_on"], method=d["method"],
                                                    certificate=d["certificate"], actor=actor)
                    messages.success(request, "委託先の消去と消去証明書を記録しました。")
                    return redirect("handover:entry", pk=entry.pk)
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
    may_update = _may_update(actor, entry)
    return render(request, "web/handover/entry.html", {
        "entry": entry, "row": selectors.LedgerRow(entry, today), "may_update": may_update,
        "return_form": return_form, "certificate_form": certificate_form,
    })


def _may_update(actor: Actor, entry: LedgerEntry) -> bool:
    try:
        access.require_entry_owner(actor, entry, action="handover.view")
    except AccessRefused:
        return False
    return True


@require_GET
@login_required
def entry_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    entry = _entry(actor, pk)
    data = ledger.open_certificate(entry=entry, actor=actor)
    ext = entry.certificate_path.rsplit(".", 1)[-1]
    types = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    return _download(data, f"erasure-certificate-{entry.pk}.{ext}", types.get(ext, "application/octet-stream"))


# --- packages ----------------------------------------------------------------------------------------

TASKS = dict(Task.choices)
MEDIA = dict(Medium.choices)


def _describe(outsourcings: list[Outsourcing]) -> list[dict[str, object]]:
    """Declared outsourcings with labels instead of codes, for the pages."""
    return [{"o": o, "contractor": o.contractor.name, "tasks": "、".join(str(TASKS.get(t, t)) for t in o.tasks),
             "media": "、".join(str(MEDIA.get(m, m)) for m in o.media),
             "items": "、".join(i.name for i in o.items.all()), "start": o.start_date, "end": o.end_date}
            for o in outsourcings]


@require_GET
@login_required
def package_start(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    programs = list(access.owned_programs(actor))
    if not programs:
        raise AccessRefused("受渡データは事業を所管する担当課の職員だけが作成できます。", action="handover.export")
    choices = [(p, _describe(declared_outsourcings(p))) for p in programs]
    jobs = PackageJob.objects.filter(program__in=programs).select_related("recipient", "program")[:30]
    return render(request, "web/handover/package_start.html", {"choices": choices, "jobs": jobs})


class PackageForm(forms.Form):
    recipient = forms.ModelChoiceField(label="受渡先", queryset=Organisation.objects.none(), empty_label=None)
    task = forms.ChoiceField(label="業務", choices=Task.choices)
    medium = forms.ChoiceField(label="媒体", choices=Medium.choices)
    medium_label = forms.CharField(label="媒体の識別番号", max_length=100, required=False,
                                   help_text="USBメモリの製造番号、CD-R のラベル番号など（管理簿に記載）")
    items = forms.MultipleChoiceField(label="項目", widget=forms.CheckboxSelectMultiple, choices=())
    purpose = forms.CharField(label="情報の内容", max_length=200, help_text="例: はたちのつどい案内状の宛名印字データ")
    encoding = forms.ChoiceField(label="文字コード", choices=list(ENCODINGS.items()),
                                 help_text="印刷事業者には通常 Shift_JIS（CP932）で渡します。")
    replace_unencodable = forms.BooleanField(
        label="CP932 で表せない文字（外字）を〓に置き換えて作成する", required=False,
        help_text="置き換えない場合、表せない文字があれば行と列を示して作成を中止します。")

    def __init__(self, *args: object, program: Program, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        declared = declared_outsourcings(program)
        # Only declared recipients are offered; the service checks again (a crafted request is refused).
        self.fields["recipient"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=["contractor", "subcontractor"])
        self.fields["recipient"].choices = [(o.contractor.pk, o.contractor.name) for o in declared] or [("", "—")]  # type: ignore[attr-defined]
        tasks = {t for o in declared for t in o.tasks}
        media = {m for o in declared for m in o.media}
        self.fields["task"].choices = [(k, v) for k, v in Task.choices if k in tasks] or Task.choices  # type: ignore[attr-defined]
        self.fields["medium"].choices = [(k, v) for k, v in Medium.choices if k in media] or Medium.choices  # type: ignore[attr-defined]
        keys = {i.key for o in declared for i in o.items.all()}
        self.fields["items"].choices = [(i.key, i.name) for i in DataItem.objects.all() if i.key in keys]  # type: ignore[attr-defined]
        self.declared = declared


@require_http_methods(["GET", "POST"])
@login_required
def package_new(request: HttpRequest, program_pk: int) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, pk=program_pk)
    access.require_owner(actor, program, action="handover.export")
    if request.method == "POST":
        form = PackageForm(request.POST, program=program)
        # Items are checked by the register, not by the form: an undeclared one is refused and logged.
        # So are recipient, task and medium: the form accepts any, the register refuses (and the refusal is logged).
        form.fields["items"].choices = [(k, k) for k in request.POST.getlist("items")]  # type: ignore[attr-defined]
        form.fields["task"].choices = Task.choices  # type: ignore[attr-defined]
        form.fields["medium"].choices = Medium.choices  # type: ignore[attr-defined]
        if form.is_valid():
            d = form.cleaned_data
            try:
                job = packages.request_package(
                    program=program, recipient=d["recipient"], task=d["task"], medium=d["medium"],
                    items=d["items"], purpose=d["purpose"], medium_label=d["medium_label"],
                    encoding=d["encoding"], replace_unencodable=d["replace_unencodable"], actor=actor)
            except BusinessRuleError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("handover:package", pk=job.pk)
        fresh = PackageForm(program=program)
        for name in ("items", "task", "medium"):
            form.fields[name].choices = fresh.fields[name].choices  # type: ignore[attr-defined]
    else:
        declared = declared_outsourcings(program)
        first = declared[0] if declared else None
        initial: dict[str, object] = {"encoding": "cp932"}
        if first is not None:
            initial.update({"recipient": first.contractor.pk, "task": (first.tasks or [""])[0],
                            "medium": (first.media or [""])[0], "items": [i.key for i in first.items.all()],
                            "encoding": packages.last_encoding_for(first.contractor)})
        form = PackageForm(initial=initial, program=program)
    return render(request, "web/handover/package_new.html", {"form": form, "program": program,
                                                              "declared": _describe(form.declared)})


def _owned_job(request: HttpRequest, pk: int) -> tuple[Actor, PackageJob]:
    actor = _actor(request)
    job = PackageJob.objects.select_related("program", "recipient").filter(pk=pk).first()
    if job is None:
        raise hidden_object("受渡データ", f"package:{pk}")
    try:
        packages.require_job_owner(actor, job)
    except AccessRefused:
        raise hidden_object("受渡データ", f"package:{pk}", program=job.program.code) from None
    return actor, job


@require_GET
@login_required
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _actor_, job = _owned_job(request, pk)
    names = dict(DataItem.objects.filter(key__in=job.items).values_list("key", "name"))
    return render(request, "web/handover/package.html", {
        "job": job, "task": TASKS.get(job.task, job.task), "medium": MEDIA.get(job.medium, job.medium),
        "items": "、".join(names.get(k, k) for k in job.items), "encoding": ENCODINGS.get(job.encoding, job.encoding)})


@require_GET
@login_required
def package_progress(request: HttpRequest, pk: int) -> HttpResponse:
    _actor_, job = _owned_job(request, pk)
    return render(request, "web/handover/_package_status.html", {"job": job})


@require_GET
@login_required
def package_download(request: HttpRequest, pk: int) -> HttpResponse:
    actor, job = _owned_job(request, pk)
    try:
        data = packages.open_package(job=job, actor=actor)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect("handover:package", pk=job.pk)
    return _download(data, job.file_name, "application/zip")


@require_GET
@login_required
def package_notice(request: HttpRequest, pk: int) -> HttpResponse:
    actor, job = _owned_job(request, pk)
    try:
        data = packages.password_notice(job=job, actor=actor)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect("handover:package", pk=job.pk)
    return _download(data, f"password-notice-{job.pk}.pdf", "application/pdf")


# --- retention and erasure -------------------------------------------------------------------------------

class ErasureForm(forms.Form):
    program = forms.ModelChoiceField(label="事業", queryset=Program.objects.none(), empty_label="（事業を選んでください）")
    scope = forms.ChoiceField(label="範囲", choices=ErasureScope.choices)
    resident_no = forms.CharField(label="退会した参加者の住民番号（退会による消去のとき）", required=False, max_length=20)
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="例: 保存期間（事業終了後1年）の満了 / 参加者からの退会届（令和8年11月20日受付）")


@require_GET
@login_required
def retention_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    programs = list(access.erasure_programs(actor))
    if not programs:
        raise AccessRefused("保存期間と消去は、事業の担当課または個人情報保護担当だけが扱えます。", action="erasure")
    form = ErasureForm()
    form.fields["program"].queryset = access.erasure_programs(actor)  # type: ignore[attr-defined]
    today = timezone.localdate()
    rules = retention.retention_rules(programs)
    runs = ErasureRun.objects.filter(program__in=programs).select_related("program", "requested_by", "decided_by")[:50]
    return render(request, "web/handover/retention.html", {"rules": rules, "today": today, "form": form,
                                                            "runs": runs})


@require_POST
@login_required
def erasure_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ErasureForm(request.POST)
    form.fields["program"].queryset = Program.objects.all()  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, "入力に誤りがあります: " + "; ".join(
            f"{form.fields[k].label if k in form.fields else k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()))
        return redirect("handover:retention")
    d = form.cleaned_data
    resident = None
    if d["scope"] == ErasureScope.PARTICIPANT:
        resident = Resident.objects.filter(resident_no=d["resident_no"].strip()).first()
    try:
        run = retention.plan_erasure(program=d["program"], scope=d["scope"], reason=d["reason"], actor=actor,
                                     resident=resident)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect("handover:retention")
    messages.info(request, "試行しました（まだ何も消去していません）。内容を確認し、別の職員の承認を受けてください。")
    return redirect("handover:erasure", pk=run.pk)


@require_http_methods(["GET", "POST"])
@login_required
def erasure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    run = get_object_or_404(ErasureRun.objects.select_related("program", "requested_by", "decided_by"), pk=pk)
    access.require_erasure_planner(actor, run.program)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                retention.approve_erasure(run=run, actor=actor, note=request.POST.get("note", ""),
                                          approve=action == "approve")
                messages.success(request, "承認しました。" if action == "approve" else "却下しました。")
            elif action == "execute":
                done = retention.execute_erasure(run=run, actor=actor)
                messages.success(request, f"消去しました（{done.certificate_no}）。消去証明書を出力できます。")
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        return redirect("handover:erasure", pk=run.pk)
    record: ErasureRecord | None = (ErasureRecord.objects.filter(run=run).first()
                                    if run.status == ErasureStatus.EXECUTED else None)
    is_requester = actor.user is not None and actor.user.pk == run.requested_by_id
    return render(request, "web/handover/erasure.html", {"run": run, "record": record,
                                                          "is_requester": is_requester})


@require_GET
@login_required
def erasure_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    run = get_object_or_404(ErasureRun.objects.select_related("program"), pk=pk, status=ErasureStatus.EXECUTED)
    data = retention.erasure_certificate(record=run.record, actor=actor)
    return _download(data, f"{run.record.certificate_no}.pdf", "application/pdf")
