"""個人情報ファイル簿: one row per program, from its newest approved revision (XLSX and CSV)."""

from __future__ import annotations

import io

from madoguchi.core.era import format_wareki
from madoguchi.core.sheets import append_row, csv_writer
from madoguchi.register.models import DataItem, Medium, Program, Revision, RevisionStatus

COLUMNS = ["事業コード", "個人情報ファイルの名称", "保有課", "利用目的", "記録項目", "記録範囲", "収集方法",
           "要配慮個人情報", "提供先", "委託先", "記録媒体", "保存・消去", "対象人数", "審議会の決定", "版"]


def register_rows(programs: list[Program]) -> list[list[str]]:
    names = {i.key: (i.name, i.category) for i in DataItem.objects.all()}
    media = {k: str(v) for k, v in Medium.choices}
    rows = []
    for program in programs:
        rev: Revision | None = program.revisions.filter(status=RevisionStatus.APPROVED).order_by("-number").first()
        if rev is None:
            continue
        scopes = list(rev.scopes.prefetch_related("recorded_items__item"))
        keys: list[str] = []
        for scope in scopes:
            for r in scope.recorded_items.all():
                if r.item.key not in keys:
                    keys.append(r.item.key)
        outs = list(rev.outsourcings.select_related("contractor"))
        special = [names[k][0] for k in keys if names[k][1] in ("special_care", "health", "my_number")]
        rows.append([
            program.code, rev.file_name or f"{program.name}ファイル", program.department.name, rev.purpose,
            "、".join(names[k][0] for k in keys), "、".join(s.name for s in scopes), rev.collection_method,
            "、".join(special) if special else "なし", rev.provision or "なし",
            "、".join(("（再委託）" if o.parent_id else "") + o.contractor.name for o in outs) or "なし",
            "、".join(dict.fromkeys(media.get(m, m) for o in outs for m in o.media)) or "―",
            rev.retention_note, rev.person_count,
            f"{format_wareki(rev.decided_on)} {rev.meeting} {rev.decision_kind}" if rev.decided_on else "",
            f"第{rev.number}版",
        ])
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv_writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "個人情報ファイル簿"
    append_row(ws, COLUMNS)
    for row in rows:
        append_row(ws, row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F1FE")
    widths = [28, 30, 24, 50, 60, 30, 30, 20, 24, 36, 30, 36, 20, 30, 8]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
