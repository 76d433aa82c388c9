"""Issue 10, "Done when": a program of each type is created from the register screens, people are enrolled
(by the cohort rule, a roster CSV, one resident), and each program page opens."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.register.models import Participation, Program, ProgramType
from tests.factories import ResidentFactory
from tests.programs.world import build_world


@pytest.mark.django_db(transaction=True)
def test_create_each_type_enrol_people_and_open_the_program_page(page, login_as, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    cohort = [ResidentFactory(birth_date=dt.date(2006, 5, n)) for n in (1, 2)]
    roster = [ResidentFactory(birth_date=dt.date(1980, 1, n)) for n in (1, 2, 3)]
    one = ResidentFactory(birth_date=dt.date(1990, 1, 1))
    login_as("owner")

    # a program of each type, created from the register screens; its program page opens
    for n, (code, label) in enumerate(ProgramType.choices):
        page.goto("/register/")
        page.get_by_test_id("program-new").click()
        page.fill("#id_code", f"new-{n}")
        page.fill("#id_name", f"新しい{label}")
        page.select_option("#id_program_type", code)
        page.get_by_role("button", name="登録する").click()
        page.wait_for_url("**/register/new-*/r1/overview/")
        assert Program.objects.get(code=f"new-{n}").program_type == code
        page.goto(f"/programs/new-{n}/")
        assert page.get_by_test_id("program-type").inner_text() == label
        assert "なし" in page.get_by_test_id("program-scopes").inner_text()

    # enrol people into the approved programs, each route once
    page.goto(f"/programs/{world.programs['cohort_mailing'].code}/")
    page.get_by_role("button", name="抽出して登録する").click()
    page.wait_for_selector("text=個人の範囲「はたちのつどいの対象者」に 2 人を登録しました。")
    assert page.get_by_test_id("people-total").inner_text() == "2"

    path = tmp_path / "roster.csv"
    path.write_text("住民番号\n" + "\n".join(r.resident_no for r in roster) + "\n", encoding="utf-8")
    page.goto(f"/programs/{world.programs['points_scheme'].code}/")
    page.set_input_files("#roster", str(path))
    page.get_by_role("button", name="名簿から登録する").click()
    page.wait_for_selector("text=個人の範囲「健康ポイント事業の参加者」に 3 人を登録しました。")

    bad = tmp_path / "bad.csv"
    bad.write_text(f"住民番号\n{one.resident_no}\n999\n", encoding="utf-8")
    page.goto(f"/programs/{world.programs['push_allowance'].code}/")
    page.set_input_files("#roster", str(bad))
    page.get_by_role("button", name="名簿から登録する").click()
    assert "3行目「住民番号」列: 住民番号 999 は住民記録にありません" in page.get_by_test_id("enrol-errors").inner_text()
    page.fill("#resident_no", one.resident_no)
    page.get_by_role("button", name="1人登録する").click()
    page.wait_for_selector("text=個人の範囲「手当の支給対象者」に 1 人を登録しました。")

    page.goto(f"/programs/{world.programs['application_subsidy'].code}/")
    assert "申請の受付で対象者になります" in page.get_by_test_id("enrol-none").inner_text()

    assert {p: Participation.objects.filter(program=world.programs[p]).count()
            for p in ("cohort_mailing", "points_scheme", "push_allowance")} == {
        "cohort_mailing": 2, "points_scheme": 3, "push_allowance": 1}
    assert {r.pk for r in cohort} == set(Participation.objects.filter(program=world.programs["cohort_mailing"])
                                         .values_list("resident_id", flat=True))
