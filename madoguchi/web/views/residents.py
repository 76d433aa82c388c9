"""Resident search, the resident page (household, address history) and the import upload screen.

Every page starts from ``resident_queryset(actor)`` (refuses actors without grants) and shows only the
items of ``visible_resident_items``; every result page and resident page writes its access-log row in
the same transaction as the read.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core import gaiji
from madoguchi.core.era import format_wareki
from madoguchi.core.sheets import csv_writer
from madoguchi.register.policy import (
    open_resident,
    policy_for_request,
    resident_queryset,
    serialize_residents,
    visible_resident_items,
)
from madoguchi.residents.models import ImportJob, ImportJobStatus
from madoguchi.residents.selectors import (
    address_history_of,
    household_of,
    page_of,
    parse_query,
    search_residents,
)
from madoguchi.residents.services.import_jobs import job_for, recent_jobs, start_import
from madoguchi.residents.services.imports import SAME_PERSON, check_may_import

PURPOSE = "住民記録の取込み"
ERRORS_SHOWN = 1000
# columns of the result table, in order; a column is shown when some row carries it
COLUMNS = ("resident_no", "name", "name_kana", "birth_date", "sex", "address")
# which item a search criterion needs
CRITERION_ITEMS = {"resident_no": ("resident_no",), "name": ("name", "name_kana"), "birth_date": ("birth_date",),
                   "address": ("address",)}


def _with_wareki(data: dict[str, Any]) -> dict[str, Any]:
    if "birth_date" in data:
        data["birth_date_wareki"] = format_wareki(data["birth_date"])
    return data


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    policy = policy_for_request(request, purpose="住民検索")
    actor = policy.actor
    parsed = parse_query(request.GET.get("q", ""), request.GET.get("birth_date", ""),
                         request.GET.get("address", ""))
    criteria = parsed.criteria
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    with transaction.atomic():
        queryset = resident_queryset(actor, policy=policy)
        # a criterion may only be used with an item that every grant declares (a resident of program A must
        # not be found by an item only program B declares); the API applies the same rule
        searchable = visible_resident_items(policy)
        if policy.break_glass:
            searchable |= frozenset({"resident_no"})  # a resident opened by break glass is found by number
        errors = dict(parsed.errors)
        refused = [c for c, needs in CRITERION_ITEMS.items() if getattr(criteria, c) and not set(needs) & searchable]
        for criterion in refused:
            errors[criterion] = "この項目で検索する権限がありません。"
        if refused:
            # a search by an undeclared item is a refused access: it is logged like any other
            record_access(actor=actor, action=AuditEvent.ACCESS_DENIED, allowed=False, target=criteria.describe(),
                          reason="登録で認められていない項目による検索: " + "、".join(refused))
        page = None
        rows: list[dict[str, Any]] = []
        if not criteria.empty and not errors:
            page = page_of(search_residents(queryset, criteria), number)
            rows = [_with_wareki(d) for d in serialize_residents(policy, page.residents)]
            record_access(actor=actor, action=AuditEvent.RESIDENT_SEARCH, residents=[r["id"] for r in rows],
                          target=criteria.describe())
        query = request.GET.copy()
        query.pop("page", None)
        response = render(request, "web/residents/search.html", {
            "q": request.GET.get("q", ""), "birth_date": request.GET.get("birth_date", ""),
            "address": request.GET.get("address", ""), "errors": errors, "page": page, "rows": rows,
            "columns": [c for c in COLUMNS if any(c in r for r in rows)], "searched": not criteria.empty, "query": query.urlencode(),
            "may_import": request.user.role == "department_staff",  # type: ignore[union-attr]
        })
    return response


@login_required
@require_GET
def detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    policy = policy_for_request(request, purpose="住民情報の閲覧")
    actor = policy.actor
    with transaction.atomic():
        seen = open_resident(actor, resident_id, policy=policy)  # refuses (403, logged) otherwise
        resident, items = seen.resident, seen.items
        members: list[dict[str, Any]] = []
        if "household_no" in items and not seen.break_glass:
            queryset = resident_queryset(actor, policy=policy)
            others = [m for m in household_of(queryset, resident) if m.pk != resident.pk]
            members = [_with_wareki(d) for d in serialize_residents(policy, others)]
        history = address_history_of(resident) if "address" in items else []
        record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW,
                      residents=[resident.pk, *[m["id"] for m in members]], target=f"resident:{resident.pk}",
                      break_glass=seen.break_glass)
        response = render(request, "web/residents/detail.html", {
            "person": _with_wareki(dict(seen.data)), "members": members, "history": history, "items": items,
            "status": resident.get_status_display(), "break_glass": seen.break_glass,
            "gaiji": _gaiji_codes(resident.gaiji) if {"name", "name_kana", "address", "address_extra"} & set(items) else [],
        })
    return response


def _gaiji_codes(held: str | None) -> list[tuple[str, bool]]:
    """(vendor code, mapped?) of the 外字 a resident holds (issue 19 §4)."""
    if not held:
        return []
    table = gaiji.current_mapping()
    return [(gaiji.vendor_code(ch), bool(table.get(ch))) for ch in held]


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """The upload form: the file is stored and imported in the background (see import_jobs)."""
    policy = policy_for_request(request, purpose=PURPOSE)
    actor = policy.actor
    resident_queryset(actor, policy=policy)  # refuses actors without any grant
    check_may_import(actor)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "ファイルを選んでください。"
        else:
            job = start_import(chunks=upload.chunks(), filename=upload.name or "", actor=actor,
                               allow_same_person=request.POST.get("allow_same_person") == "on")
            return redirect("residents:import_job", job_id=job.pk)
    return render(request, "web/residents/import.html", {"error": error, "jobs": recent_jobs(actor=actor)})


def _job_context(job: ImportJob) -> dict[str, Any]:
    errors = [{"line": e[0], "column": e[1], "reason": e[2]} for e in job.errors[:ERRORS_SHOWN]]
    phase, done, total = "", 0, 0
    if job.status == ImportJobStatus.QUEUED:
        phase = "順番を待っています。"
    elif job.status == ImportJobStatus.READING:
        phase = f"{job.rows_read:,}行を読み込み、確かめました。"
        done, total = job.rows_read, max(job.rows_total, job.rows_read)
    elif job.status == ImportJobStatus.WRITING:
        phase = f"{job.rows_read:,}行を確かめました。まとめて書き込んでいます。"
    elif job.status == ImportJobStatus.DONE:
        phase = f"読込 {job.rows_read:,}行、書込 {job.rows_written:,}行"
    elif job.status == ImportJobStatus.REJECTED:
        phase = f"読込 {job.rows_read:,}行、書込 0行"
    same_person = job.status == ImportJobStatus.REJECTED and any(
        str(e[2]).startswith(SAME_PERSON) for e in job.errors)
    return {"job": job, "errors": errors, "phase": phase, "done": done, "total": total, "same_person": same_person,
            "failed": job.status in (ImportJobStatus.REJECTED, ImportJobStatus.FAILED)}


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's page; htmx polls it every 2 s and gets only the job card."""
    actor = Actor.from_request(request, purpose=PURPOSE)
    job = job_for(actor=actor, job_id=job_id)
    template = "web/residents/_import_job.html" if request.headers.get("HX-Request") else "web/residents/import_job.html"
    return render(request, template, _job_context(job))


@login_required
@require_GET
def import_job_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    """Every row error of a rejected import as CSV (UTF-8 with BOM, opens in Excel)."""
    actor = Actor.from_request(request, purpose=PURPOSE)
    job = job_for(actor=actor, job_id=job_id)
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(["行", "列", "理由"])
    writer.writerows(job.errors)
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-errors-{job.pk}.csv"'
    return response
