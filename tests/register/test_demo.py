"""The demo registrations carry the seeds' facts, and the contracts other demos rely on run today."""

from __future__ import annotations

import datetime as dt

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import User
from madoguchi.register.models import Outsourcing, Program, RevisionStatus
from madoguchi.register.policy import policy_for
from madoguchi.register.services.checks import check_revision
from madoguchi.register.services.content import revision_diff

TODAY = dt.date(2026, 11, 22)
CODES = {"crime-prevention-subsidy-2026": "dept-crisis", "tax-standardization": "dept-tax",
         "health-points": "dept-health", "child-support-allowance-2025": "dept-child",
         "coming-of-age-2026": "dept-general"}


def approved_outsourcing(contractor: str, program: str) -> Outsourcing:
    return Outsourcing.objects.get(revision__program__code=program, revision__status=RevisionStatus.APPROVED,
                                   contractor__code=contractor)


def keys(o: Outsourcing) -> set[str]:
    return set(o.items.values_list("key", flat=True))


def test_five_programs_each_approved_and_passing_the_checks(demo):
    for code, dept in CODES.items():
        program = Program.objects.get(code=code)
        assert program.department.code == dept
        approved = program.approved_revision()
        assert approved is not None and approved.snapshot and approved.decided_on and approved.meeting
        assert check_revision(approved) == []


def test_crime_has_a_submitted_revision_adding_the_past_grantee_list(demo):
    assert demo.status == RevisionStatus.SUBMITTED and demo.based_on.number == 1
    assert demo.based_on.meeting == "令和7年度第1回" and demo.based_on.decision_kind == "了承"
    d = revision_diff(demo)
    assert d.scopes_added == {"過去の交付決定者"}
    assert set(demo.scopes.get(name="過去の交付決定者").recorded_items.values_list("item__key", flat=True)) == {
        "name", "address"}
    assert "task_description" in d.outsourcings["saison-personal-plus"]


def test_contracts_other_demos_rely_on_run_today(demo):
    saison = approved_outsourcing("saison-personal-plus", "crime-prevention-subsidy-2026")
    assert set(saison.tasks) == {"data_entry", "review_support", "notices", "printing", "enclosure", "inquiries",
                                 "payment"}
    assert {"contractor_server", "vpn", "paper"} <= set(saison.media)
    assert {"name", "name_kana", "address", "postal_code", "birth_date", "phone", "email", "household_head",
            "purchase", "application_amount", "bank_account", "account_holder", "pledges", "case_progress",
            "application_date", "payment_amount", "notice_no", "inquiry"} == keys(saison)
    call = approved_outsourcing("callcenter-demo", "crime-prevention-subsidy-2026")
    assert call.parent_id == saison.pk and call.tasks == ["inquiries"]
    assert keys(call) == {"name", "name_kana", "address", "phone", "application_date", "case_progress", "inquiry",
                          "application_amount"}
    kyokudo = approved_outsourcing("kyokudo", "coming-of-age-2026")
    assert keys(kyokudo) == {"name", "address", "postal_code", "address_extra"} and kyokudo.media == ["usb"]
    assert {"printing", "enclosure"} <= set(kyokudo.tasks)
    densan = approved_outsourcing("densan", "child-support-allowance-2025")
    assert "cd_r" in densan.media and {"printing", "enclosure"} <= set(densan.tasks)
    docomo = approved_outsourcing("ntt-docomo", "health-points")
    copro = approved_outsourcing("coprosystem", "health-points")
    scsk = approved_outsourcing("scsk-serviceware", "health-points")
    assert copro.parent_id == docomo.pk and scsk.parent_id == docomo.pk
    assert "survey" in keys(copro) and "survey" not in keys(scsk) and keys(scsk) < keys(copro) <= keys(docomo)
    hitachi = approved_outsourcing("hitachi-systems", "tax-standardization")
    assert "migration" in hitachi.tasks
    for o in (saison, call, kyokudo, densan, docomo, copro, scsk, hitachi):
        assert o.start_date <= TODAY <= o.end_date, o


def test_the_access_policy_reads_the_demo(demo):
    callcenter = policy_for(Actor.cli(User.objects.get(username="callcenter")), on=TODAY)
    assert callcenter.program_codes() == {"crime-prevention-subsidy-2026"}
    assert "bank_account" not in callcenter.items_for("crime-prevention-subsidy-2026")
    owner = policy_for(Actor.cli(User.objects.get(username="tanto")), on=TODAY)
    assert owner.program_codes() == {"crime-prevention-subsidy-2026"}
    assert policy_for(Actor.cli(User.objects.get(username="insatsu")), on=TODAY).program_codes() == {
        "coming-of-age-2026"}


def test_seeding_twice_changes_nothing(demo):
    import random

    from madoguchi.register.services.demo import seed

    before = list(Program.objects.values_list("code", "revisions__number", "revisions__status").order_by("code"))

    class Quiet:
        def write(self, *_a: object) -> None:
            pass

    seed(rng=random.Random(2), scale="small", stdout=Quiet())
    assert list(Program.objects.values_list("code", "revisions__number", "revisions__status").order_by("code")) == before
