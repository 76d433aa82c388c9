"""``{% break_glass_offer %}``: on the 403 page of a resident's record, offer 理由を記入して閲覧 to roles that may."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from madoguchi.register.policy import break_glass_roles

register = template.Library()

RESIDENT_PATH = re.compile(r"^/residents/(?P<resident_id>\d+)/$")


@register.inclusion_tag("web/policy/_break_glass_offer.html", takes_context=True)
def break_glass_offer(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = RESIDENT_PATH.match(getattr(request, "path", "") or "")
    if request is None or match is None or user is None or not user.is_authenticated \
            or user.role not in break_glass_roles():
        return {"offer_url": ""}
    resident_id = match.group("resident_id")
    query = urlencode({"resident": resident_id, "next": request.path})
    return {"offer_url": f"{reverse('policy:break_glass')}?{query}"}
