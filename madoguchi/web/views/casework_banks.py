"""The bank and branch picker of the paper application form (htmx): the names are shown from the codes as
the operator types them, and a bank or branch can be found by its name or kana and chosen.

Only the public bank master (``core.banking``) is read here; no resident's data is shown or changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from madoguchi.accounts.context import Actor
from madoguchi.casework.services.access import require_action
from madoguchi.core.bankchanges import entry_warnings
from madoguchi.core.banking import (
    AccountError,
    BankInfo,
    BranchInfo,
    find_banks,
    lookup_bank,
    lookup_branch,
    normalise_code,
    search_branches,
)
from madoguchi.register.models import Program

BANK_KEYS = ("bank_name", "bank_code", "branch_name", "branch_code")


def bank_context(code: str, values: dict[str, str], *, pick_bank: str = "", pick_branch: str = "") -> dict[str, Any]:
    """The picker's state: the four fields, the master names of the codes, and why a code is wrong."""
    v = {k: (values.get(k) or "").strip() for k in BANK_KEYS}
    if pick_bank:
        v["bank_code"], v["bank_name"], v["branch_code"], v["branch_name"] = pick_bank, "", "", ""
    if pick_branch:
        v["branch_code"], v["branch_name"] = pick_branch, ""
    bank: BankInfo | None = None
    branch: BranchInfo | None = None
    errors: dict[str, str] = {}
    if v["bank_code"]:
        try:
            bank = lookup_bank(normalise_code(v["bank_code"], 4))
        except AccountError as exc:
            errors.update(exc.errors)
    if bank is not None:
        v["bank_code"] = bank.code
        v["bank_name"] = v["bank_name"] or bank.name
        if v["branch_code"]:
            try:
                branch = lookup_branch(bank.code, normalise_code(v["branch_code"], 3))
            except AccountError as exc:
                errors.update(exc.errors)
        if branch is not None:
            v["branch_code"] = branch.code
            v["branch_name"] = v["branch_name"] or branch.name
    # merged or closed codes (the ward's list on top of the master; issue 19 §6): warned here, refused at lock
    warnings = entry_warnings(bank.code, branch.code if branch else "", today=timezone.localdate()) if bank else []
    return {"v": v, "bank": bank, "branch": branch, "errors": errors, "warnings": warnings,
            "url": reverse("casework:bank_lookup", args=[code])}


@login_required
@require_GET
def bank_lookup(request: HttpRequest, code: str) -> HttpResponse:
    """The picker fragment (``part`` = ``bank_results`` / ``branch_results`` for the search lists)."""
    program = get_object_or_404(Program, code=code)
    require_action(Actor.from_request(request, purpose="申請の受付"), program.code, "intake")
    part = request.GET.get("part", "")
    url = reverse("casework:bank_lookup", args=[program.code])
    if part == "bank_results":
        banks = find_banks(request.GET.get("bank_q", ""))
        return render(request, "web/casework/_bank_results.html", {"banks": banks, "kind": "bank", "url": url})
    if part == "branch_results":
        try:
            branches = search_branches(normalise_code(request.GET.get("bank_code", ""), 4),
                                       request.GET.get("branch_q", ""))
            error = ""
        except AccountError:
            branches, error = [], "先に金融機関を選んでください。"
        return render(request, "web/casework/_bank_results.html",
                      {"branches": branches, "kind": "branch", "error": error, "url": url})
    ctx = bank_context(code, request.GET.dict(), pick_bank=request.GET.get("pick_bank", ""),
                       pick_branch=request.GET.get("pick_branch", ""))
    return render(request, "web/casework/_bank_fields.html", {"b": ctx})
