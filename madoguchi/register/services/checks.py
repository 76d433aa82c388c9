"""Checks before submission.  Every problem is listed; any problem blocks submission."""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.register.models import (
    ChecklistAnswer,
    FlowStep,
    Linkage,
    MeasureAnswer,
    Outsourcing,
    RecordedItem,
    Revision,
)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _names(items: set[str], labels: dict[str, str]) -> str:
    return "、".join(labels.get(k, k) for k in sorted(items))


def _fmt(d: object) -> str:
    from madoguchi.core.era import format_wareki

    return format_wareki(d)  # type: ignore[arg-type]


def check_revision(revision: Revision) -> list[Problem]:
    problems: list[Problem] = []
    recorded = {r.item.key: r.item.name for r in
                RecordedItem.objects.filter(scope__revision=revision).select_related("item")}
    if revision.start_date and revision.end_date and revision.start_date > revision.end_date:
        problems.append(Problem("program_period", "事業の期間の開始日が終了日より後になっています。"))
    outsourcings = list(Outsourcing.objects.filter(revision=revision)
                        .select_related("contractor", "parent__contractor")
                        .prefetch_related("items", "certifications", "parent__items"))
    for o in outsourcings:
        who = f"{'再委託先' if o.parent_id else '委託先'}「{o.contractor.name}」"
        items = {i.key: i.name for i in o.items.all()}
        labels = {**recorded, **items}
        outside = set(items) - set(recorded)
        if outside:
            problems.append(Problem("outsourced_not_recorded",
                                    f"{who}に扱わせる項目のうち「{_names(outside, labels)}」が記録項目にありません。"))
        if o.parent_id:
            parent = o.parent
            assert parent is not None
            beyond = set(items) - {i.key for i in parent.items.all()}
            if beyond:
                problems.append(Problem("subcontract_items", f"{who}の項目「{_names(beyond, labels)}」が"
                                        f"委託先「{parent.contractor.name}」の項目に含まれていません。"))
            if o.start_date < parent.start_date or o.end_date > parent.end_date:
                problems.append(Problem("subcontract_period", f"{who}の期間（{_fmt(o.start_date)}〜{_fmt(o.end_date)}）が"
                                        f"委託先の期間（{_fmt(parent.start_date)}〜{_fmt(parent.end_date)}）を超えています。"))
        if o.start_date > o.end_date:
            problems.append(Problem("outsourcing_period", f"{who}の委託期間の開始日が終了日より後になっています。"))
        before_start = bool(revision.start_date and o.start_date < revision.start_date)
        after_end = bool(revision.end_date and o.end_date > revision.end_date)
        if before_start or after_end:
            problems.append(Problem("outside_program_period", f"{who}の期間が事業の期間"
                                    f"（{_fmt(revision.start_date) if revision.start_date else '未定'}〜"
                                    f"{_fmt(revision.end_date) if revision.end_date else '未定'}）の外にあります。"))
        for cert in o.certifications.all():
            if not (cert.valid_from <= o.start_date <= cert.valid_until):
                problems.append(Problem("certification_expired", f"{who}の「{cert.name}」は委託開始日"
                                        f"（{_fmt(o.start_date)}）に有効ではありません（有効期間 {_fmt(cert.valid_from)}〜"
                                        f"{_fmt(cert.valid_until)}）。"))
    for link in Linkage.objects.filter(revision=revision).prefetch_related("items"):
        missing = {i.key: i.name for i in link.items.all() if i.key not in recorded}
        if missing:
            problems.append(Problem("linkage_not_recorded", f"外部結合「{link.counterpart}」の項目のうち"
                                    f"「{'、'.join(missing.values())}」が記録項目にありません。"))
    for step in FlowStep.objects.filter(revision=revision).prefetch_related("items"):
        missing = {i.key: i.name for i in step.items.all() if i.key not in recorded}
        if missing:
            problems.append(Problem("flow_not_recorded", f"個人情報の流れの手順{step.number}の項目のうち"
                                    f"「{'、'.join(missing.values())}」が記録項目にありません。"))
    for answer in ChecklistAnswer.objects.filter(revision=revision).select_related("measure__template"):
        where = f"{answer.measure.template.get_kind_display()}チェックリストの「{answer.measure.text[:30]}…」"
        if not answer.answer:
            problems.append(Problem("answer_missing", f"{where}に回答がありません。"))
        elif answer.answer == MeasureAnswer.NOT_NEEDED and not answer.reason.strip():
            problems.append(Problem("reason_missing", f"{where}を「－」としていますが、必要がない理由が書かれていません。"))
    if not recorded:
        problems.append(Problem("no_items", "記録項目が登録されていません（個人の範囲ごとに記録項目を選んでください）。"))
    if revision.has_outsourcing and not outsourcings:
        problems.append(Problem("no_outsourcing", "「業務委託あり」としていますが、委託先が登録されていません。"))
    return problems
