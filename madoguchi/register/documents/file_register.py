"""個人情報ファイル簿: one row per personal-information file, from each program's newest approved revision.

The columns are the items that 個人情報保護法 (令和3年改正後) 第75条第1項 requires of a local government's
file register, by way of 第74条第1項各号 and 施行令第20条, headed with the statute's names:

- 個人情報ファイルの名称 (第74条第1項第1号)
- 行政機関等の名称 / 個人情報ファイルが利用に供される事務をつかさどる組織の名称 (第2号)
- 個人情報ファイルの利用目的 (第3号)
- 記録項目 / 本人として記録される個人の範囲（記録範囲） (第4号)
- 記録情報の収集方法 (第5号)
- 要配慮個人情報が含まれるときは、その旨 (第6号) — only items of the catalogue's 要配慮個人情報 category:
  a My Number or step counts are not 要配慮個人情報 (法第2条第3項, 施行令第2条)
- 記録情報の経常的提供先 (第7号)
- 開示請求等を受理する組織の名称及び所在地 (第8号)
- 訂正及び利用停止に関する他の法律又はこれに基づく命令の規定による特別の手続等 (第9号)
- 個人情報ファイルの種別 (施行令第20条: 法第60条第2項第1号 電算処理ファイル / 第2号 マニュアル処理ファイル)

followed by the register's own columns (事業コード first, then 委託先, 記録媒体, 保存・消去, 対象人数, the
council's decision and the revision).  A program whose scopes name two files yields two rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.conf import settings

from madoguchi.core.era import format_wareki
from madoguchi.core.sheets import append_row, csv_writer
from madoguchi.register.models import (
    DataItem,
    FileKind,
    ItemCategory,
    Medium,
    PersonScope,
    Program,
    Revision,
    RevisionStatus,
)

STATUTORY_COLUMNS = [
    "個人情報ファイルの名称",
    "行政機関等の名称",
    "個人情報ファイルが利用に供される事務をつかさどる組織の名称",
    "個人情報ファイルの利用目的",
    "記録項目",
    "記録範囲",
    "記録情報の収集方法",
    "要配慮個人情報が含まれるときは、その旨",
    "記録情報の経常的提供先",
    "開示請求等を受理する組織の名称及び所在地",
    "訂正及び利用停止に関する他の法律又はこれに基づく命令の規定による特別の手続等",
    "個人情報ファイルの種別",
]
OWN_COLUMNS = ["委託先", "記録媒体", "保存・消去", "対象人数", "審議会の決定", "版"]
COLUMNS = ["事業コード", *STATUTORY_COLUMNS, *OWN_COLUMNS]


@dataclass
class _File:
    name: str
    kind: str
    scopes: list[PersonScope] = field(default_factory=list)


def _files(program: Program, rev: Revision, scopes: list[PersonScope]) -> list[_File]:
    own = rev.file_name or f"{program.name}ファイル"
    files: dict[str, _File] = {}
    for scope in scopes:
        name = scope.file_name or own
        entry = files.setdefault(name, _File(name=name, kind=scope.file_kind))
        entry.scopes.append(scope)
        if scope.file_kind == FileKind.COMPUTER:  # a file partly on a computer is a 電算処理ファイル
            entry.kind = FileKind.COMPUTER
    return list(files.values()) or [_File(name=own, kind=FileKind.COMPUTER)]


def register_rows(programs: list[Program]) -> list[list[str]]:
    """Rows of the file register for the programs that have an approved revision, in ``COLUMNS`` order.

    Returns one list of strings per personal-information file; programs without an approved revision are
    left out.  Dates are 和暦.
    """
    names = {i.key: (i.name, i.category) for i in DataItem.objects.all()}
    media = {k: str(v) for k, v in Medium.choices}
    office = f"{settings.MUNICIPALITY_DISCLOSURE_OFFICE}（{settings.MUNICIPALITY_DISCLOSURE_ADDRESS}）"
    rows = []
    for program in programs:
        rev: Revision | None = program.revisions.filter(status=RevisionStatus.APPROVED).order_by("-number").first()
        if rev is None:
            continue
        scopes = list(rev.scopes.prefetch_related("recorded_items__item"))
        outs = list(rev.outsourcings.select_related("contractor"))
        for file in _files(program, rev, scopes):
            keys: list[str] = []
            for scope in file.scopes:
                for r in scope.recorded_items.all():
                    if r.item.key not in keys:
                        keys.append(r.item.key)
            special = [names[k][0] for k in keys if names[k][1] == ItemCategory.SPECIAL_CARE]
            rows.append([
                program.code,
                file.name,
                settings.MUNICIPALITY_HEAD,
                program.department.name,
                rev.purpose,
                "、".join(names[k][0] for k in keys),
                "、".join(s.name for s in file.scopes),
                rev.collection_method,
                f"含まれる（{'、'.join(special)}）" if special else "含まれない",
                rev.provision or "なし",
                office,
                rev.correction_procedures or "なし",
                str(file.kind),
                "、".join(("（再委託）" if o.parent_id else "") + o.contractor.name for o in outs) or "なし",
                "、".join(dict.fromkeys(media.get(m, m) for o in outs for m in o.media)) or "―",
                rev.retention_note,
                rev.person_count,
                f"{format_wareki(rev.decided_on)} {rev.meeting} {rev.decision_kind}" if rev.decided_on else "",
                f"第{rev.number}版",
            ])
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    """The register as UTF-8 CSV with a BOM (Excel opens it as UTF-8), CRLF line ends, header first."""
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[str]]) -> bytes:
    """The register as one XLSX sheet 「個人情報ファイル簿」, header bold, text wrapped, first column frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    if ws is None:  # a new workbook always has one sheet
        raise RuntimeError("openpyxl created a workbook without a sheet")
    ws.title = "個人情報ファイル簿"
    append_row(ws, COLUMNS)
    for row in rows:
        append_row(ws, row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F1FE")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [24, 30, 14, 20, 40, 50, 28, 26, 24, 22, 30, 26, 16, 34, 24, 30, 14, 28, 8]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
