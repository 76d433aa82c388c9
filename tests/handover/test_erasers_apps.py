"""Erasure reaches casework and payments: cases (with what hangs off them) and inquiries are deleted, the
personal fields of payment items blanked (amounts stay), stored Zengin files emptied; afterwards nothing
of it is found by name or account number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from madoguchi.casework.models import Case, CaseAttachment, CaseEvent, Inquiry, PurchaseLine
from madoguchi.handover.erasers import erasers
from madoguchi.handover.models import ErasureScope
from madoguchi.handover.services import retention
from madoguchi.payments.models import BatchJob, PaymentBatch, PaymentItem, ZenginFile


def _case(program, n, resident=None, name="山田　花子"):
    now = timezone.now()
    case = Case.objects.create(program=program, number=f"C-{n:05d}", status_changed_at=now, address="東京都新宿区1-1",
                               name=name, received_on=dt.date(2023, 6, 1), resident=resident,
                               account_number="1234567")
    CaseEvent.objects.create(case=case, at=now, on=now.date(), actor="tanto", note="受付")
    PurchaseLine.objects.create(case=case, item="防犯カメラ", cost=10000)
    Inquiry.objects.create(program=program, case=case, at=now, caller=name, question="いつ届きますか", responder="x")
    return case


def _payment(program, batch, n, resident=None, name="ヤマダ ハナコ"):
    return PaymentItem.objects.create(
        batch=batch, program=program, source_ref=f"case:{n}", beneficiary_key=f"R{n}", purpose="手当",
        resident_id=resident.pk if resident else None, payee_name=name, bank_code="0001", bank_name="みずほ",
        bank_kana="ﾐｽﾞﾎ", branch_code="001", branch_name="本店", branch_kana="ﾎﾝﾃﾝ", account_type="1",
        account_number="7654321", account_last4="4321", holder_kana=name, amount=20000)


def test_casework_and_payments_erasers_are_registered(db):
    kinds = [e.kind for e in erasers()]
    for kind in ("inquiries", "cases", "payment_items", "zengin_files", "participations", "packages"):
        assert kind in kinds
    assert kinds.index("inquiries") < kinds.index("cases")


def test_program_erasure_reaches_cases_inquiries_and_payments(world, settings, django_capture_on_commit_callbacks):
    program = world.programs["child"]
    cases = [_case(program, n, resident=world.residents[f"child{n}"]) for n in range(3)]
    stored = Path(settings.MEDIA_ROOT) / "private" / "casework" / "receipt.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 receipt")
    CaseAttachment.objects.create(case=cases[0], kind="領収書", original_name="r.pdf", content_type="application/pdf",
                                  size=16, sha256="e" * 64, path="private/casework/receipt.pdf", uploaded_by="x",
                                  uploaded_at=timezone.now())
    batch = PaymentBatch.objects.create(program=program, transfer_date=dt.date(2023, 12, 1))
    for n in range(3):
        _payment(program, batch, n, resident=world.residents[f"child{n}"])
    ZenginFile.objects.create(batch=batch, filename="F.txt", content="c2VjcmV0LWJ5dGVz", sha256="c" * 64, size=12,
                              record_count=3, total_amount=60000, line_ending="crlf")
    BatchJob.objects.create(program=program, transfer_date=dt.date(2023, 12, 1), requested_by=world.users["child"],
                            problems=["case:1（ヤマダ ハナコ）: 口座番号がありません"], problem_count=1)
    other = _case(world.programs["health"], 99, name="別事業　太郎")

    run = retention.plan_erasure(program=program, scope=ErasureScope.PROGRAM, reason="保存期間満了",
                                 actor=world.actor("child"))
    planned = {r["kind"]: r["count"] for r in run.planned}
    assert planned["cases"] == 3 and planned["inquiries"] == 3 and planned["payment_items"] == 3
    assert planned["zengin_files"] == 1 and planned["case_attachments"] == 1 and planned["batch_job_problems"] == 1
    assert Case.objects.filter(program=program).count() == 3  # the dry run changed nothing

    retention.approve_erasure(run=run, actor=world.actor("privacy"))
    with django_capture_on_commit_callbacks(execute=True):
        record = retention.execute_erasure(run=run, actor=world.actor("child"))
    done = {r["kind"]: r["count"] for r in record.counts}
    assert done["cases"] == 3 and done["payment_items"] == 3 and done["zengin_files"] == 1

    assert not Case.objects.filter(program=program).exists()
    assert not CaseEvent.objects.filter(case__program=program).exists()
    assert not Inquiry.objects.filter(program=program).exists()
    assert not Case.objects.filter(name="山田　花子").exists()
    items = PaymentItem.objects.filter(program=program)
    assert items.count() == 3 and {i.amount for i in items} == {20000}
    assert not items.exclude(payee_name="").exists() and not items.filter(resident_id__isnull=False).exists()
    assert not PaymentItem.objects.filter(holder_kana="ヤマダ ハナコ").exists()
    assert {i.account_number for i in items} == {""}
    assert not ZenginFile.objects.get().content
    assert not CaseAttachment.objects.exists() and not stored.exists()
    assert BatchJob.objects.get().problems == []
    assert Case.objects.filter(pk=other.pk).exists()  # another program's data stays


def test_withdrawal_takes_only_that_residents_cases(world):
    program = world.programs["health"]
    leaving, staying = world.residents["health0"], world.residents["health1"]
    _case(program, 1, resident=leaving)
    kept = _case(program, 2, resident=staying, name="残る　人")
    run = retention.plan_erasure(program=program, scope=ErasureScope.PARTICIPANT, reason="退会届",
                                 actor=world.actor("health"), resident=leaving)
    retention.approve_erasure(run=run, actor=world.actor("other_department"))
    retention.execute_erasure(run=run, actor=world.actor("health"))
    assert list(Case.objects.filter(program=program)) == [kept]
    assert Inquiry.objects.filter(program=program).count() == 1


def test_every_model_pointing_at_a_program_or_resident_is_erased_or_declared_not_personal():
    from django.apps import apps

    from madoguchi.handover.erasers_apps import ERASED_MODELS, NOT_PERSONAL

    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("casework", "payments", "programs"):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and getattr(field, "related_model", None) is not None and \
                    field.related_model._meta.label in ("register.Program", "residents.Resident"):
                found.add(model._meta.label)
    assert found == set(ERASED_MODELS) | set(NOT_PERSONAL), (
        "a new model keeps program or resident data: register an eraser in handover/erasers_apps.py")
    kinds = {e.kind for e in erasers()}
    assert set(ERASED_MODELS.values()) <= kinds
