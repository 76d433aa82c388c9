from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import OrganisationKind, Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access
from tests.audit.helpers import jst, log_at
from tests.audit.tamper import sql
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS = [Role.AUDITOR, Role.PRIVACY_OFFICE]
OTHERS = [Role.DEPARTMENT_STAFF, Role.CONTRACTOR, Role.SUBCONTRACTOR, Role.ADMINISTRATOR]
PAGES = [
    ("get", "/audit/"),
    ("get", "/audit/{first}/"),  # the first row of some_rows (ids come from a sequence: ADR 0019)
    ("get", "/audit/export.csv"),
    ("get", "/audit/analysis/?date_from=2026-11-01&date_to=2026-11-30"),
    ("post", "/audit/verify/"),
]
KIND = {Role.AUDITOR: OrganisationKind.AUDIT, Role.PRIVACY_OFFICE: OrganisationKind.PRIVACY_OFFICE,
        Role.DEPARTMENT_STAFF: OrganisationKind.DEPARTMENT, Role.CONTRACTOR: OrganisationKind.CONTRACTOR,
        Role.SUBCONTRACTOR: OrganisationKind.SUBCONTRACTOR, Role.ADMINISTRATOR: OrganisationKind.IT}


def client_for(role: str) -> tuple[Client, object]:
    org = OrganisationFactory(code=f"org-{role}", kind=KIND[role])
    user = UserFactory(username=f"u-{role}", role=role, organisation=org)
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def some_rows(staff_user, actor_for):
    actor = actor_for(staff_user)
    return [record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[10 + i], program="prog")
            for i in range(3)]


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize(("method", "url"), PAGES)
def test_readers_may_open_every_audit_page_and_it_is_logged(role, method, url, some_rows):
    url = url.format(first=some_rows[0].id)
    client, user = client_for(role)
    before = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = getattr(client, method)(url)
    assert response.status_code == 200
    mine = AccessLog.objects.filter(username=user.username, id__gt=before)
    assert mine.filter(allowed=True, action__startswith="audit.").count() == 1


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize(("method", "url"), PAGES)
def test_other_roles_are_refused_and_the_refusal_is_logged(role, method, url, some_rows):
    url = url.format(first=some_rows[0].id)
    client, user = client_for(role)
    before = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = getattr(client, method)(url)
    assert response.status_code == 403
    assert "アクセスログを閲覧できるのは監査担当と個人情報保護担当だけです" in response.content.decode()
    new = list(AccessLog.objects.filter(id__gt=before))
    assert [(r.username, r.action, r.allowed, r.target) for r in new] == [
        (user.username, AuditEvent.ACCESS_DENIED, False, url.split("?")[0])]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_anonymous_is_refused_logged_and_sent_to_log_in(method, url, some_rows):
    url = url.format(first=some_rows[0].id)
    before = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = getattr(Client(), method)(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
    new = list(AccessLog.objects.filter(id__gt=before))
    assert [(r.username, r.action, r.allowed, r.target) for r in new] == [
        ("(anonymous)", AuditEvent.ACCESS_DENIED, False, url.split("?")[0])]


def test_list_shows_newest_first_and_logs_the_view(some_rows):
    client, user = client_for(Role.AUDITOR)
    page = client.get("/audit/").content.decode()
    page = page[page.index('data-testid="log-table"'):]
    # the view is logged before the page is read, so the auditor sees their own view on top
    assert page.index("audit.view") < page.index("resident.view")
    row = AccessLog.objects.get(username=user.username)
    assert row.action == AuditEvent.AUDIT_VIEW and "条件なし" in row.target


@pytest.mark.parametrize(("query", "expected"), [
    ("username=staff", {"staff-view", "staff-denied", "staff-glass"}),
    ("outcome=denied", {"staff-denied", "other-denied"}),
    ("outcome=allowed&username=other", {"other-night"}),
    ("action=policy.denied", {"staff-denied", "other-denied"}),
    ("resident=42", {"staff-view", "other-night"}),
    ("program=prog-b", {"other-night"}),
    ("break_glass=on", {"staff-glass"}),
    ("organisation=dept-other", {"other-denied", "other-night"}),
    ("date_from=2026-11-20&date_to=2026-11-20", {"staff-view", "staff-denied", "staff-glass", "other-denied"}),
    ("date_from=2026-11-21", {"other-night"}),
])
def test_filters(query, expected, staff_user, actor_for):
    other = UserFactory(username="other", organisation=OrganisationFactory(code="dept-other"))
    s, o = actor_for(staff_user), actor_for(other)
    log_at(jst(2026, 11, 20, 10), s, residents=[42, 7], target="staff-view")
    log_at(jst(2026, 11, 20, 11), s, AuditEvent.ACCESS_DENIED, allowed=False, target="staff-denied")
    log_at(jst(2026, 11, 20, 12), s, AuditEvent.BREAK_GLASS, residents=[7], break_glass=True, target="staff-glass")
    log_at(jst(2026, 11, 20, 23, 59), o, AuditEvent.ACCESS_DENIED, allowed=False, target="other-denied")
    log_at(jst(2026, 11, 21, 0, 0), o, residents=[42], program="prog-b", target="other-night")
    client, _ = client_for(Role.AUDITOR)
    page = client.get(f"/audit/?{query}").content.decode()
    names = {"staff-view", "staff-denied", "staff-glass", "other-denied", "other-night"}
    assert {n for n in names if f">{n}<" in page} == expected


def test_invalid_filter_shows_an_error_and_no_rows(some_rows):
    client, _ = client_for(Role.AUDITOR)
    page = client.get("/audit/?date_from=2026-13-40").content.decode()
    assert "条件に誤りがあります" in page and "該当する記録はありません" in page


def test_keyset_pages_walk_the_whole_log(staff_user, actor_for, django_assert_max_num_queries):
    actor = actor_for(staff_user)
    ids = [record_access(actor=actor, action=AuditEvent.RESIDENT_SEARCH, target=f"t{i}").id for i in range(120)]
    client, _ = client_for(Role.PRIVACY_OFFICE)
    seen: list[int] = []
    url = "/audit/?username=staff"
    pages = 0
    while url:
        with django_assert_max_num_queries(12):
            response = client.get(url)
        page = response.context["page"]
        seen += [r.id for r in page.rows]
        url = f"/audit/?username=staff&before={page.older}" if page.older else ""
        pages += 1
    assert pages == 3 and seen == ids[::-1]
    # and back to newer rows
    newer = client.get(f"/audit/?username=staff&after={ids[49]}").context["page"]
    assert [r.id for r in newer.rows] == ids[99:49:-1] and newer.newer == ids[99]


def test_detail_shows_every_field_and_hashes(some_rows):
    client, _ = client_for(Role.AUDITOR)
    row = some_rows[1]
    page = client.get(f"/audit/{row.id}/").content.decode()
    assert row.row_hash in page and row.prev_hash in page and "resident.view" in page and "11" in page
    assert AccessLog.objects.filter(action=AuditEvent.AUDIT_VIEW, target=f"詳細 #{row.id}").exists()
    assert client.get("/audit/999999/").status_code == 404


def test_csv_export_of_the_filtered_log_is_logged(some_rows, staff_user, actor_for):
    record_access(actor=actor_for(staff_user), action=AuditEvent.LOGIN)
    client, user = client_for(Role.AUDITOR)
    response = client.get("/audit/export.csv?action=resident.view")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    lines = body.splitlines()
    assert lines[0].startswith("\ufeffID,日時,利用者")
    assert len(lines) == 4 and all(",resident.view," in line for line in lines[1:])
    assert some_rows[0].row_hash in body
    row = AccessLog.objects.get(action=AuditEvent.AUDIT_EXPORT)
    assert row.username == user.username and "action=resident.view" in row.target


def test_verify_button_reports_an_intact_chain(some_rows):
    client, user = client_for(Role.AUDITOR)
    response = client.post("/audit/verify/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "チェーンは正常です" in response.content.decode()
    assert AccessLog.objects.filter(action=AuditEvent.AUDIT_VERIFY, username=user.username).exists()


def test_verify_button_names_the_tampered_row(some_rows):
    second = some_rows[1].id
    sql("UPDATE audit_accesslog SET program = 'changed' WHERE id = %s", [second])
    client, _ = client_for(Role.AUDITOR)
    response = client.post("/audit/verify/")
    assert response.status_code == 409
    page = response.content.decode()
    assert f"行 #{second} が書き換えられています" in page and f'href="/audit/{second}/"' in page
    partial = client.post("/audit/verify/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and f"行 #{second} が書き換えられています" in partial.content.decode()


def test_analysis_screen_lists_findings_and_offers_csv(staff_user, actor_for):
    log_at(jst(2026, 11, 21, 10), actor_for(staff_user), residents=[1])
    client, user = client_for(Role.PRIVACY_OFFICE)
    form = client.get("/audit/analysis/")
    assert form.status_code == 200 and not AccessLog.objects.filter(action=AuditEvent.AUDIT_ANALYSIS).exists()
    page = client.get("/audit/analysis/?date_from=2026-11-01&date_to=2026-11-30")
    html = page.content.decode()
    assert 'data-testid="count-after_hours">1<' in html and 'data-testid="count-denied">0<' in html
    csv_response = client.get("/audit/analysis/?date_from=2026-11-01&date_to=2026-11-30&format=csv")
    assert csv_response.content.decode("utf-8").startswith("\ufeff区分,行ID")
    assert AccessLog.objects.filter(action=AuditEvent.AUDIT_ANALYSIS, username=user.username).count() == 2


def test_analysis_rejects_a_reversed_period(db):
    client, _ = client_for(Role.AUDITOR)
    page = client.get("/audit/analysis/?date_from=2026-11-30&date_to=2026-11-01").content.decode()
    assert "期間の終わりが始まりより前です" in page
    assert not AccessLog.objects.filter(action=AuditEvent.AUDIT_ANALYSIS).exists()
