"""The agenda item (付議事項) of one revision as blocks: cover, 事業の概要, one 別紙 per handling
(電算処理, 外部結合, each 業務委託・再委託), the data flow, the checklists and the contract clauses."""

from __future__ import annotations

import re
from typing import Any

from madoguchi.core.era import format_wareki
from madoguchi.register.documents import flow as flowmod
from madoguchi.register.documents.blocks import (
    Block,
    Cell,
    Diagram,
    PageBreak,
    Para,
    Seg,
    Table,
    joined,
    text,
)
from madoguchi.register.evidence_hooks import measure_status_labels
from madoguchi.register.models import (
    AgendaKind,
    ChecklistAspect,
    ChecklistKind,
    ChecklistSide,
    ChecklistTemplate,
    ClauseSet,
    DataItem,
    FlowNode,
    Medium,
    Revision,
    SystemKind,
    Task,
)
from madoguchi.register.services.content import RevisionDiff, canonical, flow_groups, flow_key, revision_diff


def council_name(revision: Revision) -> str:
    """The council the revision goes before: its own, or the municipality's default (settings)."""
    from django.conf import settings

    return revision.council_name or settings.MUNICIPALITY_COUNCIL_NAME


def _contractor_label(o: dict[str, Any]) -> str:
    """The contractor's name, or the register's words for one to be named later (e.g. 未定, 上記委託先が指定)."""
    if o.get("to_be_named"):
        return o.get("to_be_named_note") or "未定"
    return str(o["contractor_name"])


def _date(value: str) -> str:
    import datetime as dt

    return format_wareki(dt.date.fromisoformat(value)) if value else "未定"


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _wareki_dates(value: str) -> str:
    """ISO dates inside a stored text (the snapshot keeps them ISO so that diffs stay stable) as 和暦."""
    return ISO_DATE.sub(lambda m: _date(m.group(0)), value)


def _period(start: str, end: str) -> str:
    return f"{_date(start)}から{_date(end)}まで" if end else f"{_date(start)}から"


