"""Contractors named later (未定, 上記委託先が指定) and per-contract measures written in the register's own words."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.models import Outsourcing, Revision
from madoguchi.register.policy import check_handover
from madoguchi.register.services import authoring
from madoguchi.register.services.documents import council_document
from madoguchi.register.services.workflow import approve_revision, submit_revision
from tests.register.test_documents import actor

D = dt.date


def data(**change):
    return {"parent": None, "contractor": None, "to_be_named": True, "to_be_named_note": "未定（入札により決定）",
            "media": ["cd_r"], "tasks": ["enclosure"], "task_description": "封入封緘", "reason": "大量の封入のため",
            "start_date": D(2026, 4, 1), "end_date": D(2027, 3, 31), "hands_over_data": True,
            "measures_text": "封入作業は施錠できる部屋で行い、作業後の不要紙はシュレッダーで処理する。", **change}


def test_an_outsourcing_to_be_named_gets_a_placeholder_without_users(revision, users):
    o = authoring.save_outsourcing(revision=revision, data=data(), item_keys=["name", "address"],
                                   actor=Actor.cli(users["owner"]))
    assert o.to_be_named and o.contractor.code.startswith("tbd-") and o.contractor.name == "（未定（入札により決定））"
    assert not o.contractor.users.exists()


def test_no_contractor_and_not_to_be_named_is_refused(revision, users):
    with pytest.raises(BusinessRuleError, match="委託先を選んでください"):
        authoring.save_outsourcing(revision=revision, data=data(to_be_named=False), item_keys=["name"],
                                   actor=Actor.cli(users["owner"]))
    assert Outsourcing.objects.filter(revision=revision).count() == 2  # the factory's two only


def test_nothing_is_handed_over_to_a_contractor_not_yet_named(revision, users):
    o = authoring.save_outsourcing(revision=revision, data=data(), item_keys=["name", "address"],
                                   actor=Actor.cli(users["owner"]))
    submit_revision(revision=revision, actor=Actor.cli(users["owner"]))
    approve_revision(revision=Revision.objects.get(pk=revision.pk), decided_on=D(2026, 3, 20), meeting="第1回",
                     kind="承認", actor=Actor.cli(users["privacy_office"]))
    with pytest.raises(AccessRefused, match="委託先が未定"):
        check_handover(Actor.cli(users["owner"]), revision.program.code, recipient=o.contractor.code,
                       medium="cd_r", items=["name"], task="enclosure")


def test_the_document_prints_the_registers_words_and_the_contracts_own_measures(demo):
    tax = Revision.objects.filter(program__code="tax-standardization").order_by("-number").first()
    body = Document(io.BytesIO(council_document(revision=tax, fmt="docx", actor=actor("hogo"))))
    text = "\n".join(p.text for p in body.paragraphs) + "\n".join(
        c.text for t in body.tables for r in t.rows for c in r.cells)
    assert "別紙 再委託 ― 上記委託先が指定" in text
    assert "（上記委託先が指定）" not in text  # the placeholder organisation's name never shows


def test_the_contracts_own_measures_are_printed_in_its_sheet(revision, users):
    authoring.save_outsourcing(revision=revision, data=data(), item_keys=["name", "address"],
                               actor=Actor.cli(users["owner"]))
    body = Document(io.BytesIO(council_document(revision=revision, fmt="docx", actor=Actor.cli(users["owner"]))))
    cells = {r.cells[0].text: r.cells[1].text for t in body.tables for r in t.rows if len(r.cells) == 2}
    assert cells["この委託に固有の対策"] == "封入作業は施錠できる部屋で行い、作業後の不要紙はシュレッダーで処理する。"
    assert "別紙 業務委託 ― 未定（入札により決定）" in "\n".join(p.text for p in body.paragraphs)
