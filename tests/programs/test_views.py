"""The program page and enrolment from it (issue 10, "Work any program from one program page")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.audit.models import AccessLog
from madoguchi.register.models import Participation
from tests.factories import ResidentFactory
from tests.programs.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _url(program, tail: str = "") -> str:
    return f"/programs/{program.code}/{tail}"


def test_owner_sees_every_section_and_the_enrolment_forms(world, login_client):
    program = world.programs["cohort_mailing"]
    ResidentFactory(birth_date=dt.date(2006, 6, 1))
    client = login_client(world.users["owner"])

    response = client.post(_url(program, "enrol/"), {"source": "master", "rule": "cohort"})
    assert response.status_code == 302
    page = client.get(_url(program)).content.decode()

    assert "対象者抽出・郵送" in page and 'data-testid="enrol-master"' in page and 'data-testid="enrol-csv"' in page
    assert 'data-testid="people-total">1<' in page
    for heading in ("処理の状況", "支払", "受渡し", "保護措置の証跡"):
        assert heading in page


def test_contractor_sees_the_people_but_not_enrolment_payments_or_handovers(world, login_client):
    page = login_client(world.users["contractor"]).get(_url(world.programs["cohort_mailing"])).content.decode()
    assert "対象者" in page
    for hidden in ('data-testid="enrol"', "<h2>支払</h2>", "<h2>受渡し</h2>", "保護措置の証跡"):
        assert hidden not in page


def test_contractor_cannot_enrol_through_the_screen(world, login_client):
    person = ResidentFactory(birth_date=dt.date(2006, 6, 1))
    response = login_client(world.users["contractor"]).post(
        _url(world.programs["cohort_mailing"], "enrol/"), {"source": "resident", "resident_no": person.resident_no})
    assert response.status_code == 403
    assert not Participation.objects.exists()
    assert AccessLog.objects.filter(allowed=False, username="contractor").exists()


def test_bad_roster_on_the_screen_lists_each_line_and_enrols_nobody(world, login_client):
    program = world.programs["points_scheme"]
    good = ResidentFactory()
    data = f"住民番号\n{good.resident_no}\n000\n{good.resident_no}\n".encode()
    response = login_client(world.users["owner"]).post(_url(program, "enrol/"), {
        "source": "csv", "file": SimpleUploadedFile("roster.csv", data, content_type="text/csv")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3行目「住民番号」列: 住民番号 000 は住民記録にありません" in page
    assert f"4行目「住民番号」列: 同じ住民番号 {good.resident_no} が 2 行目にもあります" in page
    assert "1人も登録していません" in page
    assert not Participation.objects.exists()


def test_one_resident_from_the_screen(world, login_client):
    program = world.programs["push_allowance"]
    person = ResidentFactory()
    client = login_client(world.users["owner"])
    response = client.post(_url(program, "enrol/"), {"source": "resident", "resident_no": person.resident_no},
                           follow=True)
    assert "個人の範囲「手当の支給対象者」に 1 人を登録しました。" in response.content.decode()
    assert Participation.objects.get(program=program).role == "受給者"
    response = client.post(_url(program, "enrol/"), {"source": "resident", "resident_no": person.resident_no},
                           follow=True)
    assert "既にこの事業の対象者です" in response.content.decode()
    assert Participation.objects.filter(program=program).count() == 1


def test_a_type_without_roster_enrolment_shows_how_people_come_in(world, login_client):
    page = login_client(world.users["owner"]).get(_url(world.programs["application_subsidy"])).content.decode()
    assert 'data-testid="enrol-none"' in page and "申請の受付で対象者になります" in page
    assert "交付ルール・通知書の文面" in page  # the type's own screens are linked


def test_jobs_with_progress_and_the_page_polls_only_while_one_runs(world, login_client):
    from madoguchi.casework.models import NoticeJob

    program = world.programs["application_subsidy"]
    job = NoticeJob.objects.create(program=program, kind="grant", status="running", total=40, done=12,
                                   created_by="owner")
    client = login_client(world.users["owner"])
    page = client.get(_url(program)).content.decode()
    assert "12 / 40" in page and 'hx-trigger="every 2s"' in page
    job.status, job.done = "done", 40
    job.save()
    page = client.get(_url(program)).content.decode()
    assert "40 / 40" in page and 'hx-trigger="every 2s"' not in page
