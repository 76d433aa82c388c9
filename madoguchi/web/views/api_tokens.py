"""API tokens on the staff screens: the administrator issues and revokes anyone's; a user whose role allows it
issues and revokes their own (ADR 0013).  Every issue and revocation is written to the access log in the same
transaction; the token itself is shown once, on the answer to the issuing POST, and never stored.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role, User
from madoguchi.accounts.services import api_tokens as tokens
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import BusinessRuleError
from madoguchi.web.views.admin_access import guarded

signed_in = guarded(lambda actor: None)


class IssueForm(forms.Form):
    user = forms.ModelChoiceField(label="利用者", queryset=User.objects.none(),
                                  help_text="トークンはこの利用者とその所属組織に発行されます。")
    name = forms.CharField(label="用途", max_length=100, help_text="例: 申請管理システムとの連携（夜間の一覧取得）")
    days = forms.IntegerField(label="有効期間（日）", min_value=1, initial=30)

    def __init__(self, *args: object, actor: Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        limit = tokens.max_days()
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = limit
        days.validators.append(MaxValueValidator(limit))
        days.help_text = f"1日から{limit}日まで。期限が来ると使えなくなります。"
        days.widget.attrs["max"] = str(limit)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        if actor.user is not None and actor.user.role == Role.ADMINISTRATOR:
            user_field.queryset = (User.objects.filter(is_active=True, organisation__isnull=False)
                                   .select_related("organisation").order_by("organisation__code", "username"))
        else:
            own = actor.user.pk if actor.user is not None else 0
            user_field.queryset = User.objects.filter(pk=own)
            user_field.initial = own


@require_http_methods(["GET", "POST"])
@signed_in
def api_tokens(request: HttpRequest, actor: Actor) -> HttpResponse:
    assert actor.user is not None
    can_issue = tokens.may_issue_for(actor, actor.user)
    form = IssueForm(request.POST or None, actor=actor)
    issued = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                issued = tokens.issue_token(actor=actor, user=d["user"], name=d["name"], days=d["days"])
                record_access(actor=actor, action=AuditEvent.API_TOKEN_ISSUE, target=issued.change.target)
        except BusinessRuleError as exc:
            messages.error(request, str(exc))
        else:
            form = IssueForm(actor=actor)
    rows = list(tokens.visible_tokens(actor).order_by("-created_at", "-id")[:500])
    response = render(request, "web/accounts/api_tokens.html", {
        "form": form, "rows": rows, "issued": issued, "can_issue": can_issue, "now": timezone.now(),
        "is_admin": actor.user.role == Role.ADMINISTRATOR,
    })
    add_never_cache_headers(response)  # the answer to an issue holds the token once: never cache it
    return response


@require_POST
@signed_in
def revoke(request: HttpRequest, actor: Actor, token_id: int) -> HttpResponse:
    token = get_object_or_404(tokens.visible_tokens(actor), pk=token_id)
    try:
        with transaction.atomic():
            change = tokens.revoke_token(actor=actor, token=token)
            record_access(actor=actor, action=AuditEvent.API_TOKEN_REVOKE, target=change.target)
    except BusinessRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{change.target}（アクセスログに記録しました）")
    return redirect("accounts:api_tokens")
