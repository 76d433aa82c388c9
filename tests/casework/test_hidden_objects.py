"""One rule for object ids on the screens (issue 16 item 9): an id that names no case and the id of a case the
user may not see (another program's) answer the same 403 with the same words, and both are logged; nothing
changes.  Per role, for every page and action that takes a case id or an id of something inside a case."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    DuplicateCandidate,
    ResentResponse,
    Status,
)
from tests.casework.factories import make_case
from tests.factories import PASSWORD, ProgramFactory

ROLES = ["staff", "other_staff", "contractor", "callcenter", "privacy", "auditor", "admin"]


def _urls(case_id: int, child: dict[str, int]) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("get", f"/cases/case/{case_id}/", {}),
        ("get", f"/cases/case/{case_id}/edit/", {}),
        ("post", f"/cases/case/{case_id}/step/", {"step": "start_review"}),
        ("post", f"/cases/case/{case_id}/assign/", {"user": ""}),
        ("post", f"/cases/case/{case_id}/account/", {"bank_code": "0001"}),
        ("get", f"/cases/case/{case_id}/notice/grant.pdf", {}),
        ("post", f"/cases/candidate/{child['candidate']}/settle/", {"duplicate": "no", "reason": "別人と確認した"}),
        ("post", f"/cases/resent/{child['resent']}/seen/", {"note": "確認"}),
        ("get", f"/cases/attachment/{child['attachment']}/", {}),
    ]


def _children(case: Case) -> dict[str, int]:
    cand = DuplicateCandidate.objects.create(case=case, kind="same_household", other_case=case, score=0.9,
                                             verdict="possible")
    resent = ResentResponse.objects.create(case=case, received_at=case.status_changed_at, content_hash="x" * 64,
                                           payload={})
    att = CaseAttachment.objects.create(case=case, kind="領収書", original_name="a.pdf",
                                        content_type="application/pdf", size=1, sha256="0" * 64,
                                        path=f"cases/{case.pk}/a.pdf", uploaded_by="x",
                                        uploaded_at=case.status_changed_at)
    return {"candidate": cand.pk, "resent": resent.pk, "attachment": att.pk}


def _state():
    return (list(Case.objects.order_by("pk").values_list("pk", "status", "assigned_to_id", "bank_code")),
            CaseEvent.objects.count(), list(DuplicateCandidate.objects.values_list("settlement", flat=True)),
            list(ResentResponse.objects.values_list("settled", flat=True)))


def _reason(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("role", ROLES)
def test_missing_and_foreign_objects_answer_alike(setup, role):
    # given a case of another department's program, and ids that name nothing
    other = ProgramFactory(code="other-subsidy", department=setup.other_staff.organisation,
                           program_type="application_subsidy")
    foreign = make_case(other, name="他課　花子", status=Status.UNDER_REVIEW)
    foreign_children = _children(foreign)
    owner = setup.other_staff if role == "other_staff" else None
    missing = {"candidate": 10**6, "resent": 10**6, "attachment": 10**6}
    client = Client()
    assert client.login(username=getattr(setup, role).username, password=PASSWORD)
    before = _state()
    foreign_urls = _urls(foreign.pk, foreign_children)
    missing_urls = _urls(10**6, missing)
    for (method, foreign_url, data), (_, missing_url, _) in zip(foreign_urls, missing_urls, strict=True):
        answers = []
        for url in (missing_url, foreign_url):
            last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = getattr(client, method)(url, data)
            if owner is not None and url == foreign_url:
                break  # the owning department sees its own case: no oracle to check there
            # then refused with a 403, and the refusal is logged
            assert response.status_code == 403, (url, response.status_code)
            rows = list(AccessLog.objects.filter(id__gt=last))
            assert [r.allowed for r in rows] == [False], url
            answers.append(_reason(response))
        if owner is None:
            # and both answers are the same page, naming nothing of the foreign case
            assert answers[0] == answers[1], (missing_url, foreign_url)
            assert foreign.name not in answers[1]
    if owner is None:
        assert _state() == before


def test_a_missing_ledger_entry_is_refused_and_logged(setup):
    client = Client()
    assert client.login(username=setup.staff.username, password=PASSWORD)
    for url in ("/handover/ledger/999999/", "/handover/packages/999999/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert not AccessLog.objects.latest("id").allowed
