"""The access policy, role by role: what each actor may see, and what it is refused (issue 4)."""

from __future__ import annotations

import pytest

from madoguchi.core.errors import AccessRefused
from madoguchi.register.policy import (
    CONTRACT,
    OWNER,
    SUBCONTRACT,
    export_columns,
    open_resident,
    policy_for,
    resident_queryset,
    visible_resident_items,
)
from tests.policy.world import CONTRACTOR_ITEMS, OFF_TERMINAL, RECORDED, SUB_ITEMS

# persona -> (programs granted, items in p-owned, residents visible, words in the refusal if none)
MATRIX = {
    "anonymous": (set(), set(), set(), "権限がありません"),
    "other_dept": ({"p-other"}, set(), {"in_other"}, ""),
    "no_program_dept": (set(), set(), set(), "承認された登録"),
    "owner": ({"p-owned"}, set(RECORDED), {"in_owned"}, ""),
    "contractor": ({"p-owned"}, set(CONTRACTOR_ITEMS), {"in_owned"}, ""),
    "subcontractor": ({"p-owned"}, set(SUB_ITEMS), {"in_owned"}, ""),
    "expired": (set(), set(), set(), "委託期間"),
    "withdrawn": (set(), set(), set(), "承認された登録"),
    "superseded": (set(), set(), set(), "承認された登録"),
    "draft": (set(), set(), set(), "承認された登録"),
    "undeclared": (set(), set(), set(), "承認された登録"),
    "wrong_terminal": (set(), set(), set(), "登録された端末"),
    "privacy": (set(), set(), set(), "権限がありません"),
    "auditor": (set(), set(), set(), "権限がありません"),
    "administrator": (set(), set(), set(), "権限がありません"),
}


def _actor(actor, persona):
    if persona == "wrong_terminal":
        return actor("contractor", address=OFF_TERMINAL)
    return actor(persona)


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_policy_grants_exactly_the_declarations_in_force(world, actor, persona):
    programs, items, _residents, _why = MATRIX[persona]
    # given the register of tests/policy/world.py; when the policy is derived
    policy = policy_for(_actor(actor, persona))
    # then it grants exactly the approved, in-force declarations for the actor's organisation
    assert policy.program_codes() == programs
    assert set(policy.items_for("p-owned")) == items
    assert "p-withdrawn" not in policy.program_codes()


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_resident_queryset_shows_only_residents_of_granted_programs(world, actor, persona):
    programs, _items, residents, why = MATRIX[persona]
    act = _actor(actor, persona)
    if not residents:
        with pytest.raises(AccessRefused) as refused:
            resident_queryset(act)
        assert why in refused.value.reason
        return
    visible = set(resident_queryset(act).values_list("pk", flat=True))
    assert visible == {world.residents[k].pk for k in residents}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_open_resident_serialises_only_declared_items(world, actor, persona):
    programs, items, residents, _why = MATRIX[persona]
    act = _actor(actor, persona)
    target = world.residents["in_owned"]
    if "in_owned" not in residents:
        with pytest.raises(AccessRefused) as refused:
            open_resident(act, target.pk)
        assert refused.value.target == f"resident:{target.pk}"
        return
    seen = open_resident(act, target.pk)
    expected_fields = {"id"} | {k for k in items if hasattr(target, k)}
    assert set(seen.data) == expected_fields
    assert seen.break_glass is False


def test_subcontractor_sees_a_narrower_list_than_its_contractor(world, actor):
    target = world.residents["in_owned"]
    contractor = open_resident(actor("contractor"), target.pk).data
    sub = open_resident(actor("subcontractor"), target.pk).data
    assert set(sub) == {"id", "resident_no", "name", "name_kana"}
    assert "address" in contractor and "address" not in sub
    assert "birth_date" not in contractor  # recorded, but not declared for the contractor


def test_subcontractor_never_exceeds_its_contractor_even_if_declared_wider(world, actor):
    # given a sub-contract that (wrongly) declares an item its contractor lacks, and a longer period
    from madoguchi.register.catalogue import ensure_catalogue

    sub = world.outsourcings["sub"]
    sub.items.add(ensure_catalogue()["birth_date"])
    # then the policy intersects it with the contractor's declaration
    assert "birth_date" not in policy_for(actor("subcontractor")).items_for("p-owned")


def test_grant_kinds_and_revision(world, actor):
    assert policy_for(actor("owner")).grant_for("p-owned").kind == OWNER
    assert policy_for(actor("contractor")).grant_for("p-owned").kind == CONTRACT
    grant = policy_for(actor("subcontractor")).grant_for("p-owned")
    assert grant.kind == SUBCONTRACT
    assert grant.revision_id == world.revisions["approved"].pk and grant.revision_number == 2


