"""The shipped checklist templates and clause sets (``data/*.json``, in madoguchi's own words).

:func:`load_defaults` takes the model classes so that the data migration can pass historical models.
A municipality edits the loaded rows on the template screens; loading again never overwrites them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def read_json(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return result


def load_defaults(template_model: Any, measure_model: Any, clause_set_model: Any, clause_model: Any) -> None:
    for spec in read_json("checklists.json")["templates"]:
        template, created = template_model.objects.get_or_create(
            kind=spec["kind"], defaults={"title": spec["title"], "note": spec.get("note", "")})
        if not created:
            continue
        measure_model.objects.bulk_create([
            measure_model(template=template, key=key, side=side, aspect=aspect, text=text, order=(i + 1) * 10)
            for i, (key, side, aspect, text) in enumerate(spec["measures"])
        ])
    for spec in read_json("clauses.json")["sets"]:
        clause_set, created = clause_set_model.objects.get_or_create(
            party=spec["party"], defaults={"title": spec["title"], "preamble": spec.get("preamble", "")})
        if not created:
            continue
        clause_model.objects.bulk_create([
            clause_model(clause_set=clause_set, order=i + 1, heading=heading, text=text)
            for i, (heading, text) in enumerate(spec["clauses"])
        ])


def ensure_templates() -> None:
    from madoguchi.register.models import ChecklistMeasure, ChecklistTemplate, Clause, ClauseSet

    load_defaults(ChecklistTemplate, ChecklistMeasure, ClauseSet, Clause)
