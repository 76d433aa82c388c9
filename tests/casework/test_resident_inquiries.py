"""Inquiries logged against a resident (not only a case), from the resident's context, by the call center;
the inquiry list shows the history per case and per resident."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import Inquiry
from madoguchi.casework.selectors import list_inquiries
from madoguchi.casework.services.inquiries import log_inquiry
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Participation
from tests.casework.factories import CODE, make_case
from tests.factories import PASSWORD, ResidentFactory


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def people(setup):
    """A participant with a case, a participant without one, and a resident outside the program."""
    with_case, without_case, outsider = ResidentFactory(), ResidentFactory(), ResidentFactory()
    for r in (with_case, without_case):
        Participation.objects.create(program=setup.program, resident=r, role="申請者")
    case = make_case(setup.program, resident=with_case)
    return {"with_case": with_case, "without_case": without_case, "outsider": outsider, "case": case}


def test_call_center_logs_an_inquiry_about_a_resident_without_a_case(setup, people):
    rid = people["without_case"].pk
    inquiry = log_inquiry(actor=setup.actor(setup.callcenter), program=setup.program, resident_id=rid,
                          caller="本人", question="申請期間はいつまでですか")
    assert (inquiry.resident_id, inquiry.case_id, inquiry.organisation) == (rid, None, "callcenter-demo")
    log = AccessLog.objects.get(action=AuditEvent.INQUIRY_LOG)
    assert log.resident_ids == [rid] and log.program == CODE


@pytest.mark.parametrize("who", ["callcenter", "contractor", "staff"])
def test_roles_declared_for_inquiries_may_log_about_a_resident(setup, people, who):
    log_inquiry(actor=setup.actor(getattr(setup, who)), program=setup.program,
                resident_id=people["without_case"].pk, caller="本人", question="質問")
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize("who", ["other_staff", "privacy", "auditor", "admin"])
def test_other_roles_cannot_log_about_a_resident(setup, people, who):
    with pytest.raises(AccessRefused):
        log_inquiry(actor=setup.actor(getattr(setup, who)), program=setup.program,
                    resident_id=people["without_case"].pk, caller="本人", question="質問")
    assert not Inquiry.objects.exists()
    assert not AccessLog.objects.filter(action=AuditEvent.INQUIRY_LOG).exists()


def test_a_resident_outside_the_program_is_refused(setup, people):
    with pytest.raises(AccessRefused, match="対象者ではありません"):
        log_inquiry(actor=setup.actor(setup.callcenter), program=setup.program,
                    resident_id=people["outsider"].pk, caller="本人", question="質問")
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"caller": " ", "question": "質問"}, "問合せ者"),
    ({"caller": "本人", "question": ""}, "問合せ内容"),
    ({"caller": "本人", "question": "質問", "channel": "fax"}, "受付方法"),
])
def test_bad_input_logs_nothing(setup, people, kwargs, message):
    with pytest.raises(BusinessRuleError, match=message):
        log_inquiry(actor=setup.actor(setup.callcenter), program=setup.program,
                    resident_id=people["without_case"].pk, **kwargs)
    assert not Inquiry.objects.exists()


def test_a_case_of_another_resident_is_refused(setup, people):
    with pytest.raises(BusinessRuleError, match="一致しません"):
        log_inquiry(actor=setup.actor(setup.callcenter), program=setup.program, case=people["case"],
                    resident_id=people["without_case"].pk, caller="本人", question="質問")
    assert not Inquiry.objects.exists()


def test_history_per_case_and_per_resident(setup, people):
    cc = setup.actor(setup.callcenter)
    case, rid = people["case"], people["with_case"].pk
    log_inquiry(actor=cc, program=setup.program, case=case, caller="本人", question="審査の状況")
    log_inquiry(actor=cc, program=setup.program, resident_id=rid, caller="家族", question="申請の要件")
    log_inquiry(actor=cc, program=setup.program, resident_id=people["without_case"].pk, caller="本人", question="別人")
    assert [q.question for q in list_inquiries(cc, setup.program, case=case)] == ["審査の状況"]
    assert sorted(q.question for q in list_inquiries(cc, setup.program, resident_id=rid)) == ["審査の状況", "申請の要件"]
    assert len(list_inquiries(cc, setup.program)) == 3
    log = AccessLog.objects.filter(action=AuditEvent.CASE_LIST, target__contains=f"resident:{rid}").get()
    assert log.resident_ids == [rid]


def test_resident_page_shows_history_and_logs_an_inquiry(setup, people):
    rid = people["with_case"].pk
    log_inquiry(actor=setup.actor(setup.staff), program=setup.program, resident_id=rid, caller="本人",
                question="前回の問合せ")
    c = client_for(setup.callcenter)
    url = f"/cases/{CODE}/inquiries/resident/{rid}/"
    page = c.get(url).content.decode()
    assert "前回の問合せ" in page and people["case"].number in page and 'data-testid="resident-inquiry-form"' in page
    assert AccessLog.objects.filter(action=AuditEvent.RESIDENT_VIEW, target=f"resident:{rid}").exists()
    response = c.post(url, {"channel": "phone", "caller": "本人", "question": "振込はいつですか", "answer": "来月です",
                            "case": str(people["case"].pk)})
    assert response.status_code == 302
    inquiry = Inquiry.objects.get(question="振込はいつですか")
    assert (inquiry.resident_id, inquiry.case_id, inquiry.responder) == (rid, people["case"].pk, str(setup.callcenter))
    # a missing question shows the reason and saves nothing
    count = Inquiry.objects.count()
    page = c.post(url, {"channel": "phone", "caller": "本人", "question": ""}, follow=True).content.decode()
    assert "問合せ内容を入力してください" in page and Inquiry.objects.count() == count
    # a case that is not the resident's is refused
    other = make_case(setup.program, name="別人　花子", resident=people["without_case"])
    page = c.post(url, {"caller": "本人", "question": "x", "case": str(other.pk)}, follow=True).content.decode()
    assert "この住民の申請ではありません" in page and Inquiry.objects.count() == count


@pytest.mark.parametrize("who", ["other_staff", "privacy", "auditor", "admin"])
def test_resident_page_refused_to_other_roles(setup, people, who):
    url = f"/cases/{CODE}/inquiries/resident/{people['with_case'].pk}/"
    assert client_for(getattr(setup, who)).get(url).status_code == 403
    assert client_for(getattr(setup, who)).post(url, {"caller": "本人", "question": "q"}).status_code == 403
    assert not Inquiry.objects.exists()


def test_resident_page_refuses_a_resident_outside_the_program(setup, people):
    url = f"/cases/{CODE}/inquiries/resident/{people['outsider'].pk}/"
    c = client_for(setup.callcenter)
    assert c.get(url).status_code == 403
    assert c.post(url, {"caller": "本人", "question": "q"}).status_code == 403
    assert not Inquiry.objects.exists()


def test_inquiry_list_opens_a_resident_by_number_and_filters_by_case(setup, people):
    c = client_for(setup.callcenter)
    resident = people["without_case"]
    response = c.get(f"/cases/{CODE}/inquiries/", {"resident_no": resident.resident_no})
    assert response.status_code == 302 and response["Location"] == f"/cases/{CODE}/inquiries/resident/{resident.pk}/"
    page = c.get(f"/cases/{CODE}/inquiries/", {"resident_no": people["outsider"].resident_no}).content.decode()
    assert "この事業で対応できる住民の中にいません" in page
    log_inquiry(actor=setup.actor(setup.callcenter), program=setup.program, case=people["case"], caller="本人",
                question="案件の質問")
    log_inquiry(actor=setup.actor(setup.callcenter), program=setup.program, resident_id=resident.pk, caller="本人",
                question="住民の質問")
    page = c.get(f"/cases/{CODE}/inquiries/", {"case": people["case"].number}).content.decode()
    assert "案件の質問" in page and "住民の質問" not in page and f"受付番号 {people['case'].number} の問合せ履歴" in page
    page = c.get(f"/cases/{CODE}/inquiries/").content.decode()
    assert "案件の質問" in page and "住民の質問" in page and 'data-testid="resident-history-link"' in page
