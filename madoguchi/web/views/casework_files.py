"""Attachment files of a case: upload (checked before saving) and download through a logged, policy-checked
view.  The files live under ``MEDIA_ROOT/private`` and are never served statically."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.casework.models import Case, CaseAttachment
from madoguchi.casework.services.attachments import (
    FORMATS,
    MAX_BYTES,
    add_attachment,
    attachment_checks,
    attachment_kinds,
    may_add,
    may_read,
    read_attachment,
)
from madoguchi.casework.services.eligibility import required_attachments
from madoguchi.core.errors import BusinessRuleError
from madoguchi.register.policy import AccessPolicy
from madoguchi.web.views.lookup import visible_case, visible_or_refuse


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, purpose="添付書類の取扱い")


def attachment_context(policy: AccessPolicy, case: Case) -> dict[str, Any]:
    """What the case page shows of the attachments: files and the required-document check (if the actor
    may read them), the upload form (if the actor may add them)."""
    readable = may_read(policy, case)
    if not readable:
        return {"visible": False}
    checks = attachment_checks(case, required_attachments(case.program))
    return {
        "visible": True, "checks": checks, "files": list(CaseAttachment.objects.filter(case=case)),
        "can_add": may_add(policy, case), "kinds": attachment_kinds(case), "max_mb": MAX_BYTES // 1024 // 1024,
        "accept": ",".join(sorted({ext for _m, _l, exts in FORMATS.values() for ext in exts} | set(FORMATS))),
        "warnings": [c.kind for c in checks if c.state == "recorded"],
    }


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    back = reverse("casework:detail", args=[pk]) + "#attachments"
    upload_file = request.FILES.get("file")
    try:
        if upload_file is None:
            raise BusinessRuleError("ファイルを選んでください。")
        if upload_file.size is not None and upload_file.size > MAX_BYTES:
            raise BusinessRuleError(f"ファイルが大きすぎます（{upload_file.size / 1024 / 1024:.1f} MB）。"
                                    f"{MAX_BYTES // 1024 // 1024} MB 以下にしてください。")
        data = upload_file.read(MAX_BYTES + 1)
        attachment = add_attachment(actor=_actor(request), case=case, kind=request.POST.get("kind", ""),
                                    name=upload_file.name or "", data=data)
    except BusinessRuleError as exc:
        messages.error(request, f"添付ファイルを登録できませんでした: {exc}")
    else:
        messages.success(request, f"{attachment.kind}（{attachment.original_name}）を登録しました。")
    return redirect(back)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = visible_or_refuse(request, CaseAttachment.objects.select_related("case__program"), pk,
                                   what="添付ファイル", target=f"attachment:{pk}",
                                   program_of=lambda a: a.case.program.code)
    try:
        data = read_attachment(actor=_actor(request), attachment=attachment)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("casework:detail", args=[attachment.case_id]) + "#attachments")
    response = HttpResponse(data, content_type=attachment.content_type)
    disposition = "inline" if attachment.content_type == "application/pdf" or request.GET.get("view") else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(attachment.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
