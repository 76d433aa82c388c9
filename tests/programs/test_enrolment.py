"""Enrolment (issue 10, "Enrol people" and "Bad input"): from the master by the type's rule, from a roster
CSV, one at a time; each allowed only under the declared scope, each logged, nothing half-done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, BusinessRuleError, ImportRejected
from madoguchi.programs.services.enrolment import (
    LOG_CHUNK,
    child_allowance_recipient_ids,
    enrol_from_csv,
    enrol_from_master,
    enrol_resident,
)
from madoguchi.programs.types.cohort_mailing.cohort import cohort_birth_range
from madoguchi.register.models import Participation, RevisionStatus
from madoguchi.residents.models import ResidentStatus
from tests.factories import ProgramFactory, ResidentFactory, RevisionFactory
from tests.programs.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _csv(*numbers: str, header: str = "住民番号") -> bytes:
    return ("\n".join([header, *numbers]) + "\n").encode("utf-8")


def _enrolled(program) -> set[int]:
    return set(Participation.objects.filter(program=program).values_list("resident_id", flat=True))


# --- from the master by the type's rule ---------------------------------------------------------------

def test_cohort_rule_takes_registered_residents_of_the_fiscal_year_once(world):
    program = world.programs["cohort_mailing"]
    inside = ResidentFactory(birth_date=dt.date(2006, 4, 2))
    edge = ResidentFactory(birth_date=dt.date(2007, 4, 1))
    ResidentFactory(birth_date=dt.date(2006, 4, 1))  # a year older
    ResidentFactory(birth_date=dt.date(2007, 4, 2))  # a year younger
    ResidentFactory(birth_date=dt.date(2006, 9, 1), status=ResidentStatus.MOVED_OUT)

    first = enrol_from_master(program=program, rule="cohort", actor=world.actor("owner"))
    again = enrol_from_master(program=program, rule="cohort", actor=world.actor("owner"))

    assert (first.added, first.already, again.added, again.already) == (2, 0, 0, 2)
    assert first.scope == "はたちのつどいの対象者"
    assert _enrolled(program) == {inside.pk, edge.pk}
    log = AccessLog.objects.get(action="program.enrol")
    assert sorted(log.resident_ids) == sorted([inside.pk, edge.pk]) and log.program == program.code


@given(st.integers(min_value=2000, max_value=2100))
def test_cohort_birth_range_is_one_year_from_april_2(fy):
    first, last = cohort_birth_range(fy)
    assert first == dt.date(fy - 20, 4, 2) and last == dt.date(fy - 19, 4, 1)
    assert (last - first).days in (364, 365)


def test_an_unknown_rule_names_the_rules_there_are(world):
    with pytest.raises(BusinessRuleError, match="cohort"):
        enrol_from_master(program=world.programs["cohort_mailing"], rule="everyone", actor=world.actor("owner"))
    assert not Participation.objects.exists()


# --- roster CSV -------------------------------------------------------------------------------------

def test_roster_csv_enrols_everyone_and_logs_them(world):
    program = world.programs["points_scheme"]
    people = [ResidentFactory(birth_date=dt.date(1980, 1, 1)) for _ in range(3)]

    result = enrol_from_csv(program=program, data=_csv(*(p.resident_no for p in people)), actor=world.actor("owner"))

    assert result.added == 3 and result.scope == "健康ポイント事業の参加者"
    assert _enrolled(program) == {p.pk for p in people}
    assert set(Participation.objects.filter(program=program).values_list("role", flat=True)) == {"参加者"}
    assert AccessLog.objects.get(action="program.enrol").resident_count == 3


def test_roster_of_cp932_is_read(world):
    person = ResidentFactory()
    data = f"住民番号\r\n{person.resident_no}\r\n".encode("cp932")
    enrol_from_csv(program=world.programs["push_allowance"], data=data, actor=world.actor("owner"))
    assert _enrolled(world.programs["push_allowance"]) == {person.pk}


def test_access_log_rows_are_chunked(world, monkeypatch):
    monkeypatch.setattr("madoguchi.programs.services.enrolment.LOG_CHUNK", 2)
    people = [ResidentFactory(birth_date=dt.date(1980, 1, 1)) for _ in range(5)]  # adults (seed 002: 18+)
    enrol_from_csv(program=world.programs["points_scheme"], data=_csv(*(p.resident_no for p in people)),
                   actor=world.actor("owner"))
    rows = AccessLog.objects.filter(action="program.enrol").order_by("id")
    assert [r.resident_count for r in rows] == [2, 2, 1]
    assert LOG_CHUNK == 1000


@pytest.mark.parametrize("case", ["unknown", "duplicate", "already", "outside_cohort", "moved_out"])
def test_bad_roster_names_the_line_and_enrols_nobody(world, case):
    program = world.programs["cohort_mailing"]
    good = ResidentFactory(birth_date=dt.date(2006, 6, 1))
    lines = [good.resident_no]
    expected = ""
    if case == "unknown":
        lines.append("999999999")
        expected = "3行目「住民番号」列: 住民番号 999999999 は住民記録にありません"
    elif case == "duplicate":
        lines.append(good.resident_no)
        expected = f"3行目「住民番号」列: 同じ住民番号 {good.resident_no} が 2 行目にもあります"
    elif case == "already":
        enrolled = ResidentFactory(birth_date=dt.date(2006, 7, 1))
        enrol_resident(program=program, resident_no=enrolled.resident_no, actor=world.actor("owner"))
        lines.append(enrolled.resident_no)
        expected = "既にこの事業の対象者です"
    elif case == "outside_cohort":
        older = ResidentFactory(birth_date=dt.date(2006, 4, 1))
        lines.append(older.resident_no)
        expected = "生年月日 2006-04-01 が2026年度の対象（2006-04-02〜2007-04-01生まれ）の範囲外です"
    elif case == "moved_out":
        gone = ResidentFactory(birth_date=dt.date(2006, 8, 1), status=ResidentStatus.MOVED_OUT)
        lines.append(gone.resident_no)
        expected = "住民記録の状態が「転出」です"
    before = _enrolled(program)
    logs = AccessLog.objects.filter(action="program.enrol").count()

    with pytest.raises(ImportRejected) as info:
        enrol_from_csv(program=program, data=_csv(*lines), actor=world.actor("owner"))

    assert any(expected in str(e) for e in info.value.errors), [str(e) for e in info.value.errors]
    assert _enrolled(program) == before
    assert AccessLog.objects.filter(action="program.enrol").count() == logs


def test_roster_without_the_column_is_refused(world):
    with pytest.raises(ImportRejected, match="住民番号"):
        enrol_from_csv(program=world.programs["points_scheme"], data=_csv("1", header="氏名"),
                       actor=world.actor("owner"))


# --- one resident ------------------------------------------------------------------------------------

def test_one_resident_outside_the_residence_is_refused_with_the_reason(world):
    gone = ResidentFactory(status=ResidentStatus.MOVED_OUT)
    with pytest.raises(BusinessRuleError, match="転出"):
        enrol_resident(program=world.programs["push_allowance"], resident_no=gone.resident_no,
                       actor=world.actor("owner"))
    assert not Participation.objects.exists()


# --- program, type and scope --------------------------------------------------------------------------

def test_an_unregistered_program_type_is_refused(world, staff_user, actor_for):
    program = ProgramFactory(code="typeless", department=staff_user.organisation, program_type="")
    RevisionFactory(program=program, status=RevisionStatus.APPROVED)
    with pytest.raises(BusinessRuleError, match="事業類型「（未設定）」は登録されていません"):
        enrol_resident(program=program, resident_no=ResidentFactory().resident_no, actor=actor_for(staff_user))
    assert not Participation.objects.exists()


def test_a_type_without_roster_enrolment_says_so(world):
    for code in ("application_subsidy", "migration_check"):
        with pytest.raises(BusinessRuleError, match="取込みで対象者を登録しません"):
            enrol_from_csv(program=world.programs[code], data=_csv(ResidentFactory().resident_no),
                           actor=world.actor("owner"))
    assert not Participation.objects.exists()


def test_a_scope_not_declared_is_refused_with_the_declared_ones(world):
    program = world.programs["points_scheme"]
    program.revisions.get().scopes.update(name="健康ポイント事業の協力店")
    with pytest.raises(AccessRefused, match="「参加者」がありません（登録されている範囲: 健康ポイント事業の協力店）"):
        enrol_resident(program=program, resident_no=ResidentFactory().resident_no, actor=world.actor("owner"))
    assert not Participation.objects.exists()


def test_enrolment_after_withdrawal_is_refused(world):
    program = world.programs["cohort_mailing"]
    RevisionFactory(program=program, number=2, status=RevisionStatus.WITHDRAWN)
    person = ResidentFactory(birth_date=dt.date(2006, 6, 1))
    with pytest.raises(AccessRefused, match="廃止されています"):
        enrol_from_master(program=program, rule="cohort", actor=world.actor("owner"))
    with pytest.raises(AccessRefused, match="廃止されています"):
        enrol_from_csv(program=program, data=_csv(person.resident_no), actor=world.actor("owner"))
    assert not Participation.objects.exists()


def test_a_program_never_approved_takes_nobody(world, staff_user, actor_for):
    program = ProgramFactory(code="draft-only", department=world.dept, program_type="points_scheme")
    RevisionFactory(program=program, status=RevisionStatus.SUBMITTED)
    with pytest.raises(AccessRefused, match="承認された登録がない"):
        enrol_resident(program=program, resident_no=ResidentFactory().resident_no, actor=world.actor("owner"))


@pytest.mark.parametrize("persona", ["other_department", "contractor", "privacy", "auditor", "administrator"])
def test_only_the_owning_department_enrols(world, persona):
    person = ResidentFactory(birth_date=dt.date(2006, 6, 1))
    with pytest.raises(AccessRefused, match="所管する課の職員だけ"):
        enrol_resident(program=world.programs["cohort_mailing"], resident_no=person.resident_no,
                       actor=world.actor(persona))
    assert not Participation.objects.exists()


# --- the command ------------------------------------------------------------------------------------

def test_enrol_command_by_rule_csv_and_resident(world, tmp_path, capsys):
    program = world.programs["cohort_mailing"]
    people = [ResidentFactory(birth_date=dt.date(2006, 5, n)) for n in (1, 2, 3)]
    call_command("enrol", "--program", program.code, "--from-master", "cohort", "--as", "owner")
    assert capsys.readouterr().out.strip().endswith("enrolled 3")

    points = world.programs["points_scheme"]
    path = tmp_path / "roster.csv"
    path.write_bytes(_csv(people[0].resident_no, people[1].resident_no))
    call_command("enrol", "--program", points.code, "--csv", str(path), "--as", "owner")
    call_command("enrol", "--program", points.code, "--resident", people[2].resident_no, "--as", "owner")
    assert _enrolled(points) == {p.pk for p in people}


def test_enrol_command_refusal_is_logged_and_fails(world):
    person = ResidentFactory(birth_date=dt.date(2006, 6, 1))
    with pytest.raises(CommandError, match="所管する課の職員だけ"):
        call_command("enrol", "--program", world.programs["cohort_mailing"].code, "--resident",
                     person.resident_no, "--as", "contractor")
    assert AccessLog.objects.filter(allowed=False, target="enrol", username="contractor").exists()
    assert not Participation.objects.exists()


def test_enrol_command_reports_bad_lines(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(_csv("123"))
    with pytest.raises(CommandError, match="2行目「住民番号」列: 住民番号 123 は住民記録にありません"):
        call_command("enrol", "--program", world.programs["points_scheme"].code, "--csv", str(path), "--as", "owner")


# --- demo stand-in ------------------------------------------------------------------------------------

def test_child_allowance_recipients_are_heads_of_households_with_children():
    head = ResidentFactory(household_no="HH1", relation="世帯主", birth_date=dt.date(1985, 1, 1))
    ResidentFactory(household_no="HH1", relation="子", birth_date=dt.date(2015, 5, 5))
    ResidentFactory(household_no="HH2", relation="世帯主", birth_date=dt.date(1950, 1, 1))
    assert child_allowance_recipient_ids(dt.date(2007, 4, 2), dt.date(2026, 3, 31)) == [head.pk]


def test_points_scheme_admits_only_those_18_or_over_on_the_day(world):
    """Seed 002: participants are residents aged 18 or over.  One day before the 18th birthday is refused."""
    program = world.programs["points_scheme"]
    day = dt.date(2026, 11, 30)
    minor = ResidentFactory(birth_date=dt.date(2008, 12, 1))  # 17 on the day
    adult = ResidentFactory(birth_date=dt.date(2008, 11, 30))  # 18 on the day
    with pytest.raises(BusinessRuleError, match="18歳以上"):
        enrol_resident(program=program, resident_no=minor.resident_no, actor=world.actor("owner"), on=day)
    enrol_resident(program=program, resident_no=adult.resident_no, actor=world.actor("owner"), on=day)
    assert list(Participation.objects.values_list("resident_id", flat=True)) == [adult.pk]


def test_a_resident_number_typed_in_full_width_digits_is_found(world):
    program = world.programs["points_scheme"]
    person = ResidentFactory(birth_date=dt.date(1980, 1, 1))
    typed = person.resident_no.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    enrol_resident(program=program, resident_no=f" {typed} ", actor=world.actor("owner"))
    assert Participation.objects.filter(resident=person).exists()
