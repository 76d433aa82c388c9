"""Notices: the addressee's name extracts from the PDF as the same code points (issue 15 §3–4, ADR 0016)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from madoguchi.casework.models import NoticeKind, Status
from madoguchi.casework.services.notices import print_notice, render_pdf
from tests.casework.factories import make_case
from tests.core.test_pdf import pdftotext, pypdf_text


def _squeeze(text: str) -> str:
    """Layout spaces and line breaks differ between extractors; the code points of the name must not."""
    return re.sub(r"\s", "", text)


NAMES = ["𠮷田　一郎", "葛\U000E0100飾　花子", "髙橋　美咲", "𡈽屋　次郎", "渡邉\U000E0100　三郎"]


@pytest.mark.parametrize("name", NAMES)
def test_notice_addressee_extracts_as_written(setup, name):
    # given a granted case whose applicant's name holds supplementary-plane kanji or an IVS
    case = make_case(setup.program, name=name, status=Status.GRANTED, granted_amount=12000,
                     decided_on=dt.date(2026, 6, 1))
    # when its notice is printed and the text layer is read back
    pdf = print_notice(actor=setup.actor(setup.contractor), case=case, kind=NoticeKind.GRANT)
    # then both extractors read the name code point for code point (not ₻田, no box between 葛 and 飾)
    assert _squeeze(f"{name}　様") in _squeeze(pdftotext(pdf))
    assert _squeeze(f"{name}　様") in _squeeze(pypdf_text(pdf))


def test_a_batch_of_notices_keeps_every_name(setup):
    cases = [make_case(setup.program, name=n, address=f"新宿区百人町1-1-{i}", status=Status.GRANTED,
                       granted_amount=12000, decided_on=dt.date(2026, 6, 1)) for i, n in enumerate(NAMES, 1)]
    text = _squeeze(pdftotext(render_pdf(cases, NoticeKind.GRANT)))
    assert all(_squeeze(f"{n}様") in text for n in NAMES)
    assert "\u20bb" not in text
