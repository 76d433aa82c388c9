"""Resident pages: search, resident page, import upload; access log and refusals."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.residents.models import AddressHistory, Resident
from tests.residents.conftest import Register, csv_bytes

SEARCH = "/residents/"


def new_log_rows(before: int) -> list[AccessLog]:
    return list(AccessLog.objects.filter(id__gt=before).order_by("id"))


def last_id() -> int:
    row = AccessLog.objects.order_by("-id").first()
    return row.id if row else 0


def test_urls() -> None:
    assert reverse("residents:search") == "/residents/"
    assert reverse("residents:detail", args=[5]) == "/residents/5/"
    assert reverse("residents:import") == "/residents/import/"


def test_search_shows_results_and_logs_the_ids_shown(register: Register, people, login_client) -> None:
    client = login_client(register.users["staff"])
    before = last_id()
    response = client.get(SEARCH, {"q": "ﾀｶﾊｼ"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="resident-row"') == 3  # "outside" takes part in no program: not visible
    assert "髙橋　一郎" in html and "髙橋　外" not in html
    assert 'id="id_q"' in html
    rows = new_log_rows(before)
    assert [r.action for r in rows] == [AuditEvent.RESIDENT_SEARCH]
    assert set(rows[0].resident_ids) == {people[k].pk for k in ("head", "spouse", "child")}
    assert rows[0].allowed and "ﾀｶﾊｼ" in rows[0].target


def test_search_form_alone_logs_nothing(register: Register, people, login_client) -> None:
    client = login_client(register.users["staff"])
    before = last_id()
    response = client.get(SEARCH)
    assert response.status_code == 200 and 'data-testid="resident-row"' not in response.content.decode()
    assert new_log_rows(before) == []


def test_search_with_no_result_logs_an_empty_search(register: Register, people, login_client) -> None:
    client = login_client(register.users["staff"])
    before = last_id()
    response = client.get(SEARCH, {"q": "やまだ"})
    assert 'data-testid="no-results"' in response.content.decode()
    rows = new_log_rows(before)
    assert [(r.action, r.resident_ids) for r in rows] == [(AuditEvent.RESIDENT_SEARCH, [])]


def test_search_by_birth_date_and_address(register: Register, people, login_client) -> None:
    client = login_client(register.users["staff"])
    html = client.get(SEARCH, {"birth_date": "令和元年5月1日", "address": "西新宿２丁目８−１"}).content.decode()
    assert html.count('data-testid="resident-row"') == 1 and "髙橋　翔" in html
    bad = client.get(SEARCH, {"birth_date": "2025-02-30"}).content.decode()
    assert 'data-testid="birth-date-error"' in bad and "存在しない日付" in bad


def test_resident_page_shows_household_and_history_and_logs_the_view(register: Register, people,
                                                                     login_client) -> None:
    head = people["head"]
    AddressHistory.objects.create(resident=head, address="東京都新宿区大久保一丁目1番1号",
                                  valid_until="2025-04-01T00:00:00+09:00")
    client = login_client(register.users["staff"])
    before = last_id()
    response = client.get(f"/residents/{head.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span data-testid="resident-name">髙橋　一郎</span>' in html
    assert html.count('data-testid="household-member"') == 2 and "髙橋　外" not in html
    assert "東京都新宿区大久保一丁目1番1号" in html and "昭和50年1月2日" in html
    rows = new_log_rows(before)
    assert [r.action for r in rows] == [AuditEvent.RESIDENT_VIEW]
    assert head.pk in rows[0].resident_ids and rows[0].target == f"resident:{head.pk}"


def test_contractor_sees_only_declared_items(register: Register, people, login_client) -> None:
    client = login_client(register.users["contractor"])
    html = client.get(SEARCH, {"q": "高橋"}).content.decode()
    assert html.count('data-testid="resident-row"') == 3
    assert "髙橋　一郎" in html and "東京都新宿区" not in html and "昭和50年" not in html
    page = client.get(f"/residents/{people['head'].pk}/").content.decode()
    assert "髙橋　一郎" in page and "東京都新宿区" not in page and "昭和50年" not in page
    assert 'data-testid="household"' not in page


def test_contractor_may_not_search_by_an_undeclared_item(register: Register, people, login_client) -> None:
    client = login_client(register.users["contractor"])
    before = last_id()
    html = client.get(SEARCH, {"address": "西新宿2-8-1"}).content.decode()
    assert "この項目で検索する権限がありません" in html and 'data-testid="resident-row"' not in html
    rows = new_log_rows(before)
    assert [(r.action, r.allowed, r.resident_ids) for r in rows] == [(AuditEvent.ACCESS_DENIED, False, [])]


@pytest.mark.parametrize("role", ["undeclared", "privacy", "auditor", "administrator", "other_staff"])
def test_roles_without_grants_are_refused_and_the_refusal_is_logged(register: Register, people, login_client,
                                                                    role: str) -> None:
    client = login_client(register.users[role])
    for url, params in ((SEARCH, {"q": "高橋"}), (f"/residents/{people['head'].pk}/", {})):
        before = last_id()
        response = client.get(url, params)
        assert response.status_code == 403
        assert "髙橋" not in response.content.decode()
        rows = new_log_rows(before)
        assert [(r.action, r.allowed) for r in rows] == [(AuditEvent.ACCESS_DENIED, False)]


def test_a_resident_outside_the_actors_programs_is_refused_and_logged(register: Register, people,
                                                                      login_client) -> None:
    client = login_client(register.users["staff"])
    before = last_id()
    response = client.get(f"/residents/{people['outside'].pk}/")
    assert response.status_code == 403 and "髙橋　外" not in response.content.decode()
    assert [(r.action, r.allowed) for r in new_log_rows(before)] == [(AuditEvent.ACCESS_DENIED, False)]


def test_anonymous_is_sent_to_log_in(people, client) -> None:
    response = client.get(SEARCH, {"q": "高橋"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_data_is_shown_when_the_log_cannot_be_written(register: Register, people, login_client) -> None:
    client = login_client(register.users["staff"])
    with mock.patch("madoguchi.web.views.residents.record_access", side_effect=RuntimeError("log down")), \
            pytest.raises(RuntimeError):
        client.get(f"/residents/{people['head'].pk}/")


def test_search_page_query_count_is_bounded(register: Register, people, login_client,
                                            django_assert_max_num_queries) -> None:
    client = login_client(register.users["staff"])
    with django_assert_max_num_queries(30):
        client.get(SEARCH, {"q": "高橋"})


# --- import upload -------------------------------------------------------------------------------------

LINE = "300000001,新宿　太郎,シンジュク　タロウ,R2.4.1,男,160-0022,東京都新宿区新宿一丁目1番1号,,H9,世帯主,,"


def test_upload_imports_a_file(register: Register, login_client, django_capture_on_commit_callbacks) -> None:
    client = login_client(register.users["staff"])
    assert client.get("/residents/import/").status_code == 200
    upload = SimpleUploadedFile("extract.csv", csv_bytes(LINE, encoding="cp932"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/residents/import/", {"file": upload})
    assert "新規 1件" in client.get(response["Location"]).content.decode()
    assert Resident.objects.get(resident_no="300000001").name == "新宿　太郎"


def test_upload_of_a_bad_file_lists_the_errors_and_changes_nothing(register: Register, login_client,
                                                                   django_capture_on_commit_callbacks) -> None:
    client = login_client(register.users["staff"])
    before = last_id()
    bad = csv_bytes(LINE, LINE.replace("R2.4.1", "2025-02-30").replace("300000001", "300000002"), LINE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/residents/import/", {"file": SimpleUploadedFile("bad.csv", bad)})
    html = client.get(response["Location"]).content.decode()
    assert html.count('data-testid="import-error"') == 2
    assert "存在しない日付です" in html and "2行目と重複" in html
    assert not Resident.objects.exists() and new_log_rows(before) == []


@pytest.mark.parametrize("role", ["contractor", "undeclared", "privacy", "auditor", "administrator"])
def test_upload_is_refused_to_other_roles(register: Register, login_client, role: str) -> None:
    client = login_client(register.users[role])
    before = last_id()
    upload = SimpleUploadedFile("extract.csv", csv_bytes(LINE))
    response = client.post("/residents/import/", {"file": upload})
    assert response.status_code == 403
    assert not Resident.objects.exists()
    assert [(r.action, r.allowed) for r in new_log_rows(before)] == [(AuditEvent.ACCESS_DENIED, False)]


def test_a_criterion_needs_its_item_in_every_grant(register: Register, people, login_client) -> None:
    # given the department also owns a program that records names only
    import datetime as dt

    from madoguchi.register.catalogue import ensure_catalogue
    from madoguchi.register.models import PersonScope, Program, RecordedItem, Revision, RevisionStatus

    catalogue = ensure_catalogue()
    program = Program.objects.create(code="res-names-only", name="氏名だけの事業", department=register.orgs["dept"])
    revision = Revision.objects.create(program=program, number=1, status=RevisionStatus.APPROVED, title="氏名だけ",
                                       start_date=dt.date(2026, 4, 1), end_date=dt.date(2027, 3, 31),
                                       decided_on=dt.date(2026, 3, 19))
    scope = PersonScope.objects.create(revision=revision, name="対象者")
    RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=catalogue[k]) for k in ("resident_no", "name")])
    client = login_client(register.users["staff"])
    before = last_id()
    # when staff search by birth date (an item the second program does not record)
    html = client.get(SEARCH, {"birth_date": "1975-01-02"}).content.decode()
    # then the search is refused for that criterion, and nothing is shown or logged
    assert "この項目で検索する権限がありません" in html and 'data-testid="resident-row"' not in html
    rows = new_log_rows(before)
    assert [(r.action, r.allowed, r.resident_ids) for r in rows] == [(AuditEvent.ACCESS_DENIED, False, [])]
    # while a name search still works
    assert client.get(SEARCH, {"q": "高橋"}).content.decode().count('data-testid="resident-row"') == 3
