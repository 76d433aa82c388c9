"""Payments screens: batches, create, detail, lock, export and downloads, results, corrections, re-transfer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.bankchanges import entry_warnings
from madoguchi.core.banking import AccountError, lookup_bank, lookup_branch, normalise_code
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from madoguchi.payments.forms import (
    AccountCorrectionForm,
    BatchCreateForm,
    MarkResultForm,
    ProfileForm,
    ResultUploadForm,
    RetransferForm,
)
from madoguchi.payments.models import (
    BatchJob,
    BatchJobStatus,
    BatchStatus,
    ItemStatus,
    PaymentBatch,
    PaymentProfile,
)
from madoguchi.payments.selectors import batch_for, batches_for, failed_items_for, item_for, visible_programs
from madoguchi.payments.services import access
from madoguchi.payments.services.batch_jobs import job_for, recent_jobs, record_problems_shown, request_batch
from madoguchi.payments.services.batches import (
    NotBusinessDay,
    close_batch,
    create_retransfer_batch,
    discard_batch,
    lock_batch,
    remove_item,
)
from madoguchi.payments.services.export import export_batch, record_summary_download
from madoguchi.payments.services.profiles import ProfileInput, save_profile
from madoguchi.payments.services.results import correct_account, import_results, mark_result
from madoguchi.payments.services.summary import summary_filename, summary_pdf, summary_xlsx
from madoguchi.register.models import Program
from madoguchi.register.policy import policy_for

MAX_UPLOAD = 50 * 1024 * 1024
PROBLEMS_SHOWN = 1000


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, purpose="支払事務")


def _operable_programs(actor: Actor) -> list[tuple[str, str]]:
    """Programs the actor may run payments for that have a payment profile; refuses when none may be run."""
    operable = [p for p in visible_programs(actor) if access.may_operate(actor, p.code)]
    if not operable:
        raise AccessRefused("支払バッチの作成は、事業を所管する課の職員だけが行えます。", action="payment")
    with_profile = set(PaymentProfile.objects.values_list("program__code", flat=True))
    return [(p.code, f"{p.name}（{p.code}）") for p in operable if p.code in with_profile]


def _to_detail(batch: PaymentBatch | int) -> HttpResponse:
    pk = batch if isinstance(batch, int) else batch.pk
    return redirect("payments:batch", pk=pk)


@login_required
@require_GET
def batches(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    programs = visible_programs(actor)
    program_code = request.GET.get("program", "")
    page = Paginator(batches_for(actor, program_code=program_code), 50).get_page(request.GET.get("page"))
    operable = [p for p in programs if access.may_operate(actor, p.code)]
    profiles = set(PaymentProfile.objects.filter(program__in=operable).values_list("program__code", flat=True))
    return render(request, "web/payments/batches.html", {
        "page": page, "programs": programs, "program_code": program_code, "can_operate": bool(operable),
        "operable": [(p, p.code in profiles) for p in operable],
        "failed_count": failed_items_for(actor).count(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    choices = _operable_programs(actor)
    form = BatchCreateForm(request.POST or None, programs=choices,
                           initial={"program": request.GET.get("program", "")})
    proposed = None
    if request.method == "POST" and form.is_valid():
        program = Program.objects.get(code=form.cleaned_data["program"])
        try:
            job = request_batch(program=program, transfer_date=form.cleaned_data["transfer_date"], actor=actor,
                                skip_invalid=form.cleaned_data["skip_invalid"])
        except NotBusinessDay as exc:
            proposed = exc.proposed
            form.add_error("transfer_date", str(exc))
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("payments:batch_job", pk=job.pk)
    return render(request, "web/payments/batch_create.html", {"form": form, "proposed": proposed,
                                                              "jobs": recent_jobs(actor=actor)})


@login_required
@require_GET
def batch_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The creation job's page; htmx polls it every 2 s and gets only the job card."""
    actor = _actor(request)
    job = job_for(actor=actor, job_id=pk)
    if not job.active:
        with transaction.atomic():
            record_problems_shown(actor=actor, job=job)
            response = _render_job(request, job)
        return response
    return _render_job(request, job)


