"""Navigation shown in the header, by role.  An area whose pages are not there yet is left out."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (url name, label, roles that see it; empty = every signed-in user)
NAV: list[tuple[str, str, set[str]]] = [
    ("residents:search", "住民検索", {"department_staff", "contractor", "subcontractor"}),
    ("casework:board", "申請・案件", {"department_staff", "contractor", "subcontractor"}),
    ("payments:batches", "支払", {"department_staff"}),
    ("handover:ledger", "受渡管理簿", {"department_staff", "privacy_office", "auditor"}),
    ("register:programs", "事業台帳", {"department_staff", "privacy_office", "auditor", "administrator"}),
    ("register:evidence_board", "証跡", {"privacy_office"}),
    ("policy:contractors", "アクセス方針", {"department_staff", "privacy_office", "contractor", "subcontractor",
                                        "administrator", "auditor"}),
    ("audit:log", "アクセスログ", {"auditor", "privacy_office"}),
    ("administration:index", "システム管理", {"administrator"}),
    ("residents:gaiji", "外字対応表", {"department_staff", "administrator"}),
    ("payments:bank_changes", "金融機関の統廃合", {"department_staff", "administrator"}),
    ("accounts:api_tokens", "APIトークン", {"department_staff"}),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "municipality_name": settings.MUNICIPALITY_NAME}
    items = []
    for name, label, roles in NAV:
        if roles and user.role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items, "municipality_name": settings.MUNICIPALITY_NAME}
