"""The contractor records an inspection and an erasure report; the measures turn from overdue/due to
proven on the measures page, on the privacy office's board and in the council document."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from madoguchi.accounts.context import Actor
from madoguchi.core.era import format_wareki
from madoguchi.register.models import ChecklistMeasure, Outsourcing, Revision
from madoguchi.register.services.documents import council_document
from madoguchi.register.services.workflow import approve_revision, submit_revision
from tests.register.factories import role_users, valid_revision


def logout(page) -> None:
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/accounts/login/**")


def record(page, code: str, kind: str, measure_key: str, title: str, day: str) -> None:
    page.goto(f"/register/{code}/evidence/new/")
    page.select_option("#id_kind", kind)
    page.select_option("#id_outsourcing", label="委託先A株式会社")
    page.check(f"input[name=measures][value='{ChecklistMeasure.objects.get(key=measure_key).pk}']")
    page.fill("#id_title", title)
    page.fill("#id_happened_on", day)
    page.get_by_test_id("save").click()
    page.wait_for_selector("[data-testid=measure-statuses]")


@pytest.mark.django_db(transaction=True)
def test_contractor_records_evidence_and_the_status_turns_proven(page, login_as, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    users = role_users()
    revision = valid_revision()
    code = revision.program.code
    Outsourcing.objects.filter(revision=revision, parent__isnull=False).delete()  # one contract, no sub-contract
    main = Outsourcing.objects.get(revision=revision, parent__isnull=True)
    main.start_date = dt.date(2025, 4, 1)  # the contract has run for over a year without an inspection
    main.end_date = dt.date.today() - dt.timedelta(days=1)  # and has just ended: the final erasure report is due
    main.save()
    Revision.objects.filter(pk=revision.pk).update(purpose="区民の防犯意識を高めるため。", target_persons="区民",
                                                   start_date=dt.date(2025, 4, 1))
    submit_revision(revision=revision, actor=Actor.cli(users["owner"]))
    approve_revision(revision=Revision.objects.get(pk=revision.pk), decided_on=dt.date(2025, 3, 20),
                     meeting="令和6年度第4回", kind="承認", actor=Actor.cli(users["privacy_office"]))
    inspection = f"[data-testid=measure-oc-op-02-{main.pk}]"
    erasure = f"[data-testid=measure-oc-op-10-{main.pk}]"

    data = council_document(revision=revision, fmt="docx", actor=Actor.cli(users["privacy_office"]))
    before = {r.cells[2].text: r.cells[4].text for t in Document(io.BytesIO(data)).tables
              if len(t.rows[0].cells) == 5 and t.rows[0].cells[4].text == "証跡" for r in t.rows[1:]}
    assert before[ChecklistMeasure.objects.get(key="oc-op-02").text] == "期限切れ"

    login_as(users["privacy_office"].username)
    page.goto("/register/evidence/")
    assert page.get_by_test_id(f"open-oc-op-02-{main.pk}").get_attribute("data-status") == "overdue"
    logout(page)

    login_as(users["contractor"].username)
    page.goto(f"/register/{code}/measures/")
    assert page.locator(inspection).get_attribute("data-status") == "overdue"
    assert page.locator(erasure).get_attribute("data-status") == "due"
    yesterday = format_wareki(dt.date.today() - dt.timedelta(days=1))
    record(page, code, "inspection", "oc-op-02", "立入調査（委託先事業所）", yesterday)
    assert page.locator(inspection).get_attribute("data-status") == "proven"
    record(page, code, "contractor_erasure", "oc-op-10", "自社サーバー上のデータの消去報告", yesterday)
    assert page.locator(erasure).get_attribute("data-status") == "proven"
    assert "立入調査（委託先事業所）" in page.get_by_test_id("evidence-list").inner_text()
    logout(page)

    login_as(users["privacy_office"].username)
    page.goto("/register/evidence/")
    page.wait_for_selector(f"[data-testid=board-{code}]")
    assert page.get_by_test_id(f"open-oc-op-02-{main.pk}").count() == 0  # proven: no longer listed as open
    page.goto(f"/register/{code}/r1/")
    with page.expect_download() as download:
        page.get_by_role("link", name="付議事項（Word）").click()
    doc = Document(download.value.path())
    status = {r.cells[2].text: r.cells[4].text for t in doc.tables if len(t.rows[0].cells) == 5
              and t.rows[0].cells[4].text == "証跡" for r in t.rows[1:]}
    assert status[ChecklistMeasure.objects.get(key="oc-op-02").text] == "証明済み"
    assert status[ChecklistMeasure.objects.get(key="oc-op-10").text] == "証明済み"
