"""The register screens: who sees what, forms in Japanese, the workflow buttons, refusals logged."""

from __future__ import annotations

import pytest

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.register.models import ChecklistAnswer, ChecklistMeasure, PersonScope, Revision, RevisionStatus


def url(revision: Revision, tail: str = "") -> str:
    return f"/register/{revision.program.code}/r{revision.number}/{tail}"


@pytest.mark.parametrize("role,status", [("owner", 200), ("privacy_office", 200), ("auditor", 200),
                                         ("administrator", 200), ("contractor", 200), ("subcontractor", 200),
                                         ("other_department", 403), ("other_contractor", 403)])
def test_who_reads_a_revision(revision, users, login_client, role, status):
    response = login_client(users[role]).get(url(revision))
    assert response.status_code == status
    if status == 403:
        assert AccessLog.objects.filter(action=AuditEvent.ACCESS_DENIED, username=users[role].username,
                                        allowed=False).exists()
    else:
        assert "委託先A株式会社" in response.content.decode()


def test_anonymous_is_sent_to_log_in(revision, client):
    response = client.get(url(revision))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_program_list_shows_only_what_concerns_the_user(revision, users, login_client):
    assert "登録テスト事業" in login_client(users["owner"]).get("/register/").content.decode()
    assert "登録テスト事業" in login_client(users["subcontractor"]).get("/register/").content.decode()
    assert "登録テスト事業" not in login_client(users["other_department"]).get("/register/").content.decode()


