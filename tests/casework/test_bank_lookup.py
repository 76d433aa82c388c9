"""The bank and branch picker of the paper form: names shown from the codes, search by name or kana
(core.banking), only for those who key in applications."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.casework.models import Case
from madoguchi.core.banking import AccountError, find_banks, kana_query, search_branches
from tests.casework.factories import CODE
from tests.factories import PASSWORD

URL = f"/cases/{CODE}/banks/"


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_kana_query_reads_what_people_type():
    assert kana_query("じんぼうちょう") == "ジンボウチヨウ"
    assert kana_query("ｼﾝｼﾞｭｸ") == "シンジユク"
    assert kana_query("新宿 西口") == "新宿西口"


def test_find_banks_by_name_kana_hiragana_and_code():
    assert "0001" in [b.code for b in find_banks("みずほ")]
    assert "0009" in [b.code for b in find_banks("ミツイスミトモ")]
    assert "0009" in [b.code for b in find_banks("三井住友")]
    assert [b.code for b in find_banks("0009")] == ["0009"]
    assert find_banks("") == [] and find_banks("存在しない銀行名") == []


def test_search_branches_by_name_and_kana():
    assert [(b.code, b.name) for b in search_branches("0009", "じんぼう")] == [("001", "神保町")]
    assert "221" in [b.code for b in search_branches("0009", "新宿")]
    assert [b.code for b in search_branches("0009", "001")] == ["001"]
    with pytest.raises(AccountError):
        search_branches("9999", "新宿")


@pytest.mark.parametrize("who", ["staff", "contractor"])
def test_names_are_shown_from_the_codes(setup, who):
    c = client_for(getattr(setup, who))
    page = c.get(URL, {"bank_code": "9", "branch_code": "1"}).content.decode()
    assert '<span class="badge badge--ok">三井住友（ミツイスミトモ）</span>' in page
    assert "神保町" in page and 'value="0009"' in page and 'value="001"' in page


def test_wrong_codes_are_explained(setup):
    page = client_for(setup.staff).get(URL, {"bank_code": "9998"}).content.decode()
    assert "金融機関コード「9998」は全銀協の金融機関一覧にありません" in page
    page = client_for(setup.staff).get(URL, {"bank_code": "0009", "branch_code": "998"}).content.decode()
    assert "支店コード「998」は三井住友の支店一覧にありません" in page


def test_search_then_pick_fills_code_and_name(setup):
    c = client_for(setup.staff)
    results = c.get(URL, {"part": "bank_results", "bank_q": "みついすみとも"}).content.decode()
    assert 'data-testid="bank-choice"' in results and "pick_bank=0009" in results
    picked = c.get(URL, {"pick_bank": "0009", "bank_code": "0005", "bank_name": "古い名前"}).content.decode()
    assert 'id="bank_code" name="bank_code" value="0009"' in picked and 'value="三井住友"' in picked
    branches = c.get(URL, {"part": "branch_results", "bank_code": "0009", "branch_q": "じんぼうちょう"}).content.decode()
    assert "pick_branch=001" in branches and "神保町" in branches
    picked = c.get(URL, {"pick_branch": "001", "bank_code": "0009"}).content.decode()
    assert 'value="神保町"' in picked
    no_bank = c.get(URL, {"part": "branch_results", "bank_code": "", "branch_q": "新宿"}).content.decode()
    assert "先に金融機関を選んでください" in no_bank


@pytest.mark.parametrize("who", ["callcenter", "other_staff", "privacy", "auditor", "admin"])
def test_lookup_refused_to_those_who_do_not_key_in(setup, who):
    assert client_for(getattr(setup, who)).get(URL, {"bank_code": "0009"}).status_code == 403


def test_paper_form_has_the_picker_and_still_takes_an_application(setup):
    c = client_for(setup.staff)
    page = c.get(f"/cases/{CODE}/paper/").content.decode()
    assert 'data-testid="bank-fields"' in page and f'hx-get="{URL}"' in page
    assert page.count('name="bank_code"') == 1
    before = Case.objects.count()
    form = {"application_date": "令和8年5月10日", "postal_code": "160-0023", "address": "東京都新宿区西新宿二丁目8番1号",
            "name": "紙　申請", "name_kana": "カミ　シンセイ", "application_amount": "10000",
            "bank_code": "0009", "branch_code": "001", "account_type": "普通", "account_number": "1234567",
            "account_holder": "紙　申請", "account_holder_kana": "カミ シンセイ",
            "item_1": "防犯カメラ", "cost_1": "20000", "purchase_date_1": "令和8年5月1日"}
    response = c.post(f"/cases/{CODE}/paper/", form)
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert Case.objects.count() == before + 1
    assert (case.bank_code, case.branch_code, case.account_number) == ("0009", "001", "1234567")
    # a wrong bank code is kept as written and flagged as an account problem (as for e-form data)
    c.post(f"/cases/{CODE}/paper/", {**form, "bank_code": "9998"})
    assert "9998" in Case.objects.latest("pk").account_problem
