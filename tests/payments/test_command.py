"""`madoguchi payment_batch …` for operators."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from madoguchi.audit.models import AccessLog
from madoguchi.core.calendar import is_bank_business_day
from madoguchi.payments import zengin
from madoguchi.payments.models import BatchStatus, ItemStatus, PaymentBatch
from tests.factories import OrganisationFactory, UserFactory
from tests.payments.factories import payable, transfer_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _operator(staff_user):
    """The named console operator every run needs (--as; madoguchi.accounts.operators)."""
    return staff_user


def run(*args: str) -> str:
    out = io.StringIO()
    if "--as" not in args:
        args = (*args, "--as", "staff")
    call_command("payment_batch", *args, stdout=out)
    return out.getvalue()


def test_create_lock_export_results_close(program, offer, tmp_path, staff_user):
    offer.items = [payable(n) for n in range(1, 4)]
    # create: the last line is the batch id alone
    output = run("create", "--program", program.code, "--date", transfer_day().isoformat())
    batch_id = int(output.strip().splitlines()[-1])
    batch = PaymentBatch.objects.get(pk=batch_id)
    assert batch.item_count == 3
    run("lock", str(batch_id), "--as", staff_user.username)
    out_file = tmp_path / "furikomi.txt"
    run("export", str(batch_id), "--out", str(out_file))
    parsed = zengin.parse(out_file.read_bytes())
    assert parsed.trailer.count == 3
    assert "同じ内容" in run("export", str(batch_id), "--out", str(tmp_path / "again.txt"))
    assert (tmp_path / "again.txt").read_bytes() == out_file.read_bytes()
    result = tmp_path / "result.csv"
    rows = ["顧客コード,受取人,金額,結果,理由"] + [
        f"{int(r.customer_code1)},{r.holder_name},{r.amount},{'不能' if n == 0 else '済'},口座なし"
        for n, r in enumerate(parsed.records)]
    result.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert "振込不能 1件" in run("results", str(batch_id), str(result))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RESULTS_IMPORTED
    assert batch.items.filter(status=ItemStatus.FAILED).count() == 1
    run("close", str(batch_id))
    assert AccessLog.objects.filter(action="payment.export", channel="cli").count() == 2


def test_non_business_day_proposes_the_next_one(program, offer):
    offer.items = [payable(1)]
    day = transfer_day()
    while is_bank_business_day(day):
        day += dt.timedelta(days=1)
    with pytest.raises(CommandError, match="--date "):
        run("create", "--program", program.code, "--date", day.isoformat())
    assert not PaymentBatch.objects.exists()


def test_unknown_program_and_batch(program):
    with pytest.raises(CommandError, match="事業コード"):
        run("create", "--program", "nope", "--date", transfer_day().isoformat())
    with pytest.raises(CommandError, match="支払バッチ 999"):
        run("lock", "999")


def test_as_a_user_of_another_department_is_refused(program, offer):
    offer.items = [payable(1)]
    other = UserFactory(username="other-dept", organisation=OrganisationFactory(code="dept-other"))
    with pytest.raises(CommandError, match="権限"):
        run("create", "--program", program.code, "--date", transfer_day().isoformat(), "--as", other.username)
    assert not PaymentBatch.objects.exists()
    assert AccessLog.objects.filter(action="policy.denied", username="other-dept").exists()
