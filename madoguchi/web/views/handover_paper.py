"""The form that writes a paper hand-over (紙の受渡し) to the ledger."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_denied
from madoguchi.core.errors import AccessRefused
from madoguchi.handover.services import access
from madoguchi.handover.services.declared import declared_outsourcings
from madoguchi.handover.services.paper import PaperHandoverRejected, record_paper_handover
from madoguchi.register.models import DataItem, Medium, Program
from madoguchi.web.views.register_forms import JaForm, date_field


class PaperHandoverForm(JaForm):
    recipient = forms.TypedChoiceField(label="受渡先", coerce=int)
    handed_on = date_field("受渡日")
    content = forms.CharField(label="情報の内容", max_length=300,
                              help_text="例: 受給拒否の届出書（原本）、封入封緘後の案内状（区の検査用）")
    count = forms.IntegerField(label="件数", min_value=1, max_value=10_000_000,
                               error_messages={"min_value": "件数は1以上で入力してください。"})
    label = forms.CharField(label="識別（箱・封筒の番号など）", max_length=100, required=False)
    items = forms.MultipleChoiceField(label="記載されている項目", widget=forms.CheckboxSelectMultiple)
    return_due = date_field("返却期限（返却を要しないときは空欄）", required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        declared = [o for o in declared_outsourcings(program) if Medium.PAPER in o.media]
        self.recipients = {o.contractor.pk: o.contractor for o in declared}
        self.fields["recipient"].choices = [(pk, org.name) for pk, org in self.recipients.items()]  # type: ignore[attr-defined]
        keys = {i.key for o in declared for i in o.items.all()}
        self.fields["items"].choices = [(i.key, i.name) for i in DataItem.objects.all() if i.key in keys]  # type: ignore[attr-defined]
        self.fields["items"].error_messages["required"] = "記載されている項目を1つ以上選んでください。"


@login_required
@require_http_methods(["GET", "POST"])
def paper_new(request: HttpRequest, program_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    program = get_object_or_404(Program, pk=program_pk)
    access.require_owner(actor, program, action="handover.export")
    form = PaperHandoverForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = record_paper_handover(program=program, recipient=form.recipients[d["recipient"]],
                                          handed_on=d["handed_on"], content=d["content"], count=d["count"],
                                          items=d["items"], return_due=d["return_due"], label=d["label"],
                                          actor=actor)
        except AccessRefused as exc:  # the register does not declare this hand-over: say why, log the refusal
            record_denied(actor=actor, action=AuditEvent.HANDOVER_EXPORT, reason=exc.reason, program=program.code,
                          target="紙の受渡し")
            form.add_error("handed_on" if "期間" in exc.reason else None, exc.reason)
        except PaperHandoverRejected as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, "紙の受渡しを管理簿に記録しました。")
            return redirect("handover:entry", pk=entry.pk)
    return render(request, "web/handover/paper_new.html", {"form": form, "program": program,
                                                            "has_paper": bool(form.recipients)})
