"""Reads for the register screens: the program list and everything one revision page shows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from madoguchi.accounts.context import Actor
from madoguchi.core.era import format_wareki
from madoguchi.register.models import (
    ChecklistAnswer,
    ChecklistKind,
    DataItem,
    FlowStep,
    ItemCategory,
    Medium,
    Outsourcing,
    PersonScope,
    Program,
    Revision,
    Task,
)
from madoguchi.register.services.access import can_author, can_decide, require_read, visible_programs
from madoguchi.register.services.content import (
    LINKAGE_FIELDS,
    OUTSOURCING_FIELDS,
    OVERVIEW_FIELDS,
    SYSTEM_FIELDS,
    RevisionDiff,
    base_content,
    canonical,
    diff,
    flow_groups,
    flow_key,
)


@dataclass(frozen=True)
class DiffEntry:
    change: str  # added, removed, changed
    section: str
    label: str
    before: str = ""
    after: str = ""

    @property
    def css(self) -> str:
        return {"added": "diff-added", "removed": "diff-removed"}.get(self.change, "diff-changed")

    @property
    def change_label(self) -> str:
        return {"added": "追加", "removed": "削除"}.get(self.change, "変更")


def program_rows(actor: Actor) -> list[dict[str, Any]]:
    programs = visible_programs(actor).prefetch_related(
        Prefetch("revisions", queryset=Revision.objects.order_by("-number")))
    rows = []
    for program in programs.order_by("code"):
        revisions = list(program.revisions.all())
        approved = next((r for r in revisions if r.status == "approved"), None)
        rows.append({"program": program, "latest": revisions[0] if revisions else None, "approved": approved})
    return rows


def grouped_item_choices(keys: set[str] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Catalogue items as (category label, [(key, name)]) for grouped checkboxes."""
    labels = {k: str(v) for k, v in ItemCategory.choices}
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in DataItem.objects.all():
        if keys is not None and item.key not in keys:
            continue
        groups.setdefault(labels.get(item.category, item.category), []).append((item.key, item.name))
    return list(groups.items())


def _show(value: Any, names: dict[str, str]) -> str:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_wareki(dt.date.fromisoformat(value))
    if isinstance(value, bool):
        return "あり" if value else "なし"
    if isinstance(value, list):
        return "、".join(names.get(str(v), str(v)) for v in value)
    return str(value) if value not in (None, "") else "（なし）"


def diff_entries(d: RevisionDiff, old: dict[str, Any] | None, new: dict[str, Any]) -> list[DiffEntry]:
    if old is None:
        return []
    names = {i.key: i.name for i in DataItem.objects.all()}
    names |= {k: str(v) for k, v in Medium.choices} | {k: str(v) for k, v in Task.choices}
    out: list[DiffEntry] = []
    labels = dict(OVERVIEW_FIELDS)
    for name, (before, after) in d.fields.items():
        out.append(DiffEntry("changed", "事業の概要", labels[name], _show(before, names), _show(after, names)))
    for scope in sorted(d.scopes_added):
        items = next(s["items"] for s in new["scopes"] if s["name"] == scope)
        out.append(DiffEntry("added", "個人の範囲", scope, "", _show(items, names)))
    for scope in sorted(d.scopes_removed):
        out.append(DiffEntry("removed", "個人の範囲", scope))
    for scope, keys in d.items_added.items():
        out.append(DiffEntry("added", "記録項目", f"{scope}: {_show(sorted(keys), names)}"))
    for scope, keys in d.items_removed.items():
        out.append(DiffEntry("removed", "記録項目", f"{scope}: {_show(sorted(keys), names)}"))
    groups = [("systems", "systems_removed", "記録するコンピュータ", "name", SYSTEM_FIELDS),
              ("linkages", "linkages_removed", "外部結合", "counterpart", LINKAGE_FIELDS),
              ("outsourcings", "outsourcings_removed", "業務委託", "key", OUTSOURCING_FIELDS)]
    for group, removed_group, section, key_name, field_labels in groups:
        old_rows = {r[key_name]: r for r in old[group]}
        new_rows = {r[key_name]: r for r in new[group]}
        for key, fields in getattr(d, group).items():
            title = new_rows[key].get("contractor_name", key) if group == "outsourcings" else key
            if new_rows[key].get("parent"):
                title = f"再委託 {title}"
            if "*" in fields:
                out.append(DiffEntry("added", section, title))
                continue
            for f in sorted(fields):
                out.append(DiffEntry("changed", section, f"{title}: {field_labels[f]}",
                                     _show(old_rows[key][f], names), _show(new_rows[key][f], names)))
        for key in getattr(d, removed_group):
            out.append(DiffEntry("removed", section, str(old_rows[key].get("contractor_name", key))))
    kinds = {k: str(v) for k, v in ChecklistKind.choices}
    for kind, keys in d.measures.items():
        for key in sorted(keys):
            after = new["answers"][kind][key]
            before = old.get("answers", {}).get(kind, {}).get(key)
            out.append(DiffEntry("changed" if before else "added", f"{kinds.get(kind, kind)}チェックリスト",
                                 after["text"][:60], f"{before['answer']} {before['reason']}".strip() if before else "",
                                 f"{after['answer']} {after['reason']}".strip()))
    for kind, keys in d.measures_removed.items():
        for key in sorted(keys):
            out.append(DiffEntry("removed", f"{kinds.get(kind, kind)}チェックリスト",
                                 old["answers"][kind][key]["text"][:60]))
    old_flow = {flow_key(s): s for s in old.get("flow", [])}
    for step in new["flow"]:
        if flow_key(step) in d.flow:
            before_step = old_flow.get(flow_key(step))
            out.append(DiffEntry("changed" if before_step else "added", "個人情報の流れ",
                                 f"{_flow_label(step)}手順{step['number']}: {step['source']}→{step['target']}",
                                 before_step["note"] if before_step else "", step["note"]))
    for key in sorted(d.flow_removed, key=str):
        gone = old_flow[key]
        out.append(DiffEntry("removed", "個人情報の流れ", f"{_flow_label(gone)}手順{gone['number']}: {gone['note']}"))
    return out


