"""``manage.py rekey``: keys stored under the previous rules are recomputed; written values stay."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from madoguchi.casework.models import Case, PastGrantee, PastGranteeList
from madoguchi.residents.models import Resident
from tests.casework.factories import make_case


def test_rekey_recomputes_stale_keys(setup) -> None:
    # given rows keyed by the previous rules (齊 folded to 斎, the room inside the address key)
    r = Resident.objects.create(resident_no="1", name="齊藤　一郎", name_kana="サイトウ", birth_date=dt.date(1970, 1, 1),
                                address="東京都 新宿区西新宿二丁目8番1号304号室")
    Resident.objects.filter(pk=r.pk).update(name_key="斎藤一郎", address_key="東京都新宿区西新宿2-8-1-304")
    case = make_case(setup.program, name="齊藤　一郎", address="西新宿2-8-1-304")
    Case.objects.filter(pk=case.pk).update(name_key="斎藤一郎", household_key="addr:西新宿2-8-1-304|")
    lst = PastGranteeList.objects.create(program=setup.program, name="過去", imported_by="x")
    g = PastGrantee.objects.create(grantee_list=lst, name="齊藤一郎", address="霞ヶ丘町1-2-3", name_key="斎藤一郎",
                                   address_key="霞ヶ丘町1-2-3")
    # when rekeyed
    out = io.StringIO()
    call_command("rekey", "--as", setup.staff.username, stdout=out)
    # then the keys follow the current rules and the written values are unchanged
    r.refresh_from_db(), case.refresh_from_db(), g.refresh_from_db()
    assert (r.name_key, r.address_key, r.building_key) == ("斉藤一郎", "西新宿2-8-1", "304")
    assert r.name == "齊藤　一郎" and r.address == "東京都 新宿区西新宿二丁目8番1号304号室"
    assert (case.name_key, case.household_key) == ("斉藤一郎", "addr:西新宿2-8-1|304")
    assert (g.name_key, g.address_key) == ("斉藤一郎", "霞丘町1-2-3")
    assert "住民記録 1件" in out.getvalue()
    # and a second run changes nothing
    out = io.StringIO()
    call_command("rekey", "--as", setup.staff.username, stdout=out)
    assert "住民記録 0件、申請 0件、過去の交付決定者 0件" in out.getvalue()


def test_rekey_is_one_access_log_row_by_the_named_operator(setup) -> None:
    from madoguchi.audit.models import AccessLog

    call_command("rekey", "--as", setup.staff.username, stdout=io.StringIO())
    row = AccessLog.objects.filter(target="照合用キーの作り直し").get()
    assert row.username == setup.staff.username and row.allowed