class AgendaBuilder:
    def __init__(self, revision: Revision) -> None:
        self.revision = revision
        self.c: dict[str, Any] = canonical(revision)
        self.d: RevisionDiff = revision_diff(revision)
        self.items = {i.key: i.name for i in DataItem.objects.all()}
        self.media = {k: str(v) for k, v in Medium.choices}
        self.tasks = {k: str(v) for k, v in Task.choices}
        self.blocks: list[Block] = []
        self.department = revision.program.department.name

    # helpers
    def p(self, value: str, style: str = "body", marked: bool = False) -> None:
        self.blocks.append(Para([Seg(value, marked)], style))

    def form(self, rows: list[tuple[str, Cell]]) -> None:
        self.blocks.append(Table([[text(label), cell] for label, cell in rows], widths=[0.25, 0.75]))

    def field(self, name: str) -> Cell:
        value = self.c["fields"].get(name, "")
        return text(str(value) if value not in ("", None) else "―", self.d.field_changed(name))

    def change_note(self) -> None:
        base = self.revision.based_on
        if self.d.has_base and base is not None:
            self.p(f"※太字・下線の部分は、{base.meeting or '審議会'}で{base.decision_kind or '承認'}された"
                   f"第{base.number}版からの変更箇所です。", "note")

    def scope_cell(self, with_items: bool = True) -> Cell:
        cell: Cell = [Seg("1 個人の範囲")]
        for i, scope in enumerate(self.c["scopes"], start=1):
            cell += [Seg(f"\n({i}) "), Seg(scope["name"], self.d.scope_added(scope["name"]))]
        if self.d.scopes_removed:
            cell += [Seg("\n（削除した個人の範囲: "), Seg("、".join(sorted(self.d.scopes_removed)), True), Seg("）")]
        if with_items:
            cell.append(Seg("\n2 記録項目"))
            for i, scope in enumerate(self.c["scopes"], start=1):
                cell.append(Seg(f"\n({i}) "))
                cell += joined([Seg(self.items.get(k, k), self.d.item_added(scope["name"], k))
                                for k in scope["items"]])
                removed = self.d.items_removed.get(scope["name"])
                if removed:
                    cell += [Seg("（削除: "), Seg("、".join(self.items.get(k, k) for k in sorted(removed)), True),
                             Seg("）")]
        return cell

    # sections
    def cover(self) -> None:
        r = self.revision
        self.p(f"{council_name(r)} {r.get_agenda_kind_display()}", "title")
        basis = self.field("legal_basis")
        if r.agenda_kind != AgendaKind.DELIBERATION:
            basis = [Seg(f"【{r.agenda_kind}】\n"), *basis]
        rows: list[tuple[str, Cell]] = [
            ("件名", self.field("title")), ("内容", text("別紙のとおり")),
            ("根拠", basis), ("担当課", text(self.department)),
            ("版", text(f"第{r.number}版（{r.get_status_display()}）")),
        ]
        if r.decided_on:
            rows.append(("審議会の決定", text(f"{format_wareki(r.decided_on)} {r.meeting} {r.decision_kind}")))
        self.form(rows)

    def overview(self) -> None:
        self.blocks.append(PageBreak())
        self.p("事業の概要", "h1")
        self.change_note()
        f = self.c["fields"]
        handling = "、".join(label for flag, label in [(f["has_computer_processing"], "電算処理"),
                                                       (f["has_external_linkage"], "外部結合"),
                                                       (f["has_outsourcing"], "業務委託")] if flag)
        period_changed = self.d.field_changed("start_date") or self.d.field_changed("end_date")
        rows = [("事業名", text(self.c["program"]["name"])), ("担当課", text(self.department)),
                ("目的", self.field("purpose")), ("対象者", self.field("target_persons")),
                ("事業内容", self.field("content")), ("対象者数", self.field("person_count")),
                ("事業の期間", text(_period(f["start_date"], f["end_date"]) if f["start_date"] else "―",
                                  period_changed)),
                ("付議する取扱い", text(handling or "―")),
                ("保存・消去", self.field("retention_note"))]
        if f.get("change_summary"):
            rows.append(("今回の変更の概要", self.field("change_summary")))
        self.form(rows)

    def computer(self) -> None:
        for system in self.c["systems"]:
            name = system["name"]
            self.blocks.append(PageBreak())
            self.p(f"別紙 電算処理 ― {name}", "h1")
            self.change_note()

            def sf(key: str, value: str, name: str = name) -> Cell:
                return text(value or "―", self.d.part_changed("systems", name, key))

            kind = {k: str(v) for k, v in SystemKind.choices}.get(system["kind"], system["kind"])
            where = f"{name}（{kind}{'・' + system['location'] if system['location'] else ''}）"
            rows: list[tuple[str, Cell]] = [
                ("保有課（担当課）", text(self.department)), ("登録業務の名称", text(self.c["program"]["name"])),
                ("記録される情報項目", self.scope_cell() + [Seg("\n3 記録するコンピュータ "),
                                                   Seg(where, self.d.part_changed("systems", name, "location"))]),
                ("サーバーの所在", sf("domestic_law", "日本国内の法令が適用されるサーバー" if system["domestic_law"]
                                     else "国外の法令が適用されるおそれがあるサーバー")),
                ("新規開発・追加・変更の理由", sf("reason", system["reason"])),
                ("新規開発・追加・変更の内容", sf("processing", system["processing"])),
                ("新規開発・追加・変更の時期", sf("schedule", system["schedule"])),
                ("開発等を委託する場合の保護対策", text("別紙チェックリストのとおり")),
            ]
            self.form(rows)

    def linkages(self) -> None:
        for link in self.c["linkages"]:
            key = link["counterpart"]
            self.blocks.append(PageBreak())
            self.p(f"別紙 外部結合 ― {key}", "h1")
            self.change_note()

            def lf(field: str, value: str, key: str = key) -> Cell:
                return text(value or "―", self.d.part_changed("linkages", key, field))


            items = joined([Seg(self.items.get(k, k)) for k in link["items"]])
            self.form([
                ("保有課（担当課）", text(self.department)), ("登録業務の名称", text(self.c["program"]["name"])),
                ("結合される情報項目", self.scope_cell(with_items=False) + [Seg("\n2 結合する項目 ")] + items),
                ("結合の相手方", text(key)), ("結合する理由", lf("reason", link["reason"])),
                ("結合の形態", lf("form", link["form"])),
                ("結合の開始時期と期間", text(f"{_date(link['start_date'])}開始　{link['period']}",
                                          self.d.part_changed("linkages", key, "start_date")
                                          or self.d.part_changed("linkages", key, "period"))),
                ("情報保護対策", text("別紙チェックリストのとおり")),
            ])

    def outsourcings(self) -> None:
        names = {o["contractor"]: _contractor_label(o) for o in self.c["outsourcings"]}
        for o in self.c["outsourcings"]:
            key = o["key"]
            sub = o["parent"] is not None
            self.blocks.append(PageBreak())
            self.p(f"別紙 {'再委託' if sub else '業務委託'} ― {_contractor_label(o)}", "h1")
            self.change_note()

            def of(field: str, value: str, key: str = key) -> Cell:
                return text(value or "―", self.d.part_changed("outsourcings", key, field))

            who: Cell = [Seg(_contractor_label(o), self.d.part_changed("outsourcings", key)
                             or self.d.part_changed("outsourcings", key, "to_be_named_note"))]
            if o["certifications"]:
                who += [Seg("（"), Seg("、".join(_wareki_dates(c) for c in o["certifications"]),
                                       self.d.part_changed("outsourcings", key, "certifications")), Seg("）")]
            rows: list[tuple[str, Cell]] = [("保有課（担当課）", text(self.department)),
                                            ("登録業務の名称", text(self.c["program"]["name"]))]
            if sub:
                rows.append(("委託先（再委託元）", text(names.get(o["parent"], o["parent"]))))
            rows.append(("再委託先" if sub else "委託先", who))
            items: Cell = self.scope_cell(with_items=False) + [Seg("\n2 処理させる項目 ")]
            items += joined([Seg(self.items.get(k, k), self.d.out_item_added(key, k)) for k in o["items"]])
            removed = self.d.out_items_removed.get(key)
            if removed:
                items += [Seg("（削除: "), Seg("、".join(self.items.get(k, k) for k in sorted(removed)), True), Seg("）")]
            rows += [
                ("処理させる情報項目", items),
                ("記録媒体", of("media", "、".join(self.media.get(m, m) for m in o["media"]))),
                ("個人情報の引渡し", of("hands_over_data", "あり" if o["hands_over_data"] else "なし（委託先へ個人情報を提供しない）")),
                ("委託理由", of("reason", o["reason"])),
                ("業務", of("tasks", "、".join(self.tasks.get(t, t) for t in o["tasks"]))),
                ("委託の内容", of("task_description", o["task_description"])),
                ("委託の期間", text(_period(o["start_date"], o["end_date"]),
                                 self.d.part_changed("outsourcings", key, "start_date")
                                 or self.d.part_changed("outsourcings", key, "end_date"))),
                ("区が行う情報保護対策", text("別紙チェックリストのとおり")),
                ("委託先に行わせる情報保護対策", text("別紙チェックリスト及び特記事項のとおり")),
            ]
            if o.get("measures_text"):
                rows.append(("この委託に固有の対策", of("measures_text", o["measures_text"])))
            self.form(rows)

    def flow(self) -> None:
        steps = self.c["flow"]
        if not steps:
            return
        nodes = {k: str(v) for k, v in FlowNode.choices}
        for _no, title, group in flow_groups(steps):
            self.blocks.append(PageBreak())
            name = f"{self.c['program']['name']}の個人情報の流れ"
            self.p(f"{name}（{title}）" if title else name, "h1")
            if self.d.has_base:
                self.p("※赤い点線の矢印と太字・下線の手順が、今回の変更箇所です。", "note")
            changed = {s["number"] for s in group if flow_key(s) in self.d.flow}
            layout = flowmod.layout(group, changed, self.items, self.media)
            self.blocks.append(Diagram(layout, layout.width, layout.height))
            rows: list[list[Cell]] = [[text("番号"), text("送り手 → 受け手"), text("項目"), text("媒体"), text("内容")]]
            for s in group:
                m = s["number"] in changed
                rows.append([text(flowmod.circled(s["number"]), m),
                             text(f"{s['source']}（{nodes.get(s['source_kind'], '')}）→ {s['target']}", m),
                             text("、".join(self.items.get(k, k) for k in s["items"]) or "―", m),
                             text(self.media.get(s["medium"], s["medium"]) or "―", m), text(s["note"], m)])
            self.blocks.append(Table(rows, widths=[0.08, 0.27, 0.35, 0.12, 0.18], header=True))

    def checklists(self) -> None:
        numbers = {ChecklistKind.COMPUTER: 3, ChecklistKind.LINKAGE: 4, ChecklistKind.OUTSOURCING: 5}
        templates = {t.kind: t for t in ChecklistTemplate.objects.all()}
        sides = {k: str(v) for k, v in ChecklistSide.choices}
        aspects = {k: str(v) for k, v in ChecklistAspect.choices}
        # The evidence status of each ○ measure under the registration in force (proven / due / overdue).
        status = measure_status_labels(self.revision.program)
        for kind in (ChecklistKind.COMPUTER, ChecklistKind.LINKAGE, ChecklistKind.OUTSOURCING):
            answers = self.c["answers"].get(str(kind))
            if not answers:
                continue
            template = templates.get(str(kind))
            self.blocks.append(PageBreak())
            self.p(f"{numbers[kind]} {template.title if template else kind.label}", "h1")
            self.p(template.note if template else "対策を行う場合は「○」、必要がない場合は「－」", "note")
            head = [text("区分"), text("○／－"), text("対策"), text("必要がない理由")]
            rows: list[list[Cell]] = [head + ([text("証跡")] if status is not None else [])]
            for measure_key, a in answers.items():
                m = self.d.measure_changed(str(kind), measure_key)
                row = [text(f"{sides.get(a['side'], '')}【{aspects.get(a['aspect'], '')}】"),
                       text(a["answer"] or "（未回答）", m), text(a["text"]), text(a["reason"], m and bool(a["reason"]))]
                if status is not None:
                    row.append(text(status.get(measure_key, "―") if a["answer"] == "○" else "―"))
                rows.append(row)
            widths = [0.17, 0.07, 0.46, 0.18, 0.12] if status is not None else [0.2, 0.08, 0.5, 0.22]
            self.blocks.append(Table(rows, widths=widths, header=True, merge_first_column=True))

    def clauses(self) -> None:
        outs = self.c["outsourcings"]
        if not outs:
            return
        parties = ["乙"] + (["丙"] if any(o["parent"] for o in outs) else [])
        sets = {s.party: s for s in ClauseSet.objects.filter(party__in=parties).prefetch_related("clauses")}
        # 乙 (the contractor's set) before 丙: the code points would put 丙 (U+4E19) first.
        for clause_set in [sets[p] for p in parties if p in sets]:
            self.blocks.append(PageBreak())
            self.p(clause_set.title, "h1")
            if clause_set.preamble:
                self.p(clause_set.preamble)
            for i, clause in enumerate([c for c in clause_set.clauses.all() if c.active], start=1):
                self.p(f"（{clause.heading}）", "h2")
                self.p(f"{i} {clause.text}")

    def build(self) -> list[Block]:
        f = self.c["fields"]
        self.cover()
        self.overview()
        if f["has_computer_processing"]:
            self.computer()
        if f["has_external_linkage"]:
            self.linkages()
        if f["has_outsourcing"]:
            self.outsourcings()
        self.flow()
        self.checklists()
        self.clauses()
        return self.blocks


def build_agenda(revision: Revision) -> list[Block]:
    return AgendaBuilder(revision).build()
