"""The auditor screens name operations, roles and channels in Japanese (the log itself keeps the codes)."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services import record_access
from madoguchi.web.templatetags.audit_tags import ACTION_LABELS
from tests.audit.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_rows(staff_user, actor_for):
    return [record_access(actor=actor_for(staff_user), action=AuditEvent.RESIDENT_VIEW, residents=[10 + i])
            for i in range(3)]


def test_every_event_type_has_a_japanese_name():
    missing = [e.value for e in AuditEvent if e not in ACTION_LABELS]
    assert missing == [], f"audit_tags.ACTION_LABELS に名前がありません: {missing}"
    assert all(not label.isascii() for label in ACTION_LABELS.values())


def test_list_and_detail_show_japanese_names_not_codes(some_rows):
    # given three resident views in the log, and an auditor
    client, _ = client_for(Role.AUDITOR)
    # when the auditor opens the list and one row
    page = client.get("/audit/").content.decode()
    table = page[page.index('data-testid="log-table"'):]
    detail = client.get(f"/audit/{some_rows[0].id}/").content.decode()
    # then operations and roles are named in Japanese, newest (the auditor's own view) first
    assert table.index(">アクセスログの閲覧<") < table.index(">住民の閲覧<")
    assert "<small>担当課職員</small>" in table and "<small>department_staff</small>" not in table
    assert "住民の閲覧（<code>resident.view</code>）" in detail and "<dd>テスト</dd>" in detail
    # and the label of the filter has no ASCII colon
    assert "期間（から）:" not in page and ">期間（から）</label>" in page


def test_paging_is_described_only_when_used(some_rows):
    client, user = client_for(Role.AUDITOR)
    client.get("/audit/")
    client.get(f"/audit/?before={some_rows[-1].id}")
    targets = list(AccessLog.objects.filter(username=user.username).order_by("id").values_list("target", flat=True))
    assert targets == ["一覧 条件なし", f"一覧 条件なし #{some_rows[-1].id}より前"]


def test_the_analysis_row_names_its_sections_in_japanese():
    client, user = client_for(Role.AUDITOR)
    client.get("/audit/analysis/?date_from=2026-11-01&date_to=2026-11-30")
    row = AccessLog.objects.get(username=user.username, action=AuditEvent.AUDIT_ANALYSIS)
    assert "時間外のアクセス 0件" in row.target and "契約期間外の委託先によるアクセス 0件" in row.target
    assert "after_hours" not in row.target
