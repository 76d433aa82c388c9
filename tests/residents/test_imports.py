"""Import of registry extracts (madoguchi.residents.services.imports and the import_residents command)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog
from madoguchi.core.errors import AccessRefused, ImportRejected
from madoguchi.residents.models import AddressHistory, Resident
from madoguchi.residents.services.imports import import_residents
from tests.residents.conftest import HEADER, Register, csv_bytes

GOOD = [
    "200000001,髙橋　一郎,ﾀｶﾊｼ ｲﾁﾛｳ,1975-01-02,男,1600023,東京都新宿区西新宿二丁目8番1号,新宿ハイツ101号室,H1,世帯主,2001-04-01,住登",
    "200000002,髙橋　花子,たかはし　はなこ,昭和53年5月6日,女,160-0023,東京都新宿区西新宿二丁目8番1号,新宿ハイツ101号室,H1,妻,,",
    "200000003,渡邉　齋,ワタナベ　イツキ,R1.5.1,1,〒169-0073,東京都新宿区百人町三丁目12番5号,,H2,世帯主,令和元年5月1日,転出",
]


def snapshot() -> tuple[list[tuple[object, ...]], int, int]:
    residents = list(Resident.objects.order_by("resident_no").values_list(
        "resident_no", "name", "name_kana", "birth_date", "address", "address_extra", "postal_code", "status"))
    return residents, AddressHistory.objects.count(), AccessLog.objects.count()


@pytest.fixture
def staff(register: Register, actor_for) -> Actor:
    return actor_for(register.users["staff"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_import_creates_residents_with_keys(staff: Actor, encoding: str) -> None:
    # given a registry extract in each accepted encoding
    data = csv_bytes(*GOOD, encoding=encoding)
    # when it is imported
    result = import_residents(data=data, actor=staff, filename="extract.csv")
    # then every row is a resident, stored as written, with its match keys
    assert (result.rows, result.created, result.updated, result.moved) == (3, 3, 0, 0)
    head = Resident.objects.get(resident_no="200000001")
    assert head.name == "髙橋　一郎" and head.name_kana == "ﾀｶﾊｼ ｲﾁﾛｳ"
    assert (head.name_key, head.kana_key, head.address_key) == ("高橋一郎", "タカハシイチロウ", "西新宿2-8-1")
    assert head.building_key == "新宿ハイツ101"  # 号室 after the room number is left out
    assert head.postal_code == "160-0023" and head.resident_since == dt.date(2001, 4, 1)
    spouse = Resident.objects.get(resident_no="200000002")
    assert spouse.birth_date == dt.date(1978, 5, 6) and spouse.status == "住登" and spouse.kana_key == "タカハシハナコ"
    moved = Resident.objects.get(resident_no="200000003")
    assert (moved.birth_date, moved.sex, moved.status, moved.postal_code) == (dt.date(2019, 5, 1), "男", "転出",
                                                                             "169-0073")


def test_import_writes_one_access_log_row(staff: Actor) -> None:
    before = AccessLog.objects.count()
    import_residents(data=csv_bytes(*GOOD), actor=staff, filename="extract.csv")
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert len(rows) == 1
    assert rows[0].action == AuditEvent.RESIDENT_IMPORT
    assert rows[0].resident_count == 3 and rows[0].username == "res-staff" and rows[0].allowed
    assert "extract.csv" in rows[0].target


def test_reimport_updates_by_number_and_keeps_address_history(staff: Actor) -> None:
    # given residents already imported
    import_residents(data=csv_bytes(*GOOD), actor=staff)
    first = Resident.objects.get(resident_no="200000001")
    # when the extract comes again with one move, one renamed and one unchanged, plus a new resident
    again = [
        GOOD[0].replace("東京都新宿区西新宿二丁目8番1号,新宿ハイツ101号室", "東京都新宿区大久保一丁目1番1号,"),
        GOOD[1].replace("髙橋　花子", "髙橋　華子"),
        GOOD[2],
        "200000004,𠮷田　﨑子,ヨシダ　サキコ,1990-07-07,女,,東京都新宿区高田馬場一丁目2番3号,,H3,世帯主,,",
    ]
    result = import_residents(data=csv_bytes(*again), actor=staff)
    # then existing rows are updated in place and the old address is kept
    assert (result.created, result.updated, result.unchanged, result.moved) == (1, 2, 1, 1)
    head = Resident.objects.get(resident_no="200000001")
    assert head.pk == first.pk
    assert head.address == "東京都新宿区大久保一丁目1番1号" and head.address_key == "大久保1-1-1"
    history = list(AddressHistory.objects.filter(resident=head))
    assert [(h.address, h.address_extra, h.postal_code) for h in history] == [
        ("東京都新宿区西新宿二丁目8番1号", "新宿ハイツ101号室", "160-0023")]
    assert Resident.objects.get(resident_no="200000002").name_key == "高橋華子"
    assert Resident.objects.get(resident_no="200000004").name_key == "𠮷田崎子"  # 𠮷: no variant in Unihan
    assert AddressHistory.objects.count() == 1


def test_reimport_of_the_same_file_changes_nothing(staff: Actor) -> None:
    import_residents(data=csv_bytes(*GOOD), actor=staff)
    stamps = list(Resident.objects.order_by("pk").values_list("updated_at", flat=True))
    result = import_residents(data=csv_bytes(*GOOD), actor=staff)
    assert (result.created, result.updated, result.unchanged, result.moved) == (0, 0, 3, 0)
    assert list(Resident.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


# --- bad input: every case is reported with line, column and reason, and nothing changes ----------------

BROKEN_CP932 = ("\r\n".join([HEADER, GOOD[0]]) + "\r\n").encode("cp932") + b"200000009,\x82\xff,,1990-01-01,,,x,,,,,\r\n"


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param(BROKEN_CP932, [(3, "", "文字コード")], id="broken-cp932-byte"),
    pytest.param(csv_bytes("200000001,山田,1990-01-01", header="住民番号,氏名,生年月日"),
                 [(1, "住所", "必須の列がありません")], id="missing-required-column"),
    pytest.param(csv_bytes(GOOD[0], GOOD[1].replace("昭和53年5月6日", "2025-02-30")),
                 [(3, "生年月日", "存在しない日付")], id="impossible-date"),
    pytest.param(csv_bytes(GOOD[0], GOOD[1].replace("昭和53年5月6日", "平成31年5月1日")),
                 [(3, "生年月日", "改元")], id="date-after-era-change"),
    pytest.param(csv_bytes(GOOD[0], GOOD[1], GOOD[0]),
                 [(4, "住民番号", "2行目と重複")], id="duplicate-resident-no"),
    pytest.param(b"", [(0, "", "空")], id="empty-file"),
    pytest.param(csv_bytes(), [(0, "", "データの行がありません")], id="header-only"),
    pytest.param(csv_bytes(GOOD[0].replace(",住登", ",転居")), [(2, "状態", "不明な状態")], id="unknown-status"),
    pytest.param(csv_bytes(GOOD[0].replace("髙橋　一郎", "")), [(2, "氏名", "必須")], id="empty-name"),
    pytest.param(csv_bytes(GOOD[0].replace("1600023", "16000")), [(2, "郵便番号", "7桁")], id="bad-postal-code"),
    pytest.param(csv_bytes(GOOD[0].replace(",男,", ",X,")), [(2, "性別", "性別")], id="bad-sex"),
    pytest.param(csv_bytes(GOOD[0].replace("1975-01-02", "2999-01-01")), [(2, "生年月日", "未来")], id="future"),
    pytest.param(csv_bytes(GOOD[0], "200000002,a,b"), [(3, "", "列の数")], id="wrong-column-count"),
])
def test_bad_input_is_reported_and_nothing_changes(staff: Actor, data: bytes,
                                                  expected: list[tuple[int, str, str]]) -> None:
    # given residents imported before
    import_residents(data=csv_bytes(GOOD[2]), actor=staff)
    before = snapshot()
    # when a bad file is imported
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=data, actor=staff)
    # then the message names the line, the column and the reason, and nothing changed (not even the log)
    errors = exc.value.errors
    assert [(e.line, e.column) for e in errors] == [(line, column) for line, column, _ in expected]
    for error, (_, _, reason) in zip(errors, expected, strict=True):
        assert reason in error.reason
    assert snapshot() == before


def test_every_bad_row_is_reported_at_once(staff: Actor) -> None:
    data = csv_bytes(
        GOOD[0],
        GOOD[1].replace("昭和53年5月6日", "2025-02-30"),
        GOOD[2].replace(",転出", ",不明"),
        GOOD[0].replace("髙橋　一郎", "別人"),
    )
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=data, actor=staff)
    assert [(e.line, e.column) for e in exc.value.errors] == [(3, "生年月日"), (4, "状態"), (5, "住民番号")]
    assert "3件の誤り" in str(exc.value) and "何も変更していません" in str(exc.value)
    assert not Resident.objects.exists()


# --- who may import ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["contractor", "undeclared", "privacy", "auditor", "administrator"])
def test_only_department_staff_may_import(register: Register, actor_for, role: str) -> None:
    before = snapshot()
    with pytest.raises(AccessRefused):
        import_residents(data=csv_bytes(*GOOD), actor=actor_for(register.users[role]))
    assert snapshot() == before


# --- the command -------------------------------------------------------------------------------------

def test_command_imports_a_file(register: Register, tmp_path: Path, capsys) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(csv_bytes(*GOOD, encoding="cp932"))
    call_command("import_residents", str(path), "--as", "res-staff")
    assert "新規 3件" in capsys.readouterr().out
    assert Resident.objects.count() == 3
    row = AccessLog.objects.latest("id")
    assert (row.action, row.username, row.channel) == (AuditEvent.RESIDENT_IMPORT, "res-staff", "cli")


def test_command_reports_errors_and_changes_nothing(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(GOOD[0], GOOD[1].replace("昭和53年5月6日", "2025-02-30")))
    with pytest.raises(CommandError, match="3行目「生年月日」列: 存在しない日付です"):
        call_command("import_residents", str(path), "--as", "res-staff")
    assert not Resident.objects.exists()


def test_command_as_a_user_without_the_right_is_refused_and_logged(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(csv_bytes(*GOOD))
    with pytest.raises(CommandError, match="権限"):
        call_command("import_residents", str(path), "--as", "res-auditor")
    assert not Resident.objects.exists()
    row = AccessLog.objects.latest("id")
    assert (row.action, row.allowed, row.username) == (AuditEvent.RESIDENT_IMPORT, False, "res-auditor")


DEFECTS = {
    "impossible-date": lambda line: line.replace("1975-01-02", "2025-02-30"),
    "unknown-status": lambda line: line.replace(",住登", ",転居"),
    "empty-name": lambda line: line.replace("髙橋　一郎", ""),
    "bad-postal": lambda line: line.replace("1600023", "12"),
    "short-row": lambda line: line.rsplit(",", 3)[0],
}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=1, max_value=30), data=st.data(), encoding=st.sampled_from(["utf-8", "cp932"]))
def test_any_one_defect_anywhere_rejects_the_whole_file(staff: Actor, count: int, data: st.DataObject,
                                                         encoding: str) -> None:
    # given a file of valid rows with one defect at a random row
    lines = [GOOD[0].replace("200000001", f"{400000000 + i}") for i in range(count)]
    where = data.draw(st.integers(min_value=0, max_value=count - 1))
    defect = data.draw(st.sampled_from(sorted(DEFECTS)))
    lines[where] = DEFECTS[defect](lines[where])
    before = snapshot()
    # when it is imported / then it is rejected naming that line (header = line 1), and nothing changed
    with pytest.raises(ImportRejected) as exc:
        import_residents(data=csv_bytes(*lines, encoding=encoding), actor=staff)
    assert [e.line for e in exc.value.errors] == [where + 2]
    assert snapshot() == before
