"""Erasers and dataset providers for other apps' data (casework, payments), registered at start-up.

The erasers here reach the engines' tables and apply to every program.  The case dataset (:data:`CASES`)
is registered by the program types that take applications, through their spec (ADR 0010).

Handover may import casework and payments (ADR 0001).  Models are looked up by name, so an app whose
models are not there (yet) is skipped instead of breaking the start.

What is erased for a program (or one participant of it):

- casework: inquiries, attachment files, cases with everything that hangs off a case (purchases, history,
  re-sent responses, duplicate candidates, notices), past-grantee lists and rendered notice PDFs;
- payments: the personal fields of payment items (payee name, account number and holder, resident id,
  beneficiary key, corrections) are blanked — amounts, dates, bank codes and results stay as the
  accounting record — the stored Zengin files' content is emptied (hash, count and total stay), and the
  problem lists of batch-creation jobs (they name payees) are cleared.

A participant's erasure (withdrawal) takes that resident's cases, inquiries and payment items; files that
hold many people at once (Zengin files, notice PDFs, past-grantee lists) go with the program's erasure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db.models import CharField, Model, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from madoguchi.handover.datasets import DatasetProvider, Row
from madoguchi.handover.erasers import Eraser, ErasureTarget, register_eraser
from madoguchi.register.models import Program, Revision

# Models of casework/payments/programs that point at a program or a resident, and how erasure treats them.
# tests/handover/test_erasers_apps.py fails when a new such model appears in neither list.
ERASED_MODELS = {
    "casework.Case": "cases", "casework.Inquiry": "inquiries", "casework.PastGranteeList": "past_grantees",
    "casework.NoticeJob": "notice_pdfs", "payments.PaymentItem": "payment_items",
    "payments.BatchJob": "batch_job_problems",
}
NOT_PERSONAL = {
    "casework.FormProfile": "列の対応（設定）だけで個人の情報を含まない",
    "casework.NoticeTemplate": "通知書の文面（設定）",
    "programs.SubsidyRule": "補助の規則（設定）",
    "payments.PaymentProfile": "振込依頼人（区）の設定",
    "payments.PaymentBatch": "件数と合計だけ（明細は payment_items、ファイルは zengin_files で消去）",
}


def _model(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _fields(model: type[Model]) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


# --- casework ------------------------------------------------------------------------------------------

def _cases(target: ErasureTarget) -> QuerySet[Any]:
    Case = _model("casework.Case")
    assert Case is not None
    qs = Case.objects.filter(program=target.program)  # type: ignore[attr-defined]
    if target.resident_id is not None:
        qs = qs.filter(resident_id=target.resident_id)
    return qs


def _attachments(target: ErasureTarget) -> QuerySet[Any]:
    model = _model("casework.CaseAttachment")
    assert model is not None
    return model.objects.filter(case__in=_cases(target))  # type: ignore[attr-defined,no-any-return]


def _erase_attachments(target: ErasureTarget) -> int:
    # Row by row, so that casework's post_delete handler removes each stored file once the erasure commits.
    _total, per_model = _attachments(target).delete()
    return int(per_model.get("casework.CaseAttachment", 0))


def _erase_cases(target: ErasureTarget) -> int:
    _total, per_model = _cases(target).only("pk").delete()
    return int(per_model.get("casework.Case", 0))


def _inquiries(target: ErasureTarget) -> QuerySet[Any]:
    Inquiry = _model("casework.Inquiry")
    assert Inquiry is not None
    qs = Inquiry.objects.filter(program=target.program)  # type: ignore[attr-defined]
    if target.resident_id is not None:
        qs = qs.filter(Q(resident_id=target.resident_id) | Q(case__resident_id=target.resident_id))
    return qs


def _erase_inquiries(target: ErasureTarget) -> int:
    _total, per_model = _inquiries(target).delete()
    return int(per_model.get("casework.Inquiry", 0))


def _program_only(label: str) -> Any:
    def qs(target: ErasureTarget) -> QuerySet[Any]:
        model = _model(label)
        assert model is not None
        if target.resident_id is not None:
            return model.objects.none()  # type: ignore[attr-defined,no-any-return]
        return model.objects.filter(program=target.program)  # type: ignore[attr-defined,no-any-return]
    return qs


def _past_grantees(target: ErasureTarget) -> QuerySet[Any]:
    model = _model("casework.PastGrantee")
    assert model is not None
    if target.resident_id is not None:
        return model.objects.none()  # type: ignore[attr-defined,no-any-return]
    return model.objects.filter(grantee_list__program=target.program)  # type: ignore[attr-defined,no-any-return]


def _erase_past_grantees(target: ErasureTarget) -> int:
    count = _past_grantees(target).count()
    _program_only("casework.PastGranteeList")(target).delete()
    return int(count)


def _notice_pdfs(target: ErasureTarget) -> QuerySet[Any]:
    return _program_only("casework.NoticeJob")(target).filter(pdf__isnull=False)  # type: ignore[no-any-return]


def _erase_notice_pdfs(target: ErasureTarget) -> int:
    return int(_notice_pdfs(target).update(pdf=None, case_ids=[]))


def register_casework() -> bool:
    if _model("casework.Case") is None or "resident" not in _fields(_model("casework.Case")):  # type: ignore[arg-type]
        return False
    if _model("casework.Inquiry") is not None:
        register_eraser(Eraser("inquiries", "問合せの記録", lambda t: _inquiries(t).count(), _erase_inquiries,
                               order=200, models=("casework.Inquiry",)))
    if _model("casework.CaseAttachment") is not None:
        register_eraser(Eraser("case_attachments", "申請の添付ファイル（領収書・写真など）",
                               lambda t: _attachments(t).count(), _erase_attachments, order=290,
                               models=("casework.CaseAttachment",)))
    register_eraser(Eraser("cases", "申請・案件（購入内容・履歴・通知書・重複候補を含む）",
                           lambda t: _cases(t).count(), _erase_cases, order=300, models=("casework.Case",)))
    if _model("casework.PastGranteeList") is not None and _model("casework.PastGrantee") is not None:
        register_eraser(Eraser("past_grantees", "過去の交付決定者名簿", lambda t: _past_grantees(t).count(),
                               _erase_past_grantees, order=310,
                               models=("casework.PastGranteeList", "casework.PastGrantee")))
    if _model("casework.NoticeJob") is not None and "pdf" in _fields(_model("casework.NoticeJob")):  # type: ignore[arg-type]
        register_eraser(Eraser("notice_pdfs", "作成済みの通知書PDF", lambda t: _notice_pdfs(t).count(),
                               _erase_notice_pdfs, order=320, models=("casework.NoticeJob",)))
    return True


# Case fields revealed by each catalogue item (export packages of application-type programs).
CASE_ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",), "name_kana": ("name_kana",), "birth_date": ("birth_date",),
    "postal_code": ("postal_code",), "address": ("address",), "phone": ("phone",), "email": ("email",),
    "household_head": ("household_head", "household_relation"), "application_date": ("application_date",),
    "application_amount": ("application_amount",), "payment_amount": ("granted_amount",),
    "account_holder": ("account_holder_kana",),
    "bank_account": ("bank_code", "branch_code", "account_type", "account_number"),
    "case_progress": ("received_on", "reviewed_on", "decided_on", "paid_on"),
}


def _case_rows(program: Program, revision: Revision, items: tuple[str, ...]) -> Iterator[Row]:
    Case = _model("casework.Case")
    assert Case is not None
    for case in Case.objects.filter(program=program).order_by("number").iterator(chunk_size=2000):  # type: ignore[attr-defined]
        out: dict[str, Any] = {}
        for key in items:
            values = [getattr(case, f) for f in CASE_ITEM_FIELDS[key]]
            out[key] = " ".join(v.isoformat() if isinstance(v, dt.date) else str(v) for v in values if v not in
                                (None, ""))
        yield case.resident_id, out


CASES = DatasetProvider(
    name="cases", label="申請・案件",
    items=frozenset(CASE_ITEM_FIELDS),
    count=lambda p, r: _model("casework.Case").objects.filter(program=p).count(),  # type: ignore[union-attr]
    rows=_case_rows,
)


# --- payments --------------------------------------------------------------------------------------------

PAYMENT_BLANKS: dict[str, Any] = {
    "payee_name": "", "account_number": "", "account_last4": "", "holder_kana": "", "resident_id": None,
    "corrected_account_number": "", "corrected_holder_kana": "", "corrected_bank_code": "",
    "corrected_branch_code": "", "corrected_account_type": "",
}


def _payment_items(target: ErasureTarget) -> QuerySet[Any]:
    PaymentItem = _model("payments.PaymentItem")
    assert PaymentItem is not None
    qs = PaymentItem.objects.filter(program=target.program).exclude(payee_name="")  # type: ignore[attr-defined]
    if target.resident_id is not None:
        qs = qs.filter(resident_id=target.resident_id)
    return qs


def _erase_payment_items(target: ErasureTarget) -> int:
    PaymentItem = _model("payments.PaymentItem")
    assert PaymentItem is not None
    fields = _fields(PaymentItem)
    blanks = {k: v for k, v in PAYMENT_BLANKS.items() if k in fields}
    done = 0
    ids = list(_payment_items(target).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        # beneficiary_key identifies the person; it becomes a per-row placeholder (keeps the constraint).
        done += PaymentItem.objects.filter(pk__in=chunk).update(  # type: ignore[attr-defined]
            beneficiary_key=Concat(Value("erased:"), Cast("pk", CharField())), **blanks)
    return done


def _empty_content() -> Any:
    """The empty value of ZenginFile.content (a BinaryField once, an encrypted text field now)."""
    ZenginFile = _model("payments.ZenginFile")
    assert ZenginFile is not None
    field = ZenginFile._meta.get_field("content")
    return b"" if getattr(field, "get_internal_type", lambda: "")() == "BinaryField" else ""


def _zengin_files(target: ErasureTarget) -> QuerySet[Any]:
    ZenginFile = _model("payments.ZenginFile")
    assert ZenginFile is not None
    if target.resident_id is not None:
        return ZenginFile.objects.none()  # type: ignore[attr-defined,no-any-return]
    return ZenginFile.objects.filter(batch__program=target.program).exclude(  # type: ignore[attr-defined,no-any-return]
        content=_empty_content())


def _erase_zengin_files(target: ErasureTarget) -> int:
    return int(_zengin_files(target).update(content=_empty_content()))


def _batch_jobs(target: ErasureTarget) -> QuerySet[Any]:
    model = _model("payments.BatchJob")
    assert model is not None
    if target.resident_id is not None:
        return model.objects.none()  # type: ignore[attr-defined,no-any-return]
    return model.objects.filter(program=target.program).exclude(problems=[])  # type: ignore[attr-defined,no-any-return]


def _erase_batch_jobs(target: ErasureTarget) -> int:
    return int(_batch_jobs(target).update(problems=[]))


def register_payments() -> bool:
    PaymentItem = _model("payments.PaymentItem")
    if PaymentItem is None or not {"payee_name", "resident_id", "program"} <= _fields(PaymentItem):
        return False
    register_eraser(Eraser("payment_items", "支払明細の個人に関する項目（氏名・口座・名義。金額と結果は会計記録として残す）",
                           lambda t: _payment_items(t).count(), _erase_payment_items, order=400,
                           models=("payments.PaymentItem",)))
    ZenginFile = _model("payments.ZenginFile")
    if ZenginFile is not None and {"content", "batch"} <= _fields(ZenginFile):
        register_eraser(Eraser("zengin_files", "保存している全銀振込ファイルの内容", lambda t: _zengin_files(t).count(),
                               _erase_zengin_files, order=410, models=("payments.ZenginFile",)))
    BatchJob = _model("payments.BatchJob")
    if BatchJob is not None and {"problems", "program"} <= _fields(BatchJob):
        register_eraser(Eraser("batch_job_problems", "支払バッチ作成時の誤りの一覧（受取人名を含む）",
                               lambda t: _batch_jobs(t).count(), _erase_batch_jobs, order=420,
                               models=("payments.BatchJob",)))
    return True


def register_all() -> None:
    register_casework()
    register_payments()
