"""The access policy pages (アクセス方針) and break glass (理由を記入して閲覧)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.context import Actor
from madoguchi.core.era import format_wareki
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.policy import break_glass_minutes, forget_request_policy, policy_for_request
from madoguchi.register.policy.declarations import organisation_policy, policy_summaries
from madoguchi.register.services.break_glass import MIN_REASON_LENGTH, open_break_glass


@login_required
@require_GET
def contractors(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    summaries = policy_summaries(actor)
    return render(request, "web/policy/contractors.html", {"summaries": summaries, "role": actor.role})


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = Actor.from_request(request)
    org_policy = organisation_policy(actor, code)  # refuses (403, logged) what the actor may not read
    for d in org_policy.declarations:
        d.decided_on_wareki = format_wareki(d.decided_on) if d.decided_on else ""  # type: ignore[attr-defined]
        d.start_wareki = format_wareki(d.start)  # type: ignore[attr-defined]
        d.end_wareki = format_wareki(d.end)  # type: ignore[attr-defined]
    return render(request, "web/policy/detail.html", {"org_policy": org_policy})


class BreakGlassForm(forms.Form):
    resident_id = forms.IntegerField(label="住民ID", min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="閲覧する理由", min_length=MIN_REASON_LENGTH, max_length=400, strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "data-testid": "break-glass-reason"}),
        help_text=f"業務上の必要を具体的に、{MIN_REASON_LENGTH}文字以上で記入してください"
                  "（例: 本人から電話で住所変更の問合せがあり、記録を確認するため）。",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def _resident_url(resident_id: int) -> str:
    try:
        return reverse("residents:detail", args=[resident_id])
    except NoReverseMatch:
        return reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    policy = policy_for_request(request, purpose="緊急閲覧")
    if not policy.may_break_glass():
        raise AccessRefused(policy.refusal or "このロールでは、理由を記入しての閲覧（緊急閲覧）はできません。",
                            target="policy:break_glass")
    form = BreakGlassForm(request.POST or None, initial={"resident_id": request.GET.get("resident", ""),
                                                        "next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        resident_id = form.cleaned_data["resident_id"]
        try:
            grant = open_break_glass(actor=policy.actor, resident_id=resident_id,
                                     reason=form.cleaned_data["reason"])
        except BusinessRuleError as exc:
            form.add_error("reason" if "理由" in str(exc) else None, str(exc))
        else:
            forget_request_policy(request)
            messages.warning(request, f"緊急閲覧を記録しました（アクセスログ #{grant.log_id}）。"
                                      f"{break_glass_minutes()}分間、この住民の基本情報を閲覧できます。")
            target = form.cleaned_data.get("next") or ""
            if not (target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
                target = _resident_url(resident_id)
            return redirect(target)
    resident_id = form["resident_id"].value()
    return render(request, "web/policy/break_glass.html", {
        "form": form, "resident_id": resident_id, "minutes": break_glass_minutes(),
    }, status=200 if request.method == "GET" or form.is_valid() else 400)
