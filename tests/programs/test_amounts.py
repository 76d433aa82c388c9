"""The subsidy amount rule (1/2, cap 20,000 yen, cut below 1,000 yen) and its configuration."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.programs.models import SubsidyRule
from madoguchi.programs.services.amounts import Params, breakdown, calculate_amount
from madoguchi.programs.services.rules import configure_rule

SEED_RULE = Params()


@pytest.mark.parametrize(("cost", "amount"), [
    (0, 0), (1999, 0), (2000, 1000), (24999, 12000), (25000, 12000), (26000, 13000), (39999, 19000),
    (40000, 20000), (41999, 20000), (1_000_000, 20000),
])
def test_seed_000_examples(cost, amount):
    assert calculate_amount(SEED_RULE, cost) == amount


@given(st.integers(min_value=0, max_value=10**9))
def test_never_above_cap_multiple_of_unit_at_most_half(cost):
    amount = calculate_amount(SEED_RULE, cost)
    assert amount <= 20000
    assert amount % 1000 == 0
    assert 2 * amount <= cost


@given(st.integers(min_value=0, max_value=10**7), st.integers(1, 9), st.integers(1, 10),
       st.sampled_from([1, 10, 100, 1000, 5000]), st.integers(0, 10**6))
def test_any_floor_rule_stays_within_rate_cap_and_unit(cost, num, den, unit, cap):
    rule = Params(rate_numerator=num, rate_denominator=den, cap=cap, rounding_unit=unit, rounding="floor")
    amount = calculate_amount(rule, cost)
    assert amount <= cap and amount % unit == 0 and amount * den <= cost * num


def test_breakdown_says_when_the_cap_applied():
    assert breakdown(SEED_RULE, 100000).capped
    assert not breakdown(SEED_RULE, 10000).capped


def test_negative_cost_is_refused():
    with pytest.raises(ValueError):
        calculate_amount(SEED_RULE, -1)


def test_simulate_amount_command_prints_the_bare_amount_last(setup, capsys):
    call_command("simulate_amount", "--program", setup.program.code, "--cost", "25000")
    assert capsys.readouterr().out.strip().splitlines()[-1] == "12000"


def test_owner_configures_the_rule_and_others_cannot(setup):
    rule = configure_rule(actor=setup.actor(setup.staff), program=setup.program,
                          values={"cap": 30000, "rate_numerator": 1, "rate_denominator": 3})
    assert (rule.cap, rule.rate_denominator) == (30000, 3)
    for user in (setup.contractor, setup.callcenter, setup.other_staff, setup.privacy, setup.auditor, setup.admin):
        with pytest.raises(AccessRefused):
            configure_rule(actor=setup.actor(user), program=setup.program, values={"cap": 1})
    assert SubsidyRule.objects.get().cap == 30000


def test_period_must_end_after_it_starts(setup):
    import datetime as dt

    with pytest.raises(BusinessRuleError):
        configure_rule(actor=setup.actor(setup.staff), program=setup.program,
                       values={"period_start": dt.date(2026, 5, 1), "period_end": dt.date(2026, 4, 1)})
