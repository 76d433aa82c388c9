"""The agenda item (DOCX, PDF) and the file register (XLSX, CSV), read back."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import ChecklistAnswer, RecordedItem, Revision
from madoguchi.register.services.documents import council_document, file_register

SAISON = "株式会社セゾンパーソナルプラス"
CALLCENTER = "（架空）防犯補助コールセンター株式会社"
FLOW_HEADER = "送り手 → 受け手"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def actor(username: str) -> Actor:
    return Actor.cli(User.objects.get(username=username))


def docx_tables(data: bytes) -> list[list[list[tuple[str, list[tuple[str, bool]]]]]]:
    """Each table as rows of (cell text, [(run text, bold and underlined)])."""
    doc = Document(io.BytesIO(data))
    tables = []
    for table in doc.tables:
        rows = []
        for row in table.rows:
            cells = []
            for cell in row.cells:
                runs = [(r.text, bool(r.bold and r.underline)) for p in cell.paragraphs for r in p.runs]
                cells.append((cell.text, runs))
            rows.append(cells)
        tables.append(rows)
    return tables


def docx_marked(data: bytes) -> tuple[Counter[str], set[str]]:
    """Marked run texts outside the flow table, and the flow-step numbers whose rows are marked."""
    doc = Document(io.BytesIO(data))
    marked: Counter[str] = Counter(r.text for p in doc.paragraphs for r in p.runs if r.bold and r.underline)
    steps: set[str] = set()
    for rows in docx_tables(data):
        is_flow = rows[0][1][0] == FLOW_HEADER
        for row in rows[1 if is_flow else 0:]:
            texts = [t for _cell, runs in row for t, m in runs if m]
            if is_flow:
                if texts:
                    assert all(m for _c, runs in row for _t, m in runs), "a changed step is marked in every cell"
                    steps.add(row[0][0])
            else:
                marked.update(texts)
    return marked, steps


EXPECTED_MARKED = Counter({
    "防犯機器等購入緊急補助事業に係るシステムの構築等について（委託内容の追加）": 1,  # 件名
    "令和8年4月1日から令和9年3月31日まで": 3,  # 事業の期間, the contract's and the sub-contract's period
    "過去の交付決定者リストを補助管理システムに追加し、委託先が重複交付の確認を行う。": 1,  # 変更の概要
    "過去の交付決定者": 4,  # the new person scope in each 別紙 (電算処理, 外部結合, 委託, 再委託)
    "氏名": 1, "住所": 1,  # its recorded items
    "申請書と添付書類の内容、受付から決定までの進捗を管理するシステムを委託先のサーバー上に構築する。"
    "過去の交付決定者リストを追加する。": 1,  # 変更の内容
    "令和8年4月初旬 構築／令和8年4月中旬 テスト／令和8年5月 本稼働": 1,  # 時期
    "令和8年5月1日開始　令和8年5月1日から令和9年3月31日まで（次年度以降も同様）": 1,  # 外部結合の期間
    "申請書の受理（電子申請の内容確認及び過去の交付決定者との重複確認）、補助管理システムへの入力、"
    "交付決定通知書の作成・印刷・発送、電話による案内と相談": 1,  # 委託の内容
    "○": 1,  # the one changed checklist answer
})


@pytest.fixture
def docx_bytes(demo):
    return council_document(revision=demo, fmt="docx", actor=actor("hogo"))


@pytest.fixture
def pdf_text(demo):
    data = council_document(revision=demo, fmt="pdf", actor=actor("hogo"))
    reader = PdfReader(io.BytesIO(data))
    marked: list[str] = []

    def visit(text, _cm, _tm, font, _size):
        if font and "Marked" in str(font.get("/BaseFont")):
            marked.append(text)

    text = "".join(page.extract_text(visitor_text=visit) for page in reader.pages)
    return flat(text), flat("".join(marked))


def test_docx_marks_exactly_the_changed_parts(docx_bytes):
    marked, steps = docx_marked(docx_bytes)
    assert marked == EXPECTED_MARKED
    assert steps == {"②", "⑧"}


def test_docx_holds_the_items_the_contractor_chain_and_every_answer(demo, docx_bytes):
    tables = docx_tables(docx_bytes)
    text = "\n".join(cell for rows in tables for row in rows for cell, _ in row)
    # every recorded item
    for name in RecordedItem.objects.filter(scope__revision=demo).values_list("item__name", flat=True):
        assert name in text
    # the chain: the call center's 別紙 names its contractor, and lists only its own items
    sub_tables = [rows for rows in tables if any(r[0][0] == "委託先（再委託元）" for r in rows)]
    assert len(sub_tables) == 1
    sub = {r[0][0]: r[1][0] for r in sub_tables[0]}
    assert sub["委託先（再委託元）"] == SAISON and sub["再委託先"].startswith(CALLCENTER)
    assert "氏名（フリガナ）" in sub["処理させる情報項目"] and "振込先口座" not in sub["処理させる情報項目"]
    main = [rows for rows in tables if any(r[0][0] == "委託先" for r in rows)]
    assert any(r[1][0].startswith(SAISON) and "プライバシーマーク" in r[1][0] for rows in main for r in rows)
    # every checklist answer: (answer, measure, reason) rows as in the database
    found = {(row[1][0], flat(row[2][0]), row[3][0]) for rows in tables if rows[0][1][0] == "○／－"
             for row in rows[1:]}
    expected = {(a.answer, flat(a.measure.text), a.reason)
                for a in ChecklistAnswer.objects.filter(revision=demo).select_related("measure")}
    assert found == expected
    assert ("－", flat("区の機器室への委託先の入退室は申請・承認・記録により管理し、機器の操作は作業内容を事前に届け出させ区が"
                      "承認してから行わせる。個人情報の持出しは認めない。"),
            "システムは委託先のサーバー上にあり、区の機器室での作業はないため。") in found


def test_docx_has_the_flow_diagram_and_the_clauses(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    assert len(doc.inline_shapes) == 1  # the flow diagram
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "個人情報の取扱いに関する特記事項（委託先用）" in body and "個人情報の取扱いに関する特記事項（再委託先用）" in body
    assert "令和7年度第1回で了承された第1版からの変更箇所" in body


def test_pdf_holds_items_chain_answers_and_marks_the_same_parts(demo, pdf_text):
    text, marked = pdf_text
    for name in RecordedItem.objects.filter(scope__revision=demo).values_list("item__name", flat=True):
        assert flat(name) in text
    assert flat(SAISON) in text and flat(CALLCENTER) in text and "委託先（再委託元）" in text
    answers = ChecklistAnswer.objects.filter(revision=demo).select_related("measure")
    for a in answers:
        assert flat(a.measure.text) in text
        if a.reason:
            assert flat(a.reason) in text
    assert text.count("○") >= answers.filter(answer="○").count()
    # the marked text is exactly the marked parts of the DOCX (and the two flow rows)
    for part in EXPECTED_MARKED:
        assert flat(part) in marked
    assert flat("重複確認") in marked and flat("過去の交付決定者リストの登録") in marked
    assert "プライバシーマーク" not in marked and flat(SAISON) not in marked


def test_an_approved_first_revision_has_no_marks(demo):
    first = Revision.objects.get(program__code="coming-of-age-2026", number=1)
    marked, steps = docx_marked(council_document(revision=first, fmt="docx", actor=actor("hogo")))
    assert not marked and not steps


def test_generating_is_logged_and_refused_to_others(demo):
    council_document(revision=demo, fmt="pdf", actor=actor("tanto"))
    assert AccessLog.objects.filter(action=AuditEvent.REGISTER_DOCUMENT, username="tanto").exists()
    with pytest.raises(AccessRefused):
        council_document(revision=demo, fmt="pdf", actor=actor("tanto-tax"))
    with pytest.raises(AccessRefused):
        council_document(revision=demo, fmt="docx", actor=actor("insatsu"))


def test_file_register_xlsx_and_csv(demo):
    wb = load_workbook(io.BytesIO(file_register(fmt="xlsx", actor=actor("hogo"))))
    ws = wb["個人情報ファイル簿"]
    header = [c.value for c in ws[1]]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {r["事業コード"] for r in rows.values()} == {
        "crime-prevention-subsidy-2026", "tax-standardization", "health-points", "child-support-allowance-2025",
        "coming-of-age-2026"}
    crime = rows["防犯機器等購入緊急補助事業申請者ファイル"]
    assert crime["版"] == "第1版"  # the approved one, not the submitted revision
    assert "過去の交付決定者" not in crime["記録範囲"] and "振込先口座" in crime["記録項目"]
    assert "（再委託）（架空）防犯補助コールセンター株式会社" in crime["委託先"]
    raw = file_register(fmt="csv", actor=actor("tanto"))
    assert raw.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0][:2] == ["事業コード", "個人情報ファイルの名称"]
    assert {r[0] for r in lines[1:]} == {"crime-prevention-subsidy-2026"}  # only the department's own


# The items a local government's 個人情報ファイル簿 must hold (個人情報保護法第75条第1項, 第74条第1項各号,
# 施行令第20条), by their statutory names.
STATUTORY = ["個人情報ファイルの名称", "行政機関等の名称", "個人情報ファイルが利用に供される事務をつかさどる組織の名称",
             "個人情報ファイルの利用目的", "記録項目", "記録範囲", "記録情報の収集方法",
             "要配慮個人情報が含まれるときは、その旨", "記録情報の経常的提供先", "開示請求等を受理する組織の名称及び所在地",
             "訂正及び利用停止に関する他の法律又はこれに基づく命令の規定による特別の手続等", "個人情報ファイルの種別"]


def test_file_register_csv_has_a_column_for_every_statutory_item(demo, settings):
    settings.MUNICIPALITY_DISCLOSURE_OFFICE = "総務部区政情報課"
    settings.MUNICIPALITY_DISCLOSURE_ADDRESS = "東京都新宿区歌舞伎町一丁目4番1号"
    raw = file_register(fmt="csv", actor=actor("hogo"))
    lines = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    for column in STATUTORY:
        assert column in lines[0], column
    for row in lines:
        assert row["行政機関等の名称"] == "新宿区長"
        assert row["開示請求等を受理する組織の名称及び所在地"] == "総務部区政情報課（東京都新宿区歌舞伎町一丁目4番1号）"
        assert row["個人情報ファイルの種別"] in ("電算処理ファイル", "マニュアル処理ファイル")


def test_file_register_has_one_row_per_file_and_marks_only_special_care_items(demo):
    raw = file_register(fmt="csv", actor=actor("hogo"))
    rows = {r["個人情報ファイルの名称"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
    tax = [r for r in rows.values() if r["事業コード"] == "tax-standardization"]
    assert sorted(r["個人情報ファイルの名称"] for r in tax) == ["個人住民税課税ファイル", "軽自動車税（種別割）課税ファイル"]
    resident_tax = rows["個人住民税課税ファイル"]
    # 障害程度 is 要配慮個人情報 (施行令第2条); the My Number is 特定個人情報 but not 要配慮個人情報
    assert resident_tax["要配慮個人情報が含まれるときは、その旨"] == "含まれる（障害程度）"
    assert "個人番号" in resident_tax["記録項目"]
    assert "軽自動車税" in rows["軽自動車税（種別割）課税ファイル"]["記録項目"]
    # steps, height and weight are health data, not 要配慮個人情報
    health = rows["健康ポイント事業参加者ファイル"]
    assert "歩数" in health["記録項目"] and health["要配慮個人情報が含まれるときは、その旨"] == "含まれない"


def test_commands_write_the_files(demo, tmp_path):
    out = tmp_path / "agenda.docx"
    call_command("council_document", "crime-prevention-subsidy-2026", "--format", "docx", "--out", str(out),
                 "--as", "hogo")
    marked, _steps = docx_marked(out.read_bytes())
    assert marked == EXPECTED_MARKED
    out_pdf = tmp_path / "agenda-r1.pdf"
    call_command("council_document", "crime-prevention-subsidy-2026", "--format", "pdf", "--out", str(out_pdf),
                 "--revision", "1", "--as", "hogo")
    assert out_pdf.read_bytes().startswith(b"%PDF")
    reg = tmp_path / "register.xlsx"
    call_command("file_register", "--format", "xlsx", "--out", str(reg), "--as", "hogo")
    assert load_workbook(reg)["個人情報ファイル簿"].max_row == 7  # header + six files (tax has two)


def test_checklist_category_cells_are_merged_not_repeated(demo, docx_bytes, pdf_text):
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(docx_bytes))
    checked = 0
    for table in doc.tables:
        if table.rows[0].cells[1].text != "○／－":
            continue
        labels = []
        for tr in table._tbl.tr_lst[1:]:
            tc = tr.tc_lst[0]
            v_merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            continues = v_merge is not None and v_merge.get(qn("w:val")) in (None, "continue")
            labels.append(None if continues else "".join(t.text or "" for t in tc.iter(qn("w:t"))))
        shown = [label for label in labels if label is not None]
        assert len(shown) == len(set(shown)), "each category label is written once per table"
        assert all(shown) and len(shown) < len(labels)
        checked += 1
    assert checked >= 3  # 電算処理, 外部結合 and 業務委託 checklists
    text, _marked = pdf_text
    rows = ChecklistAnswer.objects.filter(revision=demo).count()
    assert text.count(flat("区が行う対策【運用上の対策】")) < rows / 4


def test_certification_dates_are_wareki_in_the_documents(docx_bytes):
    body = "\n".join(cell.text for table in Document(io.BytesIO(docx_bytes)).tables for row in table.rows
                     for cell in row.cells)
    assert "プライバシーマーク" in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body)
    assert "令和7年4月1日〜令和9年3月31日" in body  # the demo contractor's Privacy Mark


def test_cover_names_the_council_and_the_kind_of_item(demo, settings):
    settings.MUNICIPALITY_COUNCIL_NAME = "個人情報保護管理運営会議"
    health = Revision.objects.filter(program__code="health-points").order_by("-number").first()
    body = "\n".join(p.text for p in Document(io.BytesIO(
        council_document(revision=health, fmt="docx", actor=actor("hogo")))).paragraphs)
    assert "情報公開・個人情報保護審議会 報告事項" in body
    crime = "\n".join(p.text for p in Document(io.BytesIO(
        council_document(revision=demo, fmt="docx", actor=actor("hogo")))).paragraphs)
    assert "個人情報保護管理運営会議 付議事項" in crime
    assert "個人情報保護審議会 付議事項" not in crime.replace("個人情報保護管理運営会議", "")


def test_a_registration_with_three_flows_prints_three_diagrams_each_numbered_from_one(demo):
    child = Revision.objects.filter(program__code="child-support-allowance-2025").order_by("-number").first()
    doc = Document(io.BytesIO(council_document(revision=child, fmt="docx", actor=actor("hogo"))))
    headings = [p.text for p in doc.paragraphs if "の個人情報の流れ" in p.text]
    assert [h.split("（")[-1] for h in headings] == ["プッシュ型）", "申請型）", "案内文への印字と封入封緘の委託）"]
    assert len(doc.inline_shapes) == 3
    flow_tables = [t for t in doc.tables if t.rows[0].cells[1].text == FLOW_HEADER]
    assert [t.rows[1].cells[0].text for t in flow_tables] == ["①", "①", "①"]