def _render_job(request: HttpRequest, job: BatchJob) -> HttpResponse:
    template = "web/payments/_batch_job.html" if request.headers.get("HX-Request") else "web/payments/batch_job.html"
    return render(request, template, {"job": job, "problems": job.problems[:PROBLEMS_SHOWN],
                                            "failed": job.status in (BatchJobStatus.REJECTED, BatchJobStatus.FAILED)})


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    policy = policy_for(actor)
    batch = batch_for(actor, pk, policy=policy)
    status = request.GET.get("status", "")
    items = batch.items.select_related("retransfer").order_by("line_no", "id")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.PAYMENT_VIEW, target=f"payment_batch:{batch.pk}",
                      program=batch.program.code,
                      residents=[i.resident_id for i in page.object_list if i.resident_id is not None])
    zengin_file = getattr(batch, "zengin_file", None) if batch.status != BatchStatus.DRAFT else None
    return render(request, "web/payments/batch_detail.html", {
        "batch": batch, "page": page, "status": status, "zengin_file": zengin_file,
        "can_operate": access.may_operate(actor, batch.program.code, policy=policy), "statuses": ItemStatus.choices,
        "cols": access.visible_columns(actor, batch.program.code, policy=policy),
        "mark_form": MarkResultForm(), "imports": batch.result_imports.all()[:20],
        "counts": {s: batch.items.filter(status=s).count() for s in ItemStatus.values},
    })


def _post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    batch = batch_for(actor, pk)
    access.require_operate(actor, batch.program.code)
    try:
        if action == "lock":
            dropped = lock_batch(batch=batch, actor=actor)
            batch.refresh_from_db()
            text = f"確定しました（{batch.item_count}件、{batch.total_amount:,}円）。以後、明細は変わりません。"
            if dropped:
                text += f"\n支払対象でなくなった{len(dropped)}件を外しました。"
            messages.success(request, text)
        elif action == "export":
            exported = export_batch(batch=batch, actor=actor)
            messages.success(request, f"全銀振込データを作成しました（{exported.record_count}件、"
                                      f"{exported.total_amount:,}円）。下のリンクから保存してください。")
        elif action == "close":
            close_batch(batch=batch, actor=actor)
            messages.success(request, "バッチを完了にしました。")
        elif action == "discard":
            discard_batch(batch=batch, actor=actor)
            messages.success(request, "作成中のバッチを破棄しました。支払対象は次のバッチに入れられます。")
            return redirect("payments:batches")
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    return _to_detail(pk)


@login_required
@require_POST
def batch_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "lock")


@login_required
@require_POST
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "export")


@login_required
@require_POST
def batch_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "close")


@login_required
@require_POST
def batch_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "discard")


@login_required
@require_GET
def download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    actor = _actor(request)
    batch = batch_for(actor, pk)
    access.require_operate(actor, batch.program.code)
    if batch.status in (BatchStatus.DRAFT, BatchStatus.LOCKED):
        messages.error(request, "振込データを作成してから出力してください。")
        return _to_detail(batch)
    if kind == "zengin":
        exported = export_batch(batch=batch, actor=actor)
        content, filename, ctype = exported.content, exported.filename, "application/octet-stream"
    elif kind == "xlsx":
        content, filename = summary_xlsx(batch), summary_filename(batch, "xlsx")
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        record_summary_download(batch=batch, actor=actor, kind="xlsx", filename=filename, content=content)
    elif kind == "pdf":
        content, filename, ctype = summary_pdf(batch), summary_filename(batch, "pdf"), "application/pdf"
        record_summary_download(batch=batch, actor=actor, kind="pdf", filename=filename, content=content)
    else:
        return HttpResponse("出力の種類が分かりません。", status=404)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    batch = batch_for(actor, pk)
    access.require_operate(actor, batch.program.code)
    form = ResultUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "ファイルが大きすぎます（上限 50 MB）。")
        else:
            try:
                log = import_results(batch=batch, data=upload.read(), filename=upload.name, actor=actor)
            except ImportRejected as exc:
                errors = [str(e) for e in exc.errors]
                form.add_error(None, f"{len(exc.errors)}件の誤りがあるため、取り込みませんでした（何も変更していません）。")
            except BusinessRuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"振込結果を取り込みました（振込済み {log.paid_count}件、振込不能 {log.failed_count}件）。")
                return _to_detail(batch)
    return render(request, "web/payments/results.html", {"batch": batch, "form": form, "errors": errors})


@login_required
@require_POST
def item_mark(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    actor = _actor(request)
    item = item_for(actor, item_pk)
    access.require_operate(actor, item.program.code)
    form = MarkResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, "結果を選んでください。")
    else:
        try:
            mark_result(item=item, paid=form.cleaned_data["result"] == "paid", reason=form.cleaned_data["reason"],
                        actor=actor)
            messages.success(request, f"明細 {item.customer_code} の結果を登録しました。")
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
    return _to_detail(item.batch_id)


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    actor = _actor(request)
    item = item_for(actor, item_pk)
    access.require_operate(actor, item.program.code)
    try:
        remove_item(item=item, actor=actor)
        messages.success(request, "明細をバッチから外しました。")
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    return _to_detail(item.batch_id)


