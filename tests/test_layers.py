"""The import direction of docs/adr/0001 (order changed by ADR 0010): no module imports from an app in a
higher layer.  Program types (``programs``) sit above the generic engines (casework, payments, handover)."""

from __future__ import annotations

import ast
from pathlib import Path

LAYERS = ["core", "accounts", "audit", "residents", "register", "casework", "payments", "handover",
          "programs", "web", "api"]
ROOT = Path(__file__).resolve().parent.parent / "madoguchi"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_upward_imports():
    violations = []
    for app in LAYERS:
        rank = LAYERS.index(app)
        for path in (ROOT / app).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                if parts[0] != "madoguchi" or len(parts) < 2 or parts[1] not in LAYERS:
                    continue
                other = parts[1]
                if LAYERS.index(other) > rank and not (app in {"web", "api"} and other in {"web", "api"}):
                    violations.append(f"{path.relative_to(ROOT)} imports {name}")
    assert violations == []


ENGINES = ["casework", "payments", "handover"]
TYPE_CODES = {"application_subsidy", "push_allowance", "cohort_mailing", "points_scheme", "migration_check"}


def test_engines_never_compare_the_program_type_by_name():
    """ADR 0010: casework, payments and handover ask the type's registered parts; no literal type code."""
    found = []
    for app in ENGINES:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and node.value in TYPE_CODES:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert found == []
