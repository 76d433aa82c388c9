"""The canonical content of a revision (what the council approves) and the difference between two.

:func:`canonical` gives a JSON-ready dict; approving stores it as ``Revision.snapshot``.  :func:`diff`
compares two such dicts by stable keys (scope name, contractor chain, measure key, step number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from madoguchi.register.models import (
    ChecklistAnswer,
    FlowStep,
    Linkage,
    Outsourcing,
    PersonScope,
    Revision,
    System,
)

OVERVIEW_FIELDS: list[tuple[str, str]] = [
    ("title", "件名"),
    ("purpose", "目的"),
    ("target_persons", "対象者"),
    ("content", "事業内容"),
    ("person_count", "対象人数"),
    ("legal_basis", "根拠"),
    ("start_date", "事業開始日"),
    ("end_date", "事業終了日"),
    ("retention_years", "保存年限"),
    ("retention_note", "保存・消去の定め"),
    ("erase_on_withdrawal", "退会時の消去"),
    ("has_computer_processing", "電算処理"),
    ("has_external_linkage", "外部結合"),
    ("has_outsourcing", "業務委託"),
    ("file_name", "個人情報ファイルの名称"),
    ("collection_method", "収集方法"),
    ("provision", "提供先"),
    ("change_summary", "今回の変更の概要"),
]
SYSTEM_FIELDS = {"kind": "種別", "operator": "運用者", "domestic_law": "国内法が適用されるサーバー",
                 "location": "設置場所", "reason": "理由", "processing": "内容", "schedule": "時期"}
LINKAGE_FIELDS = {"items": "結合する項目", "reason": "結合する理由", "form": "結合の形態", "start_date": "開始日",
                  "period": "期間"}
OUTSOURCING_FIELDS = {"items": "取り扱う項目", "media": "媒体", "tasks": "業務", "task_description": "委託の内容",
                      "reason": "委託理由", "start_date": "委託開始日", "end_date": "委託終了日",
                      "hands_over_data": "個人情報の引渡し", "certifications": "認証",
                      "to_be_named": "委託先は未定", "to_be_named_note": "未定の委託先の定め",
                      "measures_text": "この委託に固有の対策"}
FLOW_FIELDS = ("source_kind", "source", "target_kind", "target", "items", "medium", "note", "flow_title")


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _keys(items: Any) -> list[str]:
    return [i.key for i in sorted(items, key=lambda i: (i.order, i.key))]


def outsourcing_key(o: Outsourcing) -> str:
    if o.parent is not None:
        return f"{o.parent.contractor.code}>{o.contractor.code}"
    return o.contractor.code


def canonical(revision: Revision) -> dict[str, Any]:
    program = revision.program
    scopes = PersonScope.objects.filter(revision=revision).prefetch_related("recorded_items__item")
    systems = System.objects.filter(revision=revision).select_related("operator")
    linkages = Linkage.objects.filter(revision=revision).prefetch_related("items")
    outsourcings = (Outsourcing.objects.filter(revision=revision)
                    .select_related("contractor", "parent__contractor")
                    .prefetch_related("items", "certifications").order_by("parent_id", "id"))
    answers = (ChecklistAnswer.objects.filter(revision=revision)
               .select_related("measure__template").order_by("measure__order", "measure_id"))
    steps = FlowStep.objects.filter(revision=revision).prefetch_related("items")
    out_list = []
    for o in sorted(outsourcings, key=lambda o: (o.parent_id is not None, o.id)):
        out_list.append({
            "key": outsourcing_key(o),
            "contractor": o.contractor.code,
            "contractor_name": o.contractor.name,
            "parent": o.parent.contractor.code if o.parent is not None else None,
            "items": _keys(o.items.all()),
            "media": list(o.media),
            "tasks": list(o.tasks),
            "task_description": o.task_description,
            "reason": o.reason,
            "start_date": _text(o.start_date),
            "end_date": _text(o.end_date),
            "hands_over_data": o.hands_over_data,
            "to_be_named": o.to_be_named,
            "to_be_named_note": o.to_be_named_note,
            "measures_text": o.measures_text,
            "certifications": sorted(f"{c.name}（{c.number}）{c.valid_from}〜{c.valid_until}"
                                     for c in o.certifications.all()),
        })
    answer_map: dict[str, dict[str, Any]] = {}
    for a in answers:
        answer_map.setdefault(a.measure.template.kind, {})[a.measure.key] = {
            "answer": a.answer, "reason": a.reason, "text": a.measure.text, "side": a.measure.side,
            "aspect": a.measure.aspect,
        }
    return {
        "program": {"code": program.code, "name": program.name, "department": program.department.name},
        "number": revision.number,
        "fields": {name: _text(getattr(revision, name)) for name, _label in OVERVIEW_FIELDS},
        "scopes": [{"name": s.name, "items": [r.item.key for r in sorted(s.recorded_items.all(),
                                                                          key=lambda r: (r.item.order, r.item.key))],
                    "file_name": s.file_name, "file_kind": s.file_kind}
                   for s in scopes],
        "systems": [{"name": s.name, "kind": s.kind, "operator": s.operator.name if s.operator else "",
                     "domestic_law": s.domestic_law, "location": s.location, "reason": s.reason,
                     "processing": s.processing, "schedule": s.schedule} for s in systems],
        "linkages": [{"counterpart": link.counterpart, "items": _keys(link.items.all()),
                      "reason": link.reason, "form": link.form, "start_date": _text(link.start_date),
                      "period": link.period} for link in linkages],
        "outsourcings": out_list,
        "answers": answer_map,
        "flow": [{"flow_no": s.flow_no, "flow_title": s.flow_title,
                  "number": s.number, "source_kind": s.source_kind, "source": s.source,
                  "target_kind": s.target_kind, "target": s.target, "items": _keys(s.items.all()),
                  "medium": s.medium, "note": s.note} for s in steps],
    }


def base_content(revision: Revision) -> dict[str, Any] | None:
    base = revision.based_on
    if base is None:
        return None
    return base.snapshot or canonical(base)


@dataclass
class RevisionDiff:
    """What changed from the base (``old``) to this revision (``new``).  Empty when there is no base."""

    has_base: bool = False
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    scopes_added: set[str] = field(default_factory=set)
    scopes_removed: set[str] = field(default_factory=set)
    items_added: dict[str, set[str]] = field(default_factory=dict)  # scope name -> item keys
    items_removed: dict[str, set[str]] = field(default_factory=dict)
    systems: dict[str, set[str]] = field(default_factory=dict)  # name -> changed fields ("*" = added)
    systems_removed: set[str] = field(default_factory=set)
    linkages: dict[str, set[str]] = field(default_factory=dict)
    linkages_removed: set[str] = field(default_factory=set)
    outsourcings: dict[str, set[str]] = field(default_factory=dict)
    outsourcings_removed: set[str] = field(default_factory=set)
    out_items_added: dict[str, set[str]] = field(default_factory=dict)
    out_items_removed: dict[str, set[str]] = field(default_factory=dict)
    measures: dict[str, set[str]] = field(default_factory=dict)  # kind -> measure keys changed or added
    measures_removed: dict[str, set[str]] = field(default_factory=dict)
    flow: set[int] = field(default_factory=set)
    flow_removed: set[int] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not any([self.fields, self.scopes_added, self.scopes_removed, self.items_added, self.items_removed,
                        self.systems, self.systems_removed, self.linkages, self.linkages_removed,
                        self.outsourcings, self.outsourcings_removed, self.measures, self.measures_removed,
                        self.flow, self.flow_removed])

    # Questions the documents ask while rendering: is this part new or changed?
    def field_changed(self, name: str) -> bool:
        return name in self.fields

    def scope_added(self, name: str) -> bool:
        return name in self.scopes_added

    def item_added(self, scope: str, key: str) -> bool:
        return scope in self.scopes_added or key in self.items_added.get(scope, set())

    def part_changed(self, group: str, key: str, name: str = "*") -> bool:
        changed: dict[str, set[str]] = getattr(self, group)
        fields = changed.get(key)
        if fields is None:
            return False
        return "*" in fields or name in fields

    def out_item_added(self, key: str, item: str) -> bool:
        return self.part_changed("outsourcings", key) and (
            "*" in self.outsourcings.get(key, set()) or item in self.out_items_added.get(key, set()))

    def measure_changed(self, kind: str, key: str) -> bool:
        return key in self.measures.get(kind, set())


def _by(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in rows}


def flow_key(step: dict[str, Any]) -> Any:
    """A flow step's stable key in diffs: its number in the first flow (as in snapshots made before a
    registration could hold several flows), "<flow>-<number>" in the others."""
    flow_no = step.get("flow_no") or 1
    return step["number"] if flow_no == 1 else f"{flow_no}-{step['number']}"


def flow_groups(steps: list[dict[str, Any]]) -> list[tuple[int, str, list[dict[str, Any]]]]:
    """The canonical steps grouped by flow: [(flow number, title, steps in number order)], first flow first."""
    groups: dict[int, tuple[str, list[dict[str, Any]]]] = {}
    for step in sorted(steps, key=lambda s: (s.get("flow_no") or 1, s["number"])):
        title, rows = groups.setdefault(step.get("flow_no") or 1, (step.get("flow_title") or "", []))
        if not title and step.get("flow_title"):
            groups[step.get("flow_no") or 1] = (step["flow_title"], rows)
        rows.append(step)
    return [(no, title, rows) for no, (title, rows) in groups.items()]


def _norm(value: Any) -> Any:
    """Lists (items, media, tasks) compare as sets: their order is not content.  A field missing from an
    older snapshot compares as empty (None, "" and False are the same absence)."""
    if value in (None, "", False):
        return None
    return sorted(map(str, value)) if isinstance(value, list) else value


def _compare(old: dict[Any, dict[str, Any]], new: dict[Any, dict[str, Any]], names: Any) -> tuple[
        dict[Any, set[str]], set[Any]]:
    changed: dict[Any, set[str]] = {}
    for key, row in new.items():
        if key not in old:
            changed[key] = {"*"}
            continue
        fields = {n for n in names if _norm(old[key].get(n)) != _norm(row.get(n))}
        if fields:
            changed[key] = fields
    return changed, set(old) - set(new)


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> RevisionDiff:
    result = RevisionDiff()
    if old is None:
        return result
    result.has_base = True
    for name, _label in OVERVIEW_FIELDS:
        before, after = old["fields"].get(name, ""), new["fields"].get(name, "")
        if before != after:
            result.fields[name] = (before, after)
    old_scopes, new_scopes = _by(old["scopes"], "name"), _by(new["scopes"], "name")
    result.scopes_added = set(new_scopes) - set(old_scopes)
    result.scopes_removed = set(old_scopes) - set(new_scopes)
    for name in set(new_scopes) & set(old_scopes):
        before, after = set(old_scopes[name]["items"]), set(new_scopes[name]["items"])
        if after - before:
            result.items_added[name] = after - before
        if before - after:
            result.items_removed[name] = before - after
    result.systems, result.systems_removed = _compare(_by(old["systems"], "name"), _by(new["systems"], "name"),
                                                      SYSTEM_FIELDS)
    result.linkages, result.linkages_removed = _compare(_by(old["linkages"], "counterpart"),
                                                        _by(new["linkages"], "counterpart"), LINKAGE_FIELDS)
    old_out, new_out = _by(old["outsourcings"], "key"), _by(new["outsourcings"], "key")
    result.outsourcings, result.outsourcings_removed = _compare(old_out, new_out, OUTSOURCING_FIELDS)
    for key in set(old_out) & set(new_out):
        before, after = set(old_out[key]["items"]), set(new_out[key]["items"])
        if after - before:
            result.out_items_added[key] = after - before
        if before - after:
            result.out_items_removed[key] = before - after
    for kind in set(old.get("answers", {})) | set(new.get("answers", {})):
        before_answers = old.get("answers", {}).get(kind, {})
        after_answers = new.get("answers", {}).get(kind, {})
        changed = {k for k, v in after_answers.items()
                   if k not in before_answers or (before_answers[k]["answer"], before_answers[k]["reason"])
                   != (v["answer"], v["reason"])}
        if changed:
            result.measures[kind] = changed
        removed = set(before_answers) - set(after_answers)
        if removed:
            result.measures_removed[kind] = removed
    flow_changed, result.flow_removed = _compare({flow_key(s): s for s in old.get("flow", [])},
                                                 {flow_key(s): s for s in new.get("flow", [])}, FLOW_FIELDS)
    result.flow = set(flow_changed)
    return result


def revision_diff(revision: Revision) -> RevisionDiff:
    return diff(base_content(revision), canonical(revision))
