"""Applications holding vendor 外字 (issue 19 §4): noted for the 外字対応表 on import; the case keys use the
ward's mapping, recomputed when a mapping is registered (ADR 0016)."""

from __future__ import annotations

import pytest

from madoguchi.casework.models import Case
from madoguchi.casework.services.intake import import_form_csv
from madoguchi.core.text import name_key as text_name_key
from madoguchi.residents.models import GaijiMapping
from madoguchi.residents.services.gaiji import clear_cache, save_mapping
from tests.casework.conftest import csv_bytes, row


@pytest.fixture(autouse=True)
def _fresh_table():
    clear_cache()
    yield
    clear_cache()


def test_eform_with_gaiji_is_noted_and_keys_follow_the_mapping(setup, profile, django_capture_on_commit_callbacks):
    actor = setup.actor(setup.staff)
    result = import_form_csv(actor=actor, program=setup.program, profile=profile,
                             data=csv_bytes(row(name="\ue000藤　花子")))
    assert result.gaiji_unmapped == ["F040"]
    assert not GaijiMapping.objects.get(char="\ue000").mapped
    case = Case.objects.get()
    assert case.name == "\ue000藤　花子" and case.name_key != text_name_key("齋藤　花子")
    with django_capture_on_commit_callbacks(execute=True):
        save_mapping(code="F040", standard="齋", actor=actor)
    case.refresh_from_db()
    assert case.name_key == text_name_key("齋藤　花子")


def test_mapped_gaiji_is_not_reported_again(setup, profile):
    actor = setup.actor(setup.staff)
    save_mapping(code="F040", standard="齋", actor=actor)
    clear_cache()
    result = import_form_csv(actor=actor, program=setup.program, profile=profile,
                             data=csv_bytes(row(name="\ue000藤　花子")))
    assert result.gaiji_unmapped == []
    assert Case.objects.get().name_key == text_name_key("齋藤　花子")