@login_required
@require_GET
def failed(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    items = list(failed_items_for(actor)[:500])
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.PAYMENT_VIEW, target="payment_failed",
                      residents=[i.resident_id for i in items if i.resident_id is not None])
    codes = {i.program.code for i in items}
    operable = {c for c in codes if access.may_operate(actor, c)}
    cols = {c: access.visible_columns(actor, c) for c in codes}
    for item in items:
        item.cols = cols[item.program.code]  # type: ignore[attr-defined]
    return render(request, "web/payments/failed.html", {"items": items, "operable": operable})


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, item_pk: int) -> HttpResponse:
    actor = _actor(request)
    item = item_for(actor, item_pk)
    access.require_operate(actor, item.program.code)
    initial = {"bank_code": item.corrected_bank_code or item.bank_code,
               "branch_code": item.corrected_branch_code or item.branch_code,
               "account_type": item.corrected_account_type or item.account_type,
               "holder_kana": item.corrected_holder_kana or item.holder_kana}
    form = AccountCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            correct_account(item=item, bank_code=d["bank_code"], branch_code=d["branch_code"],
                            account_type=d["account_type"], account_number=d["account_number"],
                            holder_kana=d["holder_kana"], actor=actor)
        except AccountError as exc:
            for field, reason in exc.errors.items():
                form.add_error(field if field in form.fields else None, reason)
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "口座を訂正しました。再振込バッチを作成すると振り込まれます（新規コード 2）。")
            for warning in entry_warnings(normalise_code(d["bank_code"], 4), normalise_code(d["branch_code"], 3),
                                          today=timezone.localdate()):
                messages.warning(request, warning)
            return redirect("payments:failed")
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.PAYMENT_VIEW, target=f"payment_item:{item.pk}",
                      program=item.program.code, residents=[item.resident_id] if item.resident_id else [])
    return render(request, "web/payments/correct.html", {"item": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def retransfer(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    choices = _operable_programs(actor)
    form = RetransferForm(request.POST or None, programs=choices, initial={"program": request.GET.get("program", "")})
    proposed = None
    if request.method == "POST" and form.is_valid():
        program = Program.objects.get(code=form.cleaned_data["program"])
        access.require_operate(actor, program.code)
        try:
            batch = create_retransfer_batch(program=program, transfer_date=form.cleaned_data["transfer_date"],
                                            actor=actor)
        except NotBusinessDay as exc:
            proposed = exc.proposed
            form.add_error("transfer_date", str(exc))
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"再振込バッチを作成しました（{batch.item_count}件、{batch.total_amount:,}円）。")
            return _to_detail(batch)
    return render(request, "web/payments/retransfer.html", {"form": form, "proposed": proposed})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    access.require_operate(actor, code)
    program = Program.objects.get(code=code)
    existing = PaymentProfile.objects.filter(program=program).first()
    initial = {f: getattr(existing, f) for f in ProfileInput.__dataclass_fields__} if existing else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(program=program, data=ProfileInput(**form.cleaned_data), actor=actor)
        except AccountError as exc:
            for field, reason in exc.errors.items():
                form.add_error(field if field in form.fields else None, reason)
        else:
            messages.success(request, f"「{program.name}」の振込依頼人を設定しました。")
            return redirect("payments:batches")
    return render(request, "web/payments/profile.html", {"program": program, "form": form})


@login_required
@require_GET
def bank_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: the bank's and branch's names for the codes typed so far."""
    bank_code = request.GET.get("bank_code", "").strip()
    branch_code = request.GET.get("branch_code", "").strip()
    text = ""
    if bank_code:
        try:
            bank = lookup_bank(bank_code)
            text = f"{bank.name}（{bank.kana_half}）"
            if branch_code:
                branch = lookup_branch(bank.code, branch_code)
                text += f" {branch.name}（{branch.kana_half}）"
            warnings = entry_warnings(bank.code, normalise_code(branch_code, 3) if branch_code else "",
                                      today=timezone.localdate())
            if warnings:
                text += " 【注意】" + " ".join(warnings)
        except AccountError as exc:
            text = "、".join(exc.errors.values())
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


def batch_url(batch: PaymentBatch) -> str:
    return reverse("payments:batch", kwargs={"pk": batch.pk})
