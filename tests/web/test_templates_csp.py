"""Content-Security-Policy: no template needs an inline script, an inline event handler or eval."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "madoguchi"
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html"))
RULES = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "<style> element (use a static CSS file)": re.compile(r"<style[\s>]", re.I),
    "hx-on (needs eval)": re.compile(r"\shx-on", re.I),
    "hx-trigger filter (needs eval)": re.compile(r"hx-trigger=\"[^\"]*\[", re.I),
    "js: in hx-vals (needs eval)": re.compile(r"hx-vals=['\"]\s*js:", re.I),
}


def test_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("rule", list(RULES))
def test_no_template_needs_unsafe_inline_or_eval(rule):
    pattern = RULES[rule]
    offenders = [f"{p.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"
                 for p in TEMPLATES for text in [p.read_text(encoding="utf-8")] for m in pattern.finditer(text)]
    assert offenders == []
