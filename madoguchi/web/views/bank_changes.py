"""The ward's list of merged and closed bank/branch codes (issue 19 §6, ADR 0016): list, add or replace,
delete.  Department staff and the administrator keep it; it holds no residents' data."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.core.bankchanges import CodeChange as Change
from madoguchi.core.bankchanges import successor_text
from madoguchi.core.errors import BusinessRuleError
from madoguchi.payments.models import BankCodeChange, CodeChangeKind
from madoguchi.payments.services.bank_changes import ChangeInput, check_may_edit, delete_change, save_change


class ChangeForm(forms.Form):
    bank_code = forms.CharField(label="金融機関コード（4桁）", max_length=4)
    branch_code = forms.CharField(label="支店コード（3桁）", max_length=3, required=False,
                                  help_text="金融機関全体が合併・廃止したときは空欄にします。")
    kind = forms.ChoiceField(label="種別", choices=CodeChangeKind.choices)
    effective_date = forms.DateField(label="実施日", help_text="この日以降を振込日とする支払は、旧コードでは確定できません。",
                                     widget=forms.DateInput(attrs={"type": "date"}))
    successor_bank_code = forms.CharField(label="承継先の金融機関コード", max_length=4, required=False)
    successor_branch_code = forms.CharField(label="承継先の支店コード", max_length=3, required=False,
                                            help_text="支店ごとに変わる場合、分かっていれば入力します（空欄は口座ごとに確認）。")
    note = forms.CharField(label="備考・根拠", max_length=200, required=False,
                           help_text="例: 全銀協の通知、金融機関からの案内（令和7年2月）")


@login_required
@require_http_methods(["GET", "POST"])
def changes(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    check_may_edit(actor)
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = save_change(data=ChangeInput(**form.cleaned_data), actor=actor)
        except BusinessRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{row} を登録しました。口座の入力時に注意を表示し、支払バッチの確定では止めます。")
            return redirect("payments:bank_changes")
    rows = [(r, successor_text(Change(r.bank_code, r.branch_code, r.kind, r.effective_date, r.successor_bank_code,
                                      r.successor_branch_code), r.branch_code)) for r in BankCodeChange.objects.all()]
    return render(request, "web/bank_changes/list.html", {"form": form, "rows": rows})


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    check_may_edit(actor)
    row = get_object_or_404(BankCodeChange, pk=pk)
    delete_change(row=row, actor=actor)
    messages.success(request, f"{row} を削除しました。")
    return redirect("payments:bank_changes")