def _flow_label(step: dict[str, Any]) -> str:
    return f"（{step['flow_title']}）" if step.get("flow_title") else ""


def revision_page(actor: Actor, program: Program, revision: Revision) -> dict[str, Any]:
    from madoguchi.register.documents import flow as flowmod
    from madoguchi.register.services.checks import check_revision

    require_read(actor, program)
    new = canonical(revision)
    old = base_content(revision)
    d = diff(old, new)
    scopes = PersonScope.objects.filter(revision=revision).prefetch_related("recorded_items__item")
    outsourcings = list(Outsourcing.objects.filter(revision=revision, parent__isnull=True)
                        .select_related("contractor").prefetch_related(
                            "items", "certifications", "subcontracts__contractor", "subcontracts__items",
                            "subcontracts__certifications"))
    answers = (ChecklistAnswer.objects.filter(revision=revision)
               .select_related("measure__template").order_by("measure__template__kind", "measure__side",
                                                             "measure__aspect", "measure__order"))
    by_kind: dict[str, list[ChecklistAnswer]] = {}
    for a in answers:
        by_kind.setdefault(a.measure.template.get_kind_display(), []).append(a)
    steps = FlowStep.objects.filter(revision=revision).prefetch_related("items")
    items = {i.key: i.name for i in DataItem.objects.all()}
    media = {k: str(v) for k, v in Medium.choices}
    flows = [{"no": no, "title": title, "svg": flowmod.to_svg(flowmod.layout(
                  group, {st["number"] for st in group if flow_key(st) in d.flow}, items, media),
                  title=f"個人情報の流れ（{title}）" if title else "個人情報の流れ")}
             for no, title, group in flow_groups(new["flow"])]
    svg = flows[0]["svg"] if flows else ""
    editable = can_author(actor, program) and not revision.is_frozen
    scope_rows = [{"scope": sc, "added": d.scope_added(sc.name),
                   "items": [(r.item, d.item_added(sc.name, r.item.key)) for r in
                             sorted(sc.recorded_items.all(), key=lambda r: (r.item.order, r.item.key))]}
                  for sc in scopes]
    from madoguchi.register.services.content import outsourcing_key

    out_rows = []
    for o in outsourcings:
        for row in [o, *o.subcontracts.all()]:
            key = outsourcing_key(row)
            out_rows.append({"o": row, "sub": bool(row.parent_id), "changed": key in d.outsourcings,
                             "items": [(i, d.out_item_added(key, i.key)) for i in
                                       sorted(row.items.all(), key=lambda i: (i.order, i.key))],
                             "media": [media.get(m, m) for m in row.media],
                             "tasks": [str(dict(Task.choices).get(t, t)) for t in row.tasks]})
    return {
        "program": program, "revision": revision, "revisions": program.revisions.order_by("-number"),
        "scopes": scopes, "scope_rows": scope_rows, "out_rows": out_rows, "systems": revision.systems.select_related("operator"),
        "linkages": revision.linkages.prefetch_related("items"), "outsourcings": outsourcings,
        "answers_by_kind": by_kind, "steps": steps, "flow_svg": svg, "flows": flows, "diff": d,
        "diff_entries": diff_entries(d, old, new), "editable": editable,
        "can_author": can_author(actor, program), "can_decide": can_decide(actor),
        "problems": check_revision(revision) if editable else [],
        "media_names": media, "task_names": {k: str(v) for k, v in Task.choices},
        "added_scopes": d.scopes_added,
    }
