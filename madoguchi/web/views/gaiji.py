"""The 外字対応表 screen: vendor 外字 seen on import, the standard character each maps to, residents to map.

Administrators and department staff keep the table; only department staff see the residents holding an
unmapped 外字 (the administrator sees no residents' data).  ADR 0016.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import BusinessRuleError
from madoguchi.residents.models import GaijiMapping
from madoguchi.residents.services.gaiji import (
    check_may_edit,
    flagged_residents,
    residents_count,
    save_mapping,
)


class MappingForm(forms.Form):
    code = forms.CharField(label="外字コード", max_length=12, help_text="F040 のような Shift_JIS のコード、または U+E000")
    standard = forms.CharField(label="標準の文字", max_length=16, required=False,
                               help_text="1文字。字形を指定するときは異体字セレクタ付きで入力します。")
    mj_name = forms.CharField(label="MJ文字図形名", max_length=8, required=False,
                              help_text="標準の文字の代わりに MJ022335 のように入力できます（IPAmj明朝の字形）。")
    note = forms.CharField(label="備考", max_length=200, required=False, help_text="読み・根拠（戸籍の字形など）")


@login_required
@require_http_methods(["GET", "POST"])
def table(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    check_may_edit(actor)
    form = MappingForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            row = save_mapping(code=form.cleaned_data["code"], standard=form.cleaned_data["standard"],
                               mj_name=form.cleaned_data["mj_name"], note=form.cleaned_data["note"], actor=actor)
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"外字 {row.vendor_code} を「{row.standard}」に対応させました。"
                                      "照合キーを作り直しました。")
            return redirect("residents:gaiji")
    rows = [(row, residents_count(row.char)) for row in GaijiMapping.objects.all()]
    return render(request, "web/gaiji/table.html", {
        "form": form, "rows": rows, "flagged": flagged_residents(actor=actor),
        "unmapped": sum(1 for row, _ in rows if not row.mapped),
    })