def test_other_programs_residents_do_not_exist_for_a_contractor(world, actor):
    act = actor("contractor")
    with pytest.raises(AccessRefused):
        open_resident(act, world.residents["in_other"].pk)
    with pytest.raises(AccessRefused):
        open_resident(act, world.residents["nobody"].pk)
    # the refusal reads the same whether or not the resident exists
    with pytest.raises(AccessRefused) as missing:
        open_resident(act, 987654321)
    with pytest.raises(AccessRefused) as other:
        open_resident(act, world.residents["nobody"].pk)
    assert missing.value.reason == other.value.reason


def test_program_scope_is_refused_for_an_undeclared_program(world, actor):
    with pytest.raises(AccessRefused) as refused:
        resident_queryset(actor("contractor"), program_code="p-other")
    assert refused.value.program == "p-other"


def test_withdrawing_the_registration_ends_every_grant(world, actor):
    from madoguchi.register.models import RevisionStatus
    from tests.policy.world import make_revision

    assert policy_for(actor("contractor")).program_codes() == {"p-owned"}
    # when the program is withdrawn (a withdrawn revision after the approved one)
    make_revision(world.programs["owned"], 4, RevisionStatus.WITHDRAWN, RECORDED)
    # then neither the department nor any contractor is granted anything
    for persona in ["owner", "contractor", "subcontractor"]:
        assert policy_for(actor(persona)).grants == ()


def test_a_newer_approval_supersedes_the_old_declarations(world, actor):
    from madoguchi.register.models import RevisionStatus
    from tests.policy.world import declare, make_revision

    rev = make_revision(world.programs["owned"], 4, RevisionStatus.APPROVED, RECORDED)
    declare(rev, world.orgs["contractor-a"], ["name"], start=world.today, end=world.today)
    # the contractor now has only revision 4's declaration; the sub-contractor's revision-2 grant is gone
    assert set(policy_for(actor("contractor")).items_for("p-owned")) == {"name"}
    assert policy_for(actor("subcontractor")).grants == ()


def test_visible_items_without_a_program_are_those_every_grant_declares(world, actor):
    from tests.policy.world import declare, make_revision

    other_rev = world.revisions["other"]
    declare(other_rev, world.orgs["contractor-a"], ["name"], start=world.today, end=world.today)
    policy = policy_for(actor("contractor"))
    assert visible_resident_items(policy) == frozenset({"name"})
    # and a resident of p-other shows only p-other's items
    seen = open_resident(actor("contractor"), world.residents["in_other"].pk)
    assert set(seen.data) == {"id", "name"}
    assert make_revision  # imported helper used by sibling tests


@pytest.mark.parametrize("persona,requested,allowed", [
    ("owner", ["name", "address", "bank_account", "birth_date"], True),
    ("contractor", ["name", "address", "bank_account"], True),
    ("contractor", ["name", "birth_date"], False),
    ("subcontractor", ["resident_no", "name"], True),
    ("subcontractor", ["name", "address"], False),
    ("subcontractor", ["bank_account"], False),
    ("expired", ["name"], False),
    ("withdrawn", ["name"], False),
    ("other_dept", ["name"], False),
    ("privacy", ["name"], False),
    ("auditor", ["name"], False),
    ("administrator", ["name"], False),
    ("anonymous", ["name"], False),
    ("wrong_terminal", ["name"], False),
])
def test_export_columns(world, actor, persona, requested, allowed):
    act = _actor(actor, persona)
    if allowed:
        assert export_columns(policy_for(act), "p-owned", requested) == requested
    else:
        with pytest.raises(AccessRefused) as refused:
            export_columns(policy_for(act), "p-owned", requested)
        assert refused.value.program == "p-owned"


def test_export_columns_names_the_undeclared_items_and_dedupes(world, actor):
    policy = policy_for(actor("subcontractor"))
    assert export_columns(policy, "p-owned", ["name", "name", "resident_no"]) == ["name", "resident_no"]
    with pytest.raises(AccessRefused) as refused:
        export_columns(policy, "p-owned", ["name", "bank_account", "address"])
    assert "振込先口座" in refused.value.reason and "住所" in refused.value.reason


def test_export_columns_by_task(world, actor):
    policy = policy_for(actor("contractor"))
    assert export_columns(policy, "p-owned", ["name"], task="printing") == ["name"]
    with pytest.raises(AccessRefused) as refused:
        export_columns(policy, "p-owned", ["name"], task="inquiries")
    assert "問合せ対応" in refused.value.reason


def test_terminal_binding_does_not_apply_to_server_channels(world):
    from madoguchi.accounts.context import Actor

    user = world.users["contractor"]
    assert policy_for(Actor(user=user, address=OFF_TERMINAL, channel="web")).grants == ()
    assert policy_for(Actor.cli(user)).program_codes() == {"p-owned"}


def test_policy_is_derived_in_few_queries(world, actor, django_assert_max_num_queries):
    for persona in ["owner", "contractor", "subcontractor", "privacy"]:
        act = actor(persona)
        act.user.refresh_from_db()
        with django_assert_max_num_queries(7):
            policy_for(act)
