"""The casework pages: each renders for the roles that may use it, filters fields by the policy, and
refuses (logged) the others."""

from __future__ import annotations

import pytest

from madoguchi.audit.models import AccessLog
from madoguchi.casework.models import Case, Inquiry, NoticeKind, Status
from tests.casework.conftest import MAPPING, csv_bytes, row
from tests.casework.factories import CODE, make_case


@pytest.fixture
def client_for(client):
    from django.test import Client

    from tests.factories import PASSWORD

    def make(user):
        c = Client()
        assert c.login(username=user.username, password=PASSWORD)
        return c
    return make


def test_staff_walks_every_page(setup, client_for):
    case = make_case(setup.program, status=Status.GRANTED, granted_amount=12000)
    c = client_for(setup.staff)
    for url in ["/cases/", f"/cases/{CODE}/list/", f"/cases/case/{case.pk}/", f"/cases/{CODE}/import/",
                f"/cases/{CODE}/profile/", f"/cases/{CODE}/paper/", f"/cases/{CODE}/duplicates/",
                f"/cases/{CODE}/settings/", f"/cases/{CODE}/settings/templates/grant/",
                f"/cases/{CODE}/simulate/?cost=25000", f"/cases/{CODE}/notices/", f"/cases/{CODE}/inquiries/",
                f"/cases/case/{case.pk}/edit/"]:
        response = c.get(url)
        assert response.status_code == 200, url
    assert "12,000" in c.get(f"/cases/{CODE}/simulate/?cost=25000").content.decode()
    pdf = c.get(f"/cases/case/{case.pk}/notice/{NoticeKind.GRANT}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert c.post(f"/cases/{CODE}/queue/").status_code == 302
    case.refresh_from_db()
    assert case.status == Status.QUEUED


def test_case_page_shows_bank_account_to_staff_but_not_to_callcenter(setup, client_for):
    case = make_case(setup.program)
    staff_html = client_for(setup.staff).get(f"/cases/case/{case.pk}/").content.decode()
    cc_html = client_for(setup.callcenter).get(f"/cases/case/{case.pk}/").content.decode()
    assert "1234567" in staff_html and 'data-testid="bank-account"' in staff_html
    assert "1234567" not in cc_html and 'data-testid="bank-account"' not in cc_html and "三井住友" not in cc_html
    assert "山田　太郎" in cc_html and 'data-testid="inquiry-form"' in cc_html
    assert AccessLog.objects.filter(action="case.view", username="callcenter", resident_count=0).exists()


def test_callcenter_logs_an_inquiry_from_the_case_page(setup, client_for):
    case = make_case(setup.program)
    c = client_for(setup.callcenter)
    response = c.post(f"/cases/{CODE}/inquiries/", {"case_number": case.number, "back": "case", "channel": "phone",
                                                    "caller": "本人", "question": "いつ振り込まれますか",
                                                    "answer": "決定後1か月程度"})
    assert response.status_code == 302
    assert Inquiry.objects.get().case == case


@pytest.mark.parametrize("who", ["other_staff", "privacy", "auditor", "admin"])
def test_other_roles_are_refused_and_logged(setup, client_for, who):
    case = make_case(setup.program)
    c = client_for(getattr(setup, who))
    for url in [f"/cases/case/{case.pk}/", f"/cases/{CODE}/list/", f"/cases/{CODE}/import/"]:
        assert c.get(url).status_code == 403, url
    assert c.post(f"/cases/case/{case.pk}/step/", {"step": "start_review"}).status_code == 403
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert AccessLog.objects.filter(action="policy.denied", username=getattr(setup, who).username).count() == 4


def test_callcenter_cannot_import_or_review(setup, client_for):
    case = make_case(setup.program)
    c = client_for(setup.callcenter)
    assert c.get(f"/cases/{CODE}/import/").status_code == 403
    assert c.post(f"/cases/case/{case.pk}/step/", {"step": "start_review"}).status_code == 403
    assert c.get(f"/cases/{CODE}/settings/").status_code == 403
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_import_page_shows_row_errors_and_imports_nothing(setup, client_for, profile):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(setup.contractor)
    bad = SimpleUploadedFile("x.csv", csv_bytes(row(cost="abc")), content_type="text/csv")
    html = c.post(f"/cases/{CODE}/import/", {"profile": profile.pk, "file": bad}).content.decode()
    assert "2行目" in html and "購入金額1" in html
    assert Case.objects.count() == 0
    good = SimpleUploadedFile("x.csv", csv_bytes(row()), content_type="text/csv")
    html = c.post(f"/cases/{CODE}/import/", {"profile": profile.pk, "file": good}).content.decode()
    assert "新規 1 件" in html and Case.objects.count() == 1


def test_profile_page_saves_a_mapping(setup, client_for):
    c = client_for(setup.staff)
    data = {"name": "LoGo", **{f"col_{f}": h for h, f in MAPPING.items() if not f.startswith("pledge:")},
            "pledges": "誓約1=暴力団員でないこと\n誓約2=記載内容が事実であること"}
    assert c.post(f"/cases/{CODE}/profile/", data).status_code == 302
    from madoguchi.casework.models import FormProfile

    assert FormProfile.objects.get().mapping == MAPPING


def test_review_and_grant_through_the_page(setup, client_for):
    case = make_case(setup.program)
    c = client_for(setup.staff)
    c.post(f"/cases/case/{case.pk}/step/", {"step": "start_review"})
    c.post(f"/cases/case/{case.pk}/step/", {"step": "request_correction", "content": "領収書の再提出"})
    c.post(f"/cases/case/{case.pk}/step/", {"step": "resume_review"})
    c.post(f"/cases/case/{case.pk}/step/", {"step": "grant", "amount": ""})
    case.refresh_from_db()
    assert case.status == Status.GRANTED and case.granted_amount == 15000


def test_settings_page_configures_the_rule(setup, client_for):
    c = client_for(setup.staff)
    response = c.post(f"/cases/{CODE}/settings/", {
        "rate_numerator": "1", "rate_denominator": "2", "cap": "30000", "rounding_unit": "1000", "rounding": "floor",
        "one_per_household": "on", "exclude_past_grantees": "on", "require_residence": "on",
        "residence_prefix": "東京都新宿区", "period_start": "令和8年5月1日", "period_end": "2027-02-28",
        "required_attachments": "領収書\n設置写真", "pledges": "暴力団員でないこと"})
    assert response.status_code == 302
    setup.rule.refresh_from_db()
    assert setup.rule.cap == 30000 and str(setup.rule.period_start) == "2026-05-01"


def test_notice_batch_page_runs_the_job_and_logs_the_download(setup, client_for, django_capture_on_commit_callbacks):
    make_case(setup.program, status=Status.GRANTED, granted_amount=12000)
    c = client_for(setup.contractor)
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(f"/cases/{CODE}/notices/", {"kind": "grant"}).status_code == 302
    from madoguchi.casework.models import NoticeJob

    job = NoticeJob.objects.get()
    assert 'data-testid="job-download' in c.get(f"/cases/jobs/{job.pk}/").content.decode()
    pdf = c.get(f"/cases/jobs/{job.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="case.notice_render", target=f"notice_job:{job.pk}:download").exists()
    assert client_for(setup.callcenter).get(f"/cases/jobs/{job.pk}/pdf/").status_code == 403
