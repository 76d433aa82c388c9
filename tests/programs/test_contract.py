"""The contract every registered program type keeps (issue 10, "What the code must show"; ADR 0010).

Runs over every registered spec: its items are all in the catalogue; its hand-over datasets never give
more than it declares; its erasers reach every table that holds its people's data; its screens and the
program page answer for the owning department and refuse the others.  Adding a type adds it here without
editing this file.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from madoguchi.casework.rules import case_program_types, register_rules
from madoguchi.core.errors import DuplicateRegistration
from madoguchi.core.payables import register_provider
from madoguchi.handover.datasets import dataset_for, datasets_by_type, register_dataset
from madoguchi.handover.erasers import Eraser, erasers, register_eraser
from madoguchi.programs.registry import register, spec_for_type, specs
from madoguchi.register.catalogue import CATALOGUE
from madoguchi.register.models import Participation, Program, ProgramType
from madoguchi.residents.models import Resident
from tests.factories import ResidentFactory
from tests.programs.world import build_world

SPECS = specs()
IDS = [s.code for s in SPECS]
CATALOGUE_KEYS = {key for key, *_rest in CATALOGUE}
# Tables that hold a resident's data but belong to no program: the master itself.
NOT_A_PROGRAMS_TABLE = {"residents.Resident", "residents.AddressHistory"}


def test_every_fixed_type_has_exactly_one_spec_and_labels_agree():
    assert [s.code for s in SPECS] == list(ProgramType.values)
    for spec in SPECS:
        assert spec.label == str(ProgramType(spec.code).label)
        assert spec.summary and spec.seed.startswith("seed 00")


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_items_read_and_written_are_in_the_catalogue(spec):
    assert spec.reads <= CATALOGUE_KEYS, spec.reads - CATALOGUE_KEYS
    assert spec.writes <= CATALOGUE_KEYS, spec.writes - CATALOGUE_KEYS


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_datasets_never_exceed_the_declaration(spec):
    declared = spec.reads | spec.writes
    for dataset in spec.datasets:
        assert dataset.items <= declared, f"{dataset.name}: {sorted(dataset.items - declared)}"
    registered = datasets_by_type().get(spec.code)
    assert registered is (spec.datasets[0] if spec.datasets else None)
    # what a hand-over of a program of this type actually draws on (its own dataset, else the participants)
    effective = dataset_for(Program(code="x", name="x", program_type=spec.code))
    assert effective.items <= declared, f"{effective.name}: {sorted(effective.items - declared)}"


@pytest.mark.django_db
@pytest.mark.parametrize("spec", [s for s in SPECS if s.datasets], ids=[s.code for s in SPECS if s.datasets])
def test_dataset_rows_hold_only_the_items_asked_for(spec):
    from tests.casework.factories import make_case

    world = build_world()
    program, revision = world.programs[spec.code], world.revisions[spec.code]
    ResidentFactory(birth_date=dt.date(2006, 6, 1))  # one of the cohort of fiscal year 2026
    if spec.application_rules is not None:
        make_case(program)
    for dataset in spec.datasets:
        asked = tuple(sorted(dataset.items & {"name", "address"}))
        rows = list(dataset.rows(program, revision, asked))
        assert rows and dataset.count(program, revision) == len(rows)
        assert all(set(values) == set(asked) for _rid, values in rows)


def _people_tables() -> set[str]:
    """Tables with a link to a resident or a participation: a foreign key, or a ``resident_id`` column."""
    found = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            linked = f.is_relation and f.many_to_one and f.related_model in (Resident, Participation)
            column = isinstance(f, models.IntegerField) and f.name == "resident_id"
            if linked or column:
                found.add(model._meta.label)
    return found - NOT_A_PROGRAMS_TABLE


def _reached(labels: set[str]) -> set[str]:
    """The tables erased directly plus those whose rows go with them (on_delete CASCADE)."""
    reached = set(labels)
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            for f in model._meta.get_fields():
                if (f.is_relation and f.many_to_one and f.related_model is not None
                        and f.related_model._meta.label in reached
                        and f.remote_field.on_delete is models.CASCADE
                        and model._meta.label not in reached):
                    reached.add(model._meta.label)
                    grew = True
    return reached


def test_people_tables_are_found():
    assert {"register.Participation", "casework.Case", "casework.Inquiry", "payments.PaymentItem"} <= _people_tables()


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_erasers_reach_every_table_holding_its_people(spec):
    reached = _reached({label for e in erasers(spec.code) for label in e.models})
    missing = (_people_tables() | set(spec.person_models)) - reached
    assert not missing, f"{spec.code}: no eraser reaches {sorted(missing)}"
    for label in spec.person_models:
        apps.get_model(label)  # a declared table exists


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_spec_parts_are_wired_to_the_engines(spec):
    assert (spec.code in case_program_types()) is (spec.application_rules is not None)
    for eraser in spec.erasers:
        assert eraser in erasers(spec.code)
        assert all(eraser not in erasers(other.code) for other in SPECS if other.code != spec.code)
    if spec.simulator is not None:
        assert spec.rule_model is not None and spec.simulator.inputs
    for rule in spec.extraction_rules:
        assert rule.scope and rule.label and rule.source
    assert spec_for_type(spec.code) is spec


# --- screens --------------------------------------------------------------------------------------

REFUSED = ["other_department", "privacy", "auditor", "administrator"]


@pytest.mark.django_db
@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_program_page_and_screens_answer_the_owner_and_refuse_the_others(spec, login_client):
    from madoguchi.audit.models import AccessLog

    world = build_world()
    program = world.programs[spec.code]
    urls = [reverse("programs:page", args=[program.code])]
    urls += [reverse(s.url_name, args=[program.code]) for s in spec.screens]
    owner = login_client(world.users["owner"])
    for url in urls:
        assert owner.get(url).status_code == 200, url
    for persona in REFUSED:
        client = login_client(world.users[persona])
        for url in urls:
            before = AccessLog.objects.filter(allowed=False).count()
            assert client.get(url).status_code == 403, (persona, url)
            assert AccessLog.objects.filter(allowed=False).count() == before + 1
    contractor = login_client(world.users["contractor"])
    for s in spec.screens:
        if s.owner_only:
            assert contractor.get(reverse(s.url_name, args=[program.code])).status_code == 403


# --- registries fail loudly ---------------------------------------------------------------------------

def test_a_type_registered_twice_fails():
    with pytest.raises(DuplicateRegistration):
        register(SPECS[0])


def test_engine_registries_refuse_a_second_registration_for_a_type():
    subsidy = spec_for_type("application_subsidy")
    with pytest.raises(DuplicateRegistration):
        register_provider("application_subsidy", lambda code: [])
    with pytest.raises(DuplicateRegistration):
        register_dataset("application_subsidy", subsidy.datasets[0])
    with pytest.raises(DuplicateRegistration):
        register_rules("application_subsidy", subsidy.application_rules)  # type: ignore[arg-type]
    with pytest.raises(DuplicateRegistration):
        register_eraser(Eraser("cases", "x", lambda t: 0, lambda t: 0))


def test_an_unknown_type_code_is_refused_at_registration():
    from dataclasses import replace

    with pytest.raises(ValueError, match="not in register.models.ProgramType"):
        register(replace(SPECS[0], code="lottery"))
