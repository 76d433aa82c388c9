"""E-form exports as e-form services and spreadsheets write them (issue 15 items 5–6, issue 19 items 1–3):
timestamps in date fields, 申請日時 kept with its time, kanji-numeral and weekday dates, account numbers and
postal codes that lost their leading zeros, Excel's trailing empty columns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.casework.models import Case
from madoguchi.casework.services.intake import import_form_csv, parse_application, save_profile
from madoguchi.core.era import JST
from madoguchi.core.errors import ImportRejected
from madoguchi.core.idformat import SheetSigns
from tests.casework.conftest import MAPPING, csv_bytes, row

TODAY = dt.date.today()


def imported(setup, profile, *rows: list[str], **kwargs) -> list[Case]:
    result = import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile,
                             data=csv_bytes(*rows, **kwargs))
    return list(Case.objects.filter(pk__in=result.created).order_by("pk"))


@pytest.mark.parametrize("stamp", [
    "{d} 10:00", "{d}T10:00", "{d}T10:00:00", "{d}T10:00:00+09:00", "{d}T01:00:00Z", "{s} 10:00", "{s} 10:00:00",
])
def test_a_timestamp_in_a_date_field_is_accepted_and_its_time_dropped(setup, profile, stamp: str) -> None:
    # given an e-form export whose 送信日時 (mapped to 申請日) carries a time of day
    text = stamp.format(d=TODAY.isoformat(), s=TODAY.strftime("%Y/%m/%d"))
    # when it is imported, then the case has that date as 申請日
    [case] = imported(setup, profile, row(date=text))
    assert case.application_date == TODAY and case.applied_at is None


@pytest.fixture
def profile_with_time(setup):
    mapping = {**MAPPING, "送信日時": "applied_at"}
    return save_profile(actor=setup.actor(setup.staff), program=setup.program, name="日時あり", mapping=mapping)


def test_a_datetime_field_keeps_the_time_and_gives_the_date(setup, profile_with_time) -> None:
    [case] = imported(setup, profile_with_time, row(date="2026-05-10 10:00"))
    assert case.applied_at == dt.datetime(2026, 5, 10, 10, 0, tzinfo=JST)
    assert case.application_date == dt.date(2026, 5, 10)
    [utc] = imported(setup, profile_with_time, row("LF-0002", date="2026-05-09T16:30:00Z", name="山田　太郎"))
    assert utc.applied_at == dt.datetime(2026, 5, 10, 1, 30, tzinfo=JST) and utc.application_date == dt.date(2026, 5, 10)


def test_an_empty_datetime_is_still_required_when_it_stands_for_the_date(setup, profile_with_time) -> None:
    with pytest.raises(ImportRejected) as exc:
        imported(setup, profile_with_time, row(date=" "))
    assert [(e.line, e.column) for e in exc.value.errors] == [(2, "送信日時")]
    assert not Case.objects.exists()


def test_reimporting_without_a_datetime_mapping_changes_no_content_hash(setup, profile) -> None:
    # the content hash of earlier imports must not change (or every old response would look re-sent)
    imported(setup, profile, row(date="2026-05-10 10:00"))
    again = import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile,
                            data=csv_bytes(row(date="2026-05-10")))
    assert again.unchanged == 1 and again.flagged == []


@pytest.mark.parametrize(("field", "text", "day"), [
    ("購入日1", "令和八年五月十日", dt.date(2026, 5, 10)),
    ("購入日1", "2026年5月10日", dt.date(2026, 5, 10)),
    ("購入日1", "2026/5/10(日)", dt.date(2026, 5, 10)),
    ("生年月日", "昭和五十五年五月六日", dt.date(1980, 5, 6)),
    ("生年月日", "3550506", dt.date(1980, 5, 6)),
    ("生年月日", "1980年05月06日", dt.date(1980, 5, 6)),
])
def test_dates_as_people_write_them(setup, profile, field: str, text: str, day: dt.date) -> None:
    [case] = imported(setup, profile, row(**{field: text}))
    got = case.purchases.order_by("id").first().purchase_date if field == "購入日1" else case.birth_date
    assert got == day


@pytest.mark.parametrize(("field", "text", "reason"), [
    ("購入日1", "2026/5/10(月)", "曜日"),
    ("生年月日", "平成31年5月1日", "改元"),
    ("送信日時", "2026-05-10 24:30", "時刻"),
])
def test_bad_dates_are_refused_with_line_and_column(setup, profile, field: str, text: str, reason: str) -> None:
    bad = row("LF-0002", date=text) if field == "送信日時" else row("LF-0002", **{field: text})
    with pytest.raises(ImportRejected) as exc:
        imported(setup, profile, row(), bad)
    assert [(e.line, e.column) for e in exc.value.errors] == [(3, field)]
    assert reason in exc.value.errors[0].reason and not Case.objects.exists()


@pytest.mark.parametrize(("field", "text", "reason"), [
    ("口座番号", "12345", "先頭の0"),
    ("口座番号", "12345678", "7桁"),
    ("口座番号", "1.23E+06", "指数表記"),
    ("郵便番号", "600001", "先頭の0"),
    ("郵便番号", "160-00234", "7桁"),
])
def test_identifiers_that_lost_zeros_are_refused_never_padded(setup, profile, field: str, text: str,
                                                              reason: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        imported(setup, profile, row(**{field: text}))
    assert [(e.line, e.column) for e in exc.value.errors] == [(2, field)]
    assert reason in exc.value.errors[0].reason and not Case.objects.exists()


def test_well_formed_postal_codes_are_read(setup, profile) -> None:
    cases = imported(setup, profile, row(郵便番号="〒060-0001"), row("LF-0002", 郵便番号="０６００００１", name="山田　太郎"))
    assert [c.postal_code for c in cases] == ["060-0001", "060-0001"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers(0, 999_999), cut=st.integers(1, 6))
def test_any_account_number_shorter_than_seven_digits_is_refused(number: int, cut: int) -> None:
    text = f"{number:07d}"[cut:]
    app, errors = parse_application({"response_id": "x", "application_date": "2026-05-10", "address": "a", "name": "n",
                                     "item_1": "i", "cost_1": "1", "account_number": text})
    assert app is None and [e.column for e in errors] == ["口座番号"]


def test_excel_trailing_columns_and_signs_on_an_eform_export(setup, profile) -> None:
    data = csv_bytes(row(date=f"{TODAY:%Y/%-m/%-d} 10:00")).replace(b"\r\n", b",,\r\n")
    signs = SheetSigns()
    result = import_form_csv(actor=setup.actor(setup.staff), program=setup.program, profile=profile, data=data,
                             signs=signs)
    assert len(result.created) == 1
    text = "\n".join(signs.messages())
    assert "空の列" in text and "表計算ソフト" in text


def test_the_mapping_screen_says_which_fields_keep_the_time(setup, login_client) -> None:
    page = login_client(setup.staff).get(reverse("casework:profile", args=[setup.program.code])).content.decode()
    assert 'data-testid="kind-applied_at"' in page and "時刻も保存します" in page
    assert 'data-testid="kind-application_date"' in page and "時刻は保存しません" in page
    assert "必須（または申請日時）" in page


def test_the_import_screen_shows_the_spreadsheet_warning(setup, profile, login_client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = csv_bytes(row(口座番号="12345")).replace(b"\r\n", b",,\r\n")
    client = login_client(setup.staff)
    page = client.post(reverse("casework:import", args=[setup.program.code]), {
        "profile": profile.pk, "file": SimpleUploadedFile("e.csv", data, content_type="text/csv")}).content.decode()
    assert 'data-testid="import-sheet-warning"' in page and "先頭の0" in page
    assert not Case.objects.exists()


def test_a_past_grantee_list_saved_by_excel_is_read(setup) -> None:
    from madoguchi.casework.services.duplicates import import_past_grantees

    data = "住所,氏名,,\r\n新宿区西新宿2-8-1,高橋　一郎,,\r\n新宿区百人町1-1-1,田中　花子,,\r\n".encode("cp932")
    lst = import_past_grantees(actor=setup.actor(setup.staff), program=setup.program, name="R7", data=data)
    assert lst.grantees.count() == 2


def test_a_past_grantee_list_with_a_duplicated_header_names_it(setup) -> None:
    from madoguchi.casework.models import PastGranteeList
    from madoguchi.casework.services.duplicates import import_past_grantees

    with pytest.raises(ImportRejected) as exc:
        import_past_grantees(actor=setup.actor(setup.staff), program=setup.program, name="R7",
                             data="住所,氏名,氏名\n新宿区西新宿2-8-1,高橋　一郎,高橋\n".encode())
    assert [(e.line, e.column) for e in exc.value.errors] == [(1, "氏名")]
    assert "「氏名」が重複しています（2列目と3列目）" in exc.value.errors[0].reason
    assert not PastGranteeList.objects.exists()


def test_find_duplicates_reads_kanji_and_era_coded_birth_dates() -> None:
    from madoguchi.casework.services.pair_files import read_people

    data = ("id,name,address,birth_date,,\n1,高橋　一郎,西新宿2-8-1,昭和五十年一月二日,,\n"
            "2,田中　花子,百人町1-1-1,3500102,,\n3,山田　太郎,大久保1-1-1,1975/1/2(木),,\n").encode()
    assert [p.birth_date for p in read_people(data, label="左")] == ["1975-01-02"] * 3