def test_scope_form_explains_errors_in_japanese(revision, users, login_client):
    client = login_client(users["owner"])
    response = client.post(url(revision, "scope/new/"), {"name": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "個人の範囲を入力してください。" in body and "記録項目を1つ以上選んでください。" in body
    assert "本人識別" in client.get(url(revision, "scope/new/")).content.decode()  # categories shown
    response = client.post(url(revision, "scope/new/"), {"name": "過去の交付決定者", "items": ["name", "address"]})
    assert response.status_code == 302
    assert set(PersonScope.objects.get(revision=revision, name="過去の交付決定者").recorded_items.values_list(
        "item__key", flat=True)) == {"name", "address"}


def test_outsourcing_form_checks_the_period(revision, users, login_client):
    client = login_client(users["owner"])
    contractor = revision.outsourcings.get(parent__isnull=True).contractor
    response = client.post(url(revision, "outsourcing/new/"), {
        "contractor": contractor.pk, "items": ["name"], "media_kinds": ["paper"], "tasks": ["printing"],
        "task_description": "印刷", "reason": "大量印刷", "start_date": "令和8年5月1日", "end_date": "R8.4.1"})
    assert "委託期間の終了日は開始日より後の日にしてください。" in response.content.decode()
    assert revision.outsourcings.count() == 2


def test_answers_page_requires_a_reason_for_not_needed(revision, users, login_client):
    client = login_client(users["owner"])
    answer = ChecklistAnswer.objects.filter(revision=revision).first()
    data = {f"answer-{a.pk}": "○" for a in ChecklistAnswer.objects.filter(revision=revision)}
    data[f"answer-{answer.pk}"] = "－"
    response = client.post(url(revision, "answers/"), data)
    assert response.status_code == 400 and "理由を入力してください" in response.content.decode()
    answer.refresh_from_db()
    assert answer.answer == "○"
    data[f"reason-{answer.pk}"] = "該当しないため。"
    assert client.post(url(revision, "answers/"), data).status_code == 302
    answer.refresh_from_db()
    assert (answer.answer, answer.reason) == ("－", "該当しないため。")


def test_submit_decide_and_new_revision_through_the_screens(revision, users, login_client):
    owner, privacy = login_client(users["owner"]), login_client(users["privacy_office"])
    assert owner.post(url(revision, "submit/")).status_code == 302
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED
    # an incomplete decision is explained, nothing recorded
    response = privacy.post(url(revision, "decide/"), {"outcome": "approve", "kind": "", "meeting": ""})
    assert response.status_code == 400 and "決定の種別を入力してください。" in response.content.decode()
    # the owner cannot record it
    assert owner.post(url(revision, "decide/"), {"outcome": "approve", "kind": "承認", "decided_on": "R8.5.20",
                                                 "meeting": "令和8年度第1回"}).status_code == 403
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED
    privacy.post(url(revision, "decide/"), {"outcome": "approve", "kind": "承認", "decided_on": "R8.5.20",
                                           "meeting": "令和8年度第1回"})
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPROVED and revision.meeting == "令和8年度第1回"
    # frozen: the edit pages send the owner back
    response = owner.get(url(revision, "overview/"))
    assert response.status_code == 302
    response = owner.post(f"/register/{revision.program.code}/new-revision/", follow=True)
    assert "第2版" in response.content.decode() and "前の版（第1版）との違い" in response.content.decode()


def test_submit_with_problems_lists_them(revision, users, login_client):
    ChecklistAnswer.objects.filter(revision=revision).update(answer="－", reason="")
    response = login_client(users["owner"]).post(url(revision, "submit/"), follow=True)
    assert "提出前の確認で" in response.content.decode()
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.DRAFT


def test_documents_download(revision, users, login_client):
    client = login_client(users["contractor"])
    response = client.get(url(revision, "document.pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get(url(revision, "document.docx"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get("/register/file-register.csv").status_code == 200


def test_templates_are_edited_by_the_privacy_office_only(revision, users, login_client):
    measure = ChecklistMeasure.objects.filter(template__kind="outsourcing").first()
    data = {f"text-{measure.pk}": "区の正式な文言に直した対策。", f"active-{measure.pk}": "on"}
    assert login_client(users["owner"]).post("/register/templates/checklists/outsourcing/", data).status_code == 403
    measure.refresh_from_db()
    assert measure.text != "区の正式な文言に直した対策。"
    response = login_client(users["privacy_office"]).post("/register/templates/checklists/outsourcing/", data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.text == "区の正式な文言に直した対策。"
    response = login_client(users["privacy_office"]).post("/register/templates/clauses/丙/", {
        "new-heading": "報告", "new-text": "丙は、毎月の取扱状況を乙に報告する。"})
    assert response.status_code == 302


def test_each_part_is_added_changed_and_deleted_through_its_form(revision, users, login_client):
    from madoguchi.register.models import Certification, FlowStep, Linkage, Outsourcing, System

    client = login_client(users["owner"])
    contractor = revision.outsourcings.get(parent__isnull=True)
    forms = {
        "system": (System, {"name": "補助管理システム", "kind": "contractor_hosted", "domestic_law": "on",
                            "reason": "一元管理のため", "processing": "進捗を管理する", "schedule": "令和8年4月 構築"}),
        "linkage": (Linkage, {"counterpart": "委託先のシステム", "items": ["name"], "reason": "共有のため",
                              "form": "専用端末からVPN", "start_date": "R8.5.1", "period": "令和9年3月31日まで"}),
        "flow": (FlowStep, {"number": 1, "source_kind": "resident", "source": "申請者", "target_kind": "contractor",
                            "target": "委託先A", "items": ["name", "address"], "medium": "electronic",
                            "note": "電子申請"}),
        "outsourcing": (Outsourcing, {"parent": contractor.pk, "contractor": contractor.contractor.pk,
                                      "items": ["name"], "media_kinds": ["paper"], "tasks": ["printing"],
                                      "task_description": "印刷", "reason": "大量印刷", "start_date": "2026-06-01",
                                      "end_date": "2026-12-31", "hands_over_data": "on"}),
    }
    for kind, (model, data) in forms.items():
        before = model.objects.filter(revision=revision).count()
        response = client.post(url(revision, f"{kind}/new/"), data)
        assert response.status_code == 302, (kind, response.content.decode()[:2000])
        row = model.objects.filter(revision=revision).order_by("-pk").first()
        assert model.objects.filter(revision=revision).count() == before + 1
        assert client.get(url(revision, f"{kind}/{row.pk}/")).status_code == 200
        assert client.post(url(revision, f"{kind}/{row.pk}/delete/")).status_code == 302
        assert model.objects.filter(revision=revision).count() == before
    response = client.post(url(revision, "certifications/new/"), {
        "organisation": contractor.contractor.pk, "name": "ISMS", "number": "IS-1", "valid_from": "R8.1.1",
        "valid_until": "R9.12.31"})
    assert response.status_code == 302 and Certification.objects.filter(name="ISMS").exists()


def test_staff_register_a_program_and_get_the_checklists_they_need(users, login_client):
    from madoguchi.register.models import Program

    client = login_client(users["owner"])
    response = client.post("/register/new/", {"code": "bad code!", "name": ""})
    assert "事業コードは半角英数字" in response.content.decode() and "事業名を入力してください。" in response.content.decode()
    response = client.post("/register/new/", {"code": "new-program", "name": "新しい事業", "title": ""})
    assert "事業類型を入力してください。" in response.content.decode()
    response = client.post("/register/new/", {"code": "new-program", "name": "新しい事業", "title": "",
                                              "program_type": "not-a-type"})
    assert "事業類型は一覧から選んでください。" in response.content.decode()
    assert not Program.objects.filter(code="new-program").exists()
    response = client.post("/register/new/", {"code": "new-program", "name": "新しい事業", "title": "",
                                              "program_type": "cohort_mailing"})
    assert response.status_code == 302
    assert Program.objects.get(code="new-program").program_type == "cohort_mailing"
    revision = Program.objects.get(code="new-program").revisions.get()
    assert revision.title == "新しい事業" and revision.status == RevisionStatus.DRAFT
    response = client.post(url(revision, "overview/"), {
        "title": "新しい事業について", "purpose": "目的", "target_persons": "区民", "start_date": "R8.4.1",
        "end_date": "R9.3.31", "has_outsourcing": "on"})
    assert response.status_code == 302
    kinds = set(ChecklistAnswer.objects.filter(revision=revision).values_list("measure__template__kind", flat=True))
    assert kinds == {"outsourcing"}
    assert login_client(users["contractor"]).post("/register/new/", {"code": "x", "name": "x"}).status_code == 403
    assert not Program.objects.filter(code="x").exists()


def test_the_demo_revision_page_shows_the_difference(demo, client):
    from madoguchi.accounts.models import User

    client.force_login(User.objects.get(username="hogo"))
    body = client.get("/register/crime-prevention-subsidy-2026/r2/").content.decode()
    assert 'class="diff-added" data-change="added"' in body
    assert "過去の交付決定者" in body and "令和8年4月1日" in body
    assert 'data-testid="flow-diagram"' in body and "flow-step--changed" in body
    assert 'data-testid="decision-form"' in body
