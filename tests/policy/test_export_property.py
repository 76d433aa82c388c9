"""Property: no export for an organisation ever contains a column its declaration lacks (issue 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.accounts.context import Actor
from madoguchi.api.services.residents import export_program
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.catalogue import CATALOGUE
from madoguchi.register.models import Outsourcing
from madoguchi.register.policy import (
    RESIDENT_ITEM_FIELDS,
    AccessPolicy,
    Grant,
    export_columns,
    policy_for,
)
from tests.policy.world import declare

KEYS = [key for key, *_ in CATALOGUE]
MASTER = sorted(RESIDENT_ITEM_FIELDS)
items = st.frozensets(st.sampled_from(KEYS), max_size=12)
requests = st.lists(st.sampled_from([*KEYS, "unknown_item"]), max_size=10)


@st.composite
def grants(draw):
    out = []
    for n in range(draw(st.integers(min_value=0, max_value=4))):
        code = draw(st.sampled_from(["p1", "p2", "p3"]))
        out.append(Grant(code, hash(code) % 100, n, draw(st.sampled_from(["owner", "contract", "subcontract"])),
                         draw(items), frozenset(draw(st.lists(st.sampled_from(["printing", "inquiries"])))),
                         frozenset(), None, None, n))
    return tuple(out)


@given(grants(), st.sampled_from(["p1", "p2", "p3"]), requests)
@settings(max_examples=300, deadline=None)
def test_export_columns_never_exceed_the_declaration(given_grants, program, requested):
    policy = AccessPolicy(Actor(user=None), dt.date(2026, 11, 22), given_grants)
    declared = set().union(*[g.items for g in given_grants if g.program_code == program])
    try:
        columns = export_columns(policy, program, requested)
    except AccessRefused:
        # refused exactly when something requested is undeclared, or nothing is declared for the program
        assert not set(requested) <= declared or not any(g.program_code == program for g in given_grants)
        return
    assert set(columns) <= declared
    assert columns == list(dict.fromkeys(requested))


@pytest.mark.django_db
@given(contract_items=st.frozensets(st.sampled_from(KEYS), min_size=1),
       sub_items=st.frozensets(st.sampled_from(KEYS), min_size=1),
       requested=st.lists(st.sampled_from(MASTER), min_size=1, max_size=6),
       persona=st.sampled_from(["contractor", "subcontractor"]))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_exported_rows_hold_only_declared_columns(world, contract_items, sub_items, requested, persona):
    # given random declarations for a contractor and its sub-contractor (the latter maybe wider, wrongly)
    with transaction.atomic():
        rev = world.revisions["approved"]
        parent = declare(rev, world.orgs["undeclared-u"], sorted(contract_items), start=world.today,
                         end=world.today)
        org = world.orgs["callcenter-s"] if persona == "subcontractor" else world.orgs["undeclared-u"]
        if persona == "subcontractor":
            Outsourcing.objects.filter(contractor=org).delete()
            declare(rev, org, sorted(sub_items), start=world.today, end=world.today, parent=parent)
            declared = set(contract_items) & set(sub_items)
        else:
            declared = set(contract_items)
        user = world.users["subcontractor" if persona == "subcontractor" else "undeclared"]
        policy = policy_for(Actor(user=user, address="127.0.0.1"))
        # when an export asks for random columns
        try:
            result = export_program(policy=policy, program_code="p-owned", items=requested)
        except (AccessRefused, BusinessRuleError):
            assert not set(requested) <= declared
        else:
            # then every column and every row field is declared
            assert set(result["columns"]) <= declared
            allowed_fields = {"id"} | {f for k in declared & set(MASTER) for f in RESIDENT_ITEM_FIELDS[k]}
            assert result["rows"], "the participant of p-owned is exported"
            for row in result["rows"]:
                assert set(row) <= allowed_fields
        transaction.set_rollback(True)
