"""Registry extracts as people and spreadsheets write them (issue 15 item 5, issue 19 items 1–3): dates in
kanji numerals, era codes, 年月日 and weekdays; identifiers that lost their leading zeros; a second person
identical to an existing one; Excel's empty trailing columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.accounts.context import Actor
from madoguchi.core.errors import ImportRejected
from madoguchi.core.idformat import SheetSigns
from madoguchi.residents.models import ImportJob, ImportJobStatus, Resident
from madoguchi.residents.services.import_jobs import run_import_job, start_import
from madoguchi.residents.services.imports import SAME_PERSON, import_residents, parse_residents
from tests.residents.conftest import Register, csv_bytes
from tests.residents.test_imports import snapshot

ROW = "000012,新宿　太郎,シンジュク　タロウ,1980-04-01,男,1600022,東京都新宿区新宿一丁目1番1号,,000500,世帯主,,"


@pytest.fixture
def staff(register: Register, actor_for) -> Actor:
    return actor_for(register.users["staff"])


@pytest.mark.parametrize(("written", "day"), [
    ("令和七年九月三十日", dt.date(2025, 9, 30)),
    ("令和元年五月一日", dt.date(2019, 5, 1)),
    ("昭和五十五年十月二十日", dt.date(1980, 10, 20)),
    ("5070930", dt.date(2025, 9, 30)),
    ("3550401", dt.date(1980, 4, 1)),
    ("2026年5月1日", dt.date(2026, 5, 1)),
    ("2026年05月01日", dt.date(2026, 5, 1)),
    ("2026/5/1(金)", dt.date(2026, 5, 1)),
    ("2026/5/1（金）", dt.date(2026, 5, 1)),
    ("平成20.4.1", dt.date(2008, 4, 1)),
])
def test_dates_as_registers_and_people_write_them_are_imported(staff: Actor, written: str, day: dt.date) -> None:
    # given an extract whose birth date is written that way
    data = csv_bytes(ROW.replace("1980-04-01", written))
    # when it is imported, then the resident has that birth date
    import_residents(data=data, actor=staff)
    assert Resident.objects.get(resident_no="000012").birth_date == day


@pytest.mark.parametrize(("written", "reason"), [
    ("平成31年5月1日", "改元"),
    ("令和元年4月30日", "始まり"),
    ("2026/5/1(木)", "曜日が日付と合いません"),
    ("4310501", "改元"),
])
def test_impossible_dates_are_still_refused_with_line_column_reason(staff: Actor, written: str, reason: str) -> None:
    before = snapshot()
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=csv_bytes(ROW, ROW.replace("000012", "000013").replace("1980-04-01", written)),
                         actor=staff)
    assert [(e.line, e.column) for e in exc.value.errors] == [(3, "生年月日")]
    assert reason in exc.value.errors[0].reason
    assert snapshot() == before


def test_one_kanji_numeral_row_no_longer_blocks_the_file(staff: Actor) -> None:
    rows = [ROW.replace("000012", f"{n:06d}").replace("新宿　太郎", f"新宿　太郎{n}") for n in range(12, 20)]
    rows[4] = rows[4].replace("1980-04-01", "令和七年九月三十日")
    assert import_residents(data=csv_bytes(*rows), actor=staff).created == 8


# --- leading zeros lost in a spreadsheet (issue 19 item 1) ------------------------------------------------

def test_a_resident_number_that_lost_its_zeros_is_refused_not_created(staff: Actor) -> None:
    # given resident 000012 in the master
    import_residents(data=csv_bytes(ROW), actor=staff)
    before = snapshot()
    # when the extract comes back from Excel with 12 instead of 000012
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=csv_bytes(ROW.replace("000012,", "12,").replace("000500", "500")), actor=staff)
    # then it is refused with line, column and reason, and nothing changes (no second person)
    errors = [(e.line, e.column) for e in exc.value.errors]
    assert errors == [(2, "住民番号"), (2, "世帯番号")]
    assert "6桁" in exc.value.errors[0].reason and "先頭の0" in exc.value.errors[0].reason
    assert snapshot() == before and Resident.objects.count() == 1


def test_zero_padded_numbers_in_the_file_give_the_width(staff: Actor) -> None:
    # given an empty master and a file where some numbers kept their zeros and one lost them
    data = csv_bytes(ROW, ROW.replace("000012", "123456").replace("新宿　太郎", "新宿　次郎"),
                     ROW.replace("000012", "77").replace("新宿　太郎", "新宿　三郎"))
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=data, actor=staff)
    assert [(e.line, e.column) for e in exc.value.errors] == [(4, "住民番号")]


def test_numbers_never_zero_padded_are_taken_as_written(staff: Actor) -> None:
    data = csv_bytes(ROW.replace("000012", "12").replace("000500", "5"),
                     ROW.replace("000012", "345").replace("000500", "6").replace("新宿　太郎", "新宿　次郎"))
    assert import_residents(data=data, actor=staff).created == 2


def test_a_declared_width_is_enforced(staff: Actor, settings) -> None:
    settings.MADOGUCHI_ID_WIDTHS = {"住民番号": 8}
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=csv_bytes(ROW), actor=staff)
    assert [(e.line, e.column) for e in exc.value.errors] == [(2, "住民番号")]
    assert "8桁" in exc.value.errors[0].reason


@pytest.mark.parametrize(("postal", "reason"), [("600001", "先頭の0"), ("1.6E+06", "指数表記"), ("16000233", "7桁")])
def test_postal_codes_keep_their_seven_digits(staff: Actor, postal: str, reason: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=csv_bytes(ROW.replace("1600022", postal)), actor=staff)
    assert [(e.line, e.column) for e in exc.value.errors] == [(2, "郵便番号")]
    assert reason in exc.value.errors[0].reason


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(4, 10), number=st.integers(1, 99), data=st.data())
def test_any_stripped_zero_padded_number_is_refused(staff: Actor, width: int, number: int,
                                                    data: st.DataObject) -> None:
    # given a file with a zero-padded 住民番号 of any width (the evidence of the width), and another number
    # with some of its zeros stripped
    padded = f"{number:0{width}d}"
    stripped = padded[data.draw(st.integers(1, width - len(str(number)))):]
    other = "0" + "9" * (width - 1)
    rows = [ROW.replace("000012", other).replace("新宿　太郎", "新宿　次郎"),
            ROW.replace("000012", stripped)]
    # then the stripped one is refused and nothing is written
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=csv_bytes(*rows), actor=staff)
    assert [(e.line, e.column) for e in exc.value.errors] == [(3, "住民番号")]
    assert not Resident.objects.exists()


# --- a second person identical to an existing one (issue 19 item 1) ------------------------------------

def test_a_new_number_for_an_identical_person_stops_and_asks(staff: Actor) -> None:
    # given resident 000012 in the master
    import_residents(data=csv_bytes(ROW), actor=staff)
    before = snapshot()
    # when a file brings the same name, birth date and address under another number
    data = csv_bytes(ROW.replace("000012", "900012").replace("新宿　太郎", "新宿 太郎"))
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=data, actor=staff)
    # then nothing is created, and the row names the existing resident
    error = exc.value.errors[0]
    assert (error.line, error.column) == (2, "住民番号")
    assert error.reason.startswith(SAME_PERSON) and "000012" in error.reason
    assert snapshot() == before
    # when the staff confirm that it is another person, then it is created
    result = import_residents(data=data, actor=staff, allow_same_person=True)
    assert result.created == 1 and Resident.objects.count() == 2


def test_family_members_and_updates_do_not_stop_the_import(staff: Actor) -> None:
    import_residents(data=csv_bytes(ROW), actor=staff)
    # the same resident again (an update), and a child at the same address with the same birth date
    data = csv_bytes(ROW.replace(",世帯主,", ",本人,"),
                     ROW.replace("000012", "000013").replace("新宿　太郎", "新宿　花子"))
    result = import_residents(data=data, actor=staff)
    assert (result.created, result.updated) == (1, 1)


def test_the_command_stops_without_the_flag_and_imports_with_it(register: Register, staff: Actor,
                                                                tmp_path: Path, capsys) -> None:
    import_residents(data=csv_bytes(ROW), actor=staff)
    path = tmp_path / "again.csv"
    path.write_bytes(csv_bytes(ROW.replace("000012", "900012")))
    with pytest.raises(CommandError, match="--allow-same-person"):
        call_command("import_residents", str(path), "--as", "res-staff")
    assert Resident.objects.count() == 1
    call_command("import_residents", str(path), "--as", "res-staff", "--allow-same-person")
    assert Resident.objects.count() == 2 and "新規 1件" in capsys.readouterr().out


# --- Excel's trailing columns and the spreadsheet signs (issue 19 items 1–2) ------------------------------

def test_excel_trailing_empty_columns_are_ignored_in_an_extract(staff: Actor) -> None:
    header = "住民番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所,方書,世帯番号,続柄,住民日,状態,,"
    result = import_residents(data=csv_bytes(ROW + ",,", header=header), actor=staff)
    assert result.created == 1


def test_spreadsheet_signs_are_gathered_whatever_the_outcome(staff: Actor) -> None:
    header = "住民番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所,方書,世帯番号,続柄,住民日,状態,,"
    signs = SheetSigns()
    parse_residents(csv_bytes(ROW.replace("1980-04-01", "1980/4/1") + ",,", header=header), signs=signs)
    text = "\n".join(signs.messages())
    assert "表計算ソフト" in text and "空の列" in text and "2025/9/30 の形" in text
    signs = SheetSigns()
    with pytest.raises(ImportRejected):
        parse_residents(csv_bytes(ROW, ROW.replace("000012", "13")), signs=signs)
    assert signs.lost_zeros["住民番号"] == 1
    signs = SheetSigns()
    parse_residents(csv_bytes(ROW), signs=signs)
    assert signs.messages() == []


def test_the_job_keeps_the_signs_and_the_confirmation(register: Register, staff: Actor, login_client) -> None:
    # given resident 000012, and the file coming back from Excel: zeros lost, dates rewritten, ",," added
    import_residents(data=csv_bytes(ROW), actor=staff)
    header = "住民番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所,方書,世帯番号,続柄,住民日,状態,,"
    edited = csv_bytes(ROW.replace("000012,", "12,").replace("1980-04-01", "1980/4/1") + ",,", header=header)
    actor = Actor(user=register.users["staff"], address="127.0.0.1")
    job = start_import(chunks=[edited], filename="edited.csv", actor=actor)
    run_import_job(job.pk)
    job.refresh_from_db()
    # then the job is rejected, names the row, and says the file looks spreadsheet-edited
    assert job.status == ImportJobStatus.REJECTED and job.errors[0][:2] == [2, "住民番号"]
    assert any("先頭の0" in note for note in job.notes) and any("空の列" in note for note in job.notes)
    page = login_client(register.users["staff"]).get(reverse("residents:import_job", args=[job.pk])).content.decode()
    assert 'data-testid="import-sheet-warning"' in page and "表計算ソフト" in page
    # and a same-person stop offers the confirmation, which the next upload carries to the job
    same = csv_bytes(ROW.replace("000012", "900012"))
    job2 = start_import(chunks=[same], filename="same.csv", actor=actor)
    run_import_job(job2.pk)
    client = login_client(register.users["staff"])
    page = client.get(reverse("residents:import_job", args=[job2.pk])).content.decode()
    assert 'data-testid="same-person-confirm"' in page
    job3 = start_import(chunks=[same], filename="same.csv", actor=actor, allow_same_person=True)
    run_import_job(job3.pk)
    assert ImportJob.objects.get(pk=job3.pk).status == ImportJobStatus.DONE and Resident.objects.count() == 2


def test_the_command_prints_the_spreadsheet_signs(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "edited.csv"
    path.write_bytes(csv_bytes(ROW, ROW.replace("000012", "13").replace("新宿　太郎", "新宿　次郎")))
    with pytest.raises(CommandError, match="表計算ソフト(.|\n)*先頭の0"):
        call_command("import_residents", str(path), "--as", "res-staff")
    assert not Resident.objects.exists()


SPACES = st.sampled_from(["", " ", "　", "  "])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gap=SPACES, width=st.booleans(), number=st.integers(100_000, 999_999))
def test_any_spelling_of_an_existing_person_under_a_new_number_stops(staff: Actor, gap: str, width: bool,
                                                                   number: int) -> None:
    # given resident 000012 (imported once per example)
    if not Resident.objects.filter(resident_no="000012").exists():
        import_residents(data=csv_bytes(ROW), actor=staff)
    # when the same person comes under another number, written with other spaces or widths
    name = f"新宿{gap}太郎"
    address = "東京都新宿区新宿１丁目１番１号" if width else "新宿区新宿1-1-1"
    line = (ROW.replace("000012", str(number)).replace("新宿　太郎", name)
            .replace("東京都新宿区新宿一丁目1番1号", address))
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=csv_bytes(line), actor=staff)
    # then the import stops naming the existing resident, and nothing is created
    assert exc.value.errors[0].reason.startswith(SAME_PERSON) and "000012" in exc.value.errors[0].reason
    assert Resident.objects.count() == 1


def test_an_inferred_width_leaves_numbers_with_letters_alone(staff: Actor) -> None:
    # given a master with zero-padded numbers and a register that also holds numbers with letters
    import_residents(data=csv_bytes(ROW), actor=staff)
    data = csv_bytes(ROW.replace("000012", "A-77").replace("000500", "H9").replace("新宿　太郎", "新宿　次郎"))
    assert import_residents(data=data, actor=staff).created == 1
