"""Hand-over documents: names drawn in password notices and erasure certificates extract as written (ADR 0016)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from madoguchi.handover.models import ErasureRecord, ErasureScope
from madoguchi.handover.services.documents import render_erasure_certificate
from tests.core.test_pdf import pdftotext


def test_erasure_certificate_names_extract_as_written():
    record = ErasureRecord(program_code="P-1", program_name="𠮷祥寺地区見守り事業", scope=ErasureScope.values[0],
                           counts=[{"label": "申請", "count": 3}], reason="保存期間満了", method="論理消去",
                           requested_by_name="𠮷田 一郎", approved_by_name="葛\U000E0100西 花子",
                           executed_by_name="髙橋 美咲", started_at=timezone.make_aware(dt.datetime(2026, 11, 1, 10)),
                           certificate_no="E-1")
    text = pdftotext(render_erasure_certificate(record))
    for name in ("𠮷祥寺地区見守り事業", "𠮷田 一郎", "葛\U000E0100西 花子", "髙橋 美咲"):
        assert name in text
