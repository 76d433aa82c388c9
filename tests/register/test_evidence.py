"""Operations' evidence is shown beside the approved register: ledger rows, returns, certificates, log rows."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.register.models import Revision
from madoguchi.web.views.register_evidence import program_evidence

pytestmark = pytest.mark.django_db
CODE = "crime-prevention-subsidy-2026"


def test_evidence_counts_the_programs_log_rows_only(demo):
    staff = User.objects.get(username="tanto")
    actor = Actor(user=staff, address="127.0.0.1")
    before = program_evidence(CODE)
    record_access(actor=actor, action=AuditEvent.CASE_VIEW, residents=[1], program=CODE)
    record_access(actor=actor, action=AuditEvent.ACCESS_DENIED, allowed=False, program=CODE, reason="x")
    record_access(actor=actor, action=AuditEvent.CASE_VIEW, residents=[2], program="health-points")
    evidence = program_evidence(CODE)
    assert (evidence.log_rows - before.log_rows, evidence.denied - before.denied,
            evidence.break_glass - before.break_glass) == (2, 1, 0)
    assert evidence.handover.packages == 0


def test_the_approved_revision_page_shows_the_evidence_and_a_draft_does_not(demo):
    client = Client()
    client.force_login(User.objects.get(username="hogo"))
    approved = Revision.objects.get(program__code=CODE, number=1)
    page = client.get(f"/register/{CODE}/r{approved.number}/")
    assert page.status_code == 200, page.content[:300]
    html = page.content.decode()
    assert 'data-testid="evidence"' in html and "運用の証跡" in html
    submitted = client.get(f"/register/{CODE}/r2/").content.decode()
    assert 'data-testid="evidence"' not in submitted
