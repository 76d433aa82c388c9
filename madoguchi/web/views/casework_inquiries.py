"""問合せ対応 from a resident's context: the call center (or the department) opens a participant of the
program, sees the resident's inquiry history and cases, and logs a call about the resident — with or
without a case.  The resident is opened through the access policy (``open_resident``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, Channel
from madoguchi.casework.selectors import list_inquiries
from madoguchi.casework.services.access import require_action
from madoguchi.casework.services.inquiries import log_inquiry
from madoguchi.core.errors import BusinessRuleError
from madoguchi.register.models import Program
from madoguchi.register.policy import open_resident, policy_for


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request, purpose="問合せ対応")


@login_required
@require_http_methods(["GET", "POST"])
def resident_inquiries(request: HttpRequest, code: str, resident_id: int) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, code=code)
    policy = policy_for(actor)
    require_action(actor, code, "inquiry", policy=policy)
    seen = open_resident(actor, resident_id, program_code=code, policy=policy)  # refuses (403, logged) otherwise
    cases = list(Case.objects.filter(program=program, resident_id=resident_id).order_by("-received_on", "-number"))
    if request.method == "POST":
        case = next((c for c in cases if str(c.pk) == request.POST.get("case")), None)
        try:
            if request.POST.get("case") and case is None:
                raise BusinessRuleError("選んだ申請はこの住民の申請ではありません。")
            at = None
            if request.POST.get("at"):
                at = dt.datetime.fromisoformat(request.POST["at"]).astimezone()
            log_inquiry(actor=actor, program=program, case=case, resident_id=resident_id,
                        caller=request.POST.get("caller", ""), question=request.POST.get("question", ""),
                        answer=request.POST.get("answer", ""), channel=request.POST.get("channel", Channel.PHONE),
                        at=at)
        except (BusinessRuleError, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "問合せの対応を記録しました。")
            return redirect("casework:resident_inquiries", code=code, resident_id=resident_id)
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, target=f"resident:{resident_id}",
                      residents=[resident_id], program=code, purpose="問合せ対応（住民の履歴）")
        rows = list_inquiries(actor, program, resident_id=resident_id, policy=policy)
        response = render(request, "web/casework/resident_inquiries.html", {
            "program": program, "person": seen.data, "items": seen.items, "cases": cases, "rows": rows,
            "channels": Channel.choices, "resident_id": resident_id,
            "history_shown": "inquiry" in policy.items_for(code),
        })
    return response
