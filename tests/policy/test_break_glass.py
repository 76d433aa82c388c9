"""Break glass: one resident, a reason, a short time, and a row that stands out in the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.policy import MASTER_ITEMS, open_resident, policy_for, resident_queryset
from madoguchi.register.services.break_glass import open_break_glass

REASON = "本人から窓口で住所変更の相談があり、記録を確認するため"


@pytest.mark.parametrize("persona", ["privacy", "owner", "no_program_dept"])
def test_an_authorised_role_opens_one_resident_with_a_reason(world, actor, persona):
    act = actor(persona)
    target = world.residents["nobody"]
    # given the resident is outside the actor's scope
    with pytest.raises(AccessRefused):
        open_resident(act, target.pk)
    # when the actor breaks glass with a reason
    grant = open_break_glass(actor=act, resident_id=target.pk, reason=REASON)
    # then the log has a break-glass row with the reason
    row = AccessLog.objects.get(pk=grant.log_id)
    assert row.action == AuditEvent.BREAK_GLASS and row.break_glass and row.allowed
    assert row.resident_ids == [target.pk] and row.reason == REASON
    # and the resident opens, with the master's items and marked as break glass
    seen = open_resident(act, target.pk)
    assert seen.break_glass is True
    assert set(seen.data) - {"id"} <= MASTER_ITEMS and "name" in seen.data
    # but only that resident, and never within a program's scope
    assert target.pk in set(resident_queryset(act).values_list("pk", flat=True))
    with pytest.raises(AccessRefused):
        open_resident(act, world.residents["in_other"].pk)
    if persona != "owner":
        with pytest.raises(AccessRefused):
            resident_queryset(act, program_code="p-owned")


@pytest.mark.parametrize("persona", ["contractor", "subcontractor", "auditor", "administrator", "anonymous",
                                     "expired"])
def test_other_roles_cannot_break_glass(world, actor, persona):
    before = AccessLog.objects.count()
    with pytest.raises(AccessRefused):
        open_break_glass(actor=actor(persona), resident_id=world.residents["nobody"].pk, reason=REASON)
    assert AccessLog.objects.count() == before
    assert policy_for(actor(persona)).break_glass == ()


def test_a_reason_is_required(world, actor):
    before = AccessLog.objects.count()
    for reason in ["", "   ", "確認のため"]:
        with pytest.raises(BusinessRuleError):
            open_break_glass(actor=actor("privacy"), resident_id=world.residents["nobody"].pk, reason=reason)
    assert AccessLog.objects.count() == before


def test_no_break_glass_for_a_resident_already_in_scope(world, actor):
    with pytest.raises(BusinessRuleError):
        open_break_glass(actor=actor("owner"), resident_id=world.residents["in_owned"].pk, reason=REASON)


def test_break_glass_expires(world, actor, settings):
    act = actor("privacy")
    target = world.residents["nobody"]
    open_break_glass(actor=act, resident_id=target.pk, reason=REASON)
    assert policy_for(act).break_glass_ids() == {target.pk}
    # when the grant is older than the configured minutes (moved by configuration, not by waiting)
    settings.MADOGUCHI_BREAK_GLASS_MINUTES = 0
    assert policy_for(act).break_glass == ()
    with pytest.raises(AccessRefused):
        open_resident(act, target.pk)


def test_break_glass_is_personal(world, actor):
    open_break_glass(actor=actor("privacy"), resident_id=world.residents["nobody"].pk, reason=REASON)
    assert policy_for(actor("owner")).break_glass == ()


def test_break_glass_expiry_time(world, actor):
    grant = open_break_glass(actor=actor("privacy"), resident_id=world.residents["nobody"].pk, reason=REASON)
    assert dt.timedelta(minutes=29) < grant.expires_at - timezone.now() <= dt.timedelta(minutes=30)


def test_at_most_a_few_residents_open_at_once(world, actor, settings):
    from tests.factories import ResidentFactory

    settings.MADOGUCHI_BREAK_GLASS_MAX_OPEN = 2
    act = actor("privacy")
    first, second, third = ResidentFactory(), ResidentFactory(), ResidentFactory()
    open_break_glass(actor=act, resident_id=first.pk, reason=REASON)
    open_break_glass(actor=act, resident_id=second.pk, reason=REASON)
    before = AccessLog.objects.count()
    with pytest.raises(BusinessRuleError):
        open_break_glass(actor=act, resident_id=third.pk, reason=REASON)
    assert AccessLog.objects.count() == before
    # re-opening one already open is allowed (a new reason is logged)
    open_break_glass(actor=act, resident_id=first.pk, reason=REASON)


def test_break_glass_stands_out_in_the_access_log_analysis(world, actor):
    from madoguchi.audit.services.analysis import analyse_period

    target = world.residents["nobody"]
    grant = open_break_glass(actor=actor("privacy"), resident_id=target.pk, reason=REASON)
    report = analyse_period(world.today - dt.timedelta(days=1), world.today + dt.timedelta(days=1))
    findings = report.section("break_glass").findings
    assert [f.row_id for f in findings] == [grant.log_id]
    assert findings[0].username == world.users["privacy"].username


def test_break_glass_never_widens_a_declaration(world, actor):
    from madoguchi.register.models import Participation
    from tests.policy.world import RECORDED

    act = actor("owner")
    target = world.residents["nobody"]
    open_break_glass(actor=act, resident_id=target.pk, reason=REASON)
    assert set(open_resident(act, target.pk).data) - {"id"} == set(MASTER_ITEMS)
    # when the resident later takes part in the owner's program, the declaration decides again
    Participation.objects.create(program=world.programs["owned"], resident=target)
    seen = open_resident(act, target.pk)
    assert set(seen.data) - {"id"} == set(RECORDED) & set(MASTER_ITEMS)
    assert seen.break_glass is False


def test_break_glass_does_not_tell_whether_a_resident_exists(world, actor):
    # given an id that names no resident and one of a resident outside the actor's scope
    from madoguchi.residents.models import Resident

    act = actor("privacy")
    missing = Resident.objects.order_by("-pk").first().pk + 1000
    # when the actor breaks glass on each, both are opened and logged alike (nothing says "not found")
    grants = [open_break_glass(actor=act, resident_id=rid, reason=REASON)
              for rid in (missing, world.residents["nobody"].pk)]
    rows = [AccessLog.objects.get(pk=g.log_id) for g in grants]
    assert [(r.action, r.allowed, r.break_glass) for r in rows] == [(AuditEvent.BREAK_GLASS, True, True)] * 2
    # and the missing one is then refused with the words used for any resident the actor may not see
    with pytest.raises(AccessRefused) as refused:
        open_resident(act, missing)
    assert "見つかりません" not in refused.value.reason
