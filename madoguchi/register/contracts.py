"""Answers the access-log analysis' question "did this organisation have a valid contract that day?"
(registered on ``madoguchi.core.contracts`` in :meth:`RegisterConfig.ready`)."""

from __future__ import annotations

import datetime as dt

from madoguchi.accounts.models import Organisation
from madoguchi.register.models import Outsourcing, RevisionStatus


def has_declared_contract(organisation_code: str, day: dt.date) -> bool | None:
    """True when an approved revision declares an outsourcing to the organisation covering ``day``;
    False when the organisation is a contractor or sub-contractor without one; None for ward organisations."""
    org = Organisation.objects.filter(code=organisation_code).first()
    if org is None or not org.is_contractor:
        return None
    return Outsourcing.objects.filter(
        contractor=org, revision__status=RevisionStatus.APPROVED, start_date__lte=day, end_date__gte=day,
    ).exists()
