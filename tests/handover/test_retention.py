"""Retention and erasure: dry run changes nothing → approval by another person → execution with a record
written first and a certificate; erasure on a participant's withdrawal."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.handover import storage
from madoguchi.handover.datasets import dataset_for
from madoguchi.handover.erasers import Eraser, register_eraser, unregister_eraser
from madoguchi.handover.models import ErasureRecord, ErasureRun, ErasureScope, ErasureStatus, JobStatus
from madoguchi.handover.services import packages, retention
from madoguchi.register.models import Participation
from madoguchi.residents.models import Resident


def _plan(world, persona="child", program="child", scope=ErasureScope.PROGRAM, resident=None):
    return retention.plan_erasure(program=world.programs[program], scope=scope, reason="保存期間（事業終了後1年）の満了",
                                  actor=world.actor(persona), resident=resident)


def _package_for_child(world):
    return packages.request_package(program=world.programs["child"], recipient=world.orgs["densan"],
                                    task="enclosure", medium="cd_r", items=["name", "address"], purpose="案内文封入",
                                    medium_label="CD-R 001", actor=world.actor("child"), run_now=True)


def test_rules_come_from_the_approved_registration(world):
    rules = {r.program.code: r for r in retention.retention_rules(list(world.programs.values()))}
    assert rules["child-support"].erase_after.isoformat() == "2025-04-01"
    assert rules["child-support"].due(world.today)
    assert not rules["coming-of-age-2026"].due(world.today)
    assert rules["coming-of-age-2026"].erase_after.isoformat() == "2028-04-01"
    assert rules["health-points"].erase_on_withdrawal and "退会" in rules["health-points"].rule_text


def test_dry_run_lists_counts_and_changes_nothing(world):
    job = _package_for_child(world)
    before = (Participation.objects.count(), Resident.objects.count())
    run = _plan(world)
    counts = {row["kind"]: row["count"] for row in run.planned}
    assert counts["participations"] == 3 and counts["packages"] == 1
    assert (Participation.objects.count(), Resident.objects.count()) == before
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and storage.path(job.file_path).exists()
    assert AccessLog.objects.filter(action="erasure.dry_run", target=f"erasure:{run.pk}").exists()
    assert not ErasureRecord.objects.exists()


def test_erasure_before_the_retention_ends_is_refused(world):
    with pytest.raises(BusinessRuleError, match="保存期間中"):
        _plan(world, persona="owner", program="coming")
    assert not ErasureRun.objects.exists()


def test_requester_cannot_approve_and_unapproved_cannot_run(world):
    run = _plan(world)
    with pytest.raises(AccessRefused):
        retention.approve_erasure(run=run, actor=world.actor("child"))
    with pytest.raises(BusinessRuleError):
        retention.execute_erasure(run=run, actor=world.actor("child"))
    assert Participation.objects.filter(program=world.programs["child"]).count() == 3


@pytest.mark.parametrize("persona", ["owner", "other_department", "contractor", "auditor", "administrator",
                                     "anonymous"])
def test_others_cannot_plan_approve_or_execute(world, persona):
    with pytest.raises(AccessRefused):
        _plan(world, persona=persona)
    run = _plan(world)
    with pytest.raises(AccessRefused):
        retention.approve_erasure(run=run, actor=world.actor(persona))
    retention.approve_erasure(run=run, actor=world.actor("privacy"))
    with pytest.raises(AccessRefused):
        retention.execute_erasure(run=run, actor=world.actor(persona))
    run.refresh_from_db()
    assert run.status == ErasureStatus.APPROVED
    assert Participation.objects.filter(program=world.programs["child"]).count() == 3


def test_execution_erases_keeps_the_record_and_the_log_and_makes_a_certificate(
        world, django_capture_on_commit_callbacks):
    job = _package_for_child(world)
    file_path = storage.path(job.file_path)
    run = _plan(world)
    retention.approve_erasure(run=run, actor=world.actor("privacy"), note="確認済み")
    with django_capture_on_commit_callbacks(execute=True):
        record = retention.execute_erasure(run=run, actor=world.actor("child2"))
    # nothing of it is found
    assert not Participation.objects.filter(program=world.programs["child"]).exists()
    job.refresh_from_db()
    assert job.status == JobStatus.ERASED and job.password == "" and not file_path.exists()
    with pytest.raises(BusinessRuleError):
        packages.open_package(job=job, actor=world.actor("child"))
    # nor by a new export of the program (its participants are gone)
    assert dataset_for(world.programs["child"]).count(world.programs["child"], record.run.program.approved_revision()) == 0
    # the residents' master stays (it is the resident register, not the program's data)
    assert Resident.objects.filter(pk=world.residents["child0"].pk).exists()
    # the record says what, how many, approved by whom, when and why
    assert {r["kind"]: r["count"] for r in record.counts}["participations"] == 3
    assert record.approved_by_name == str(world.users["privacy"])
    assert record.executed_by == world.users["child2"] and record.reason.startswith("保存期間")
    assert record.started_at <= record.finished_at
    # the certificate exists
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(storage.read(record.certificate_path))).pages)
    assert "消去証明書" in text and record.certificate_no in text and "子育て応援手当" in text
    assert retention.erasure_certificate(record=record, actor=world.actor("privacy"))[:4] == b"%PDF"
    # the access log keeps that an erasure happened
    actions = list(AccessLog.objects.filter(target=f"erasure:{run.pk}").values_list("action", flat=True))
    assert actions == ["erasure.dry_run", "erasure.approve", "erasure.execute"]
    # and it cannot run twice
    run.refresh_from_db()
    with pytest.raises(BusinessRuleError):
        retention.execute_erasure(run=run, actor=world.actor("child"))


def test_record_is_written_before_the_data_goes_and_a_failure_changes_nothing(world):
    seen = {}

    def spy_count(target):
        return 0

    def spy_erase(target):
        seen["record_exists"] = ErasureRecord.objects.filter(program_code=target.program.code).exists()
        raise RuntimeError("disk full")

    register_eraser(Eraser("zz-spy", "spy", spy_count, spy_erase, order=1000))
    try:
        run = _plan(world)
        retention.approve_erasure(run=run, actor=world.actor("privacy"))
        with pytest.raises(RuntimeError):
            retention.execute_erasure(run=run, actor=world.actor("child"))
    finally:
        unregister_eraser("zz-spy")
    assert seen["record_exists"] is True
    assert not ErasureRecord.objects.exists()  # rolled back with the erasure
    assert Participation.objects.filter(program=world.programs["child"]).count() == 3
    run.refresh_from_db()
    assert run.status == ErasureStatus.APPROVED


def test_withdrawal_erases_one_participant_only(world):
    leaving, staying = world.residents["health0"], world.residents["health1"]
    run = _plan(world, persona="health", program="health", scope=ErasureScope.PARTICIPANT, resident=leaving)
    assert {r["kind"]: r["count"] for r in run.planned}["participations"] == 1
    retention.approve_erasure(run=run, actor=world.actor("other_department"))
    record = retention.execute_erasure(run=run, actor=world.actor("health"))
    assert not Participation.objects.filter(program=world.programs["health"], resident=leaving).exists()
    assert Participation.objects.filter(program=world.programs["health"], resident=staying).exists()
    assert record.scope == ErasureScope.PARTICIPANT
    log = AccessLog.objects.get(action="erasure.execute")
    assert log.resident_ids == [leaving.pk]


def test_withdrawal_erasure_needs_the_rule_in_the_registration(world):
    with pytest.raises(BusinessRuleError, match="退会"):
        _plan(world, program="child", scope=ErasureScope.PARTICIPANT, resident=world.residents["child0"])
