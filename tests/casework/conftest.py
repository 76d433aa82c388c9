from __future__ import annotations

import pytest

from tests.casework.factories import Setup, make_setup

HEADER = ("回答ID,送信日時,郵便番号,住所,氏名,フリガナ,生年月日,電話番号,メールアドレス,世帯主氏名,続柄,"
          "品目1,購入日1,購入店舗1,購入金額1,設置工事1,品目2,購入日2,購入店舗2,購入金額2,設置工事2,補助申請額,"
          "金融機関名,金融機関コード,支店名,支店コード,預金種目,口座番号,口座名義,口座名義フリガナ,"
          "誓約1,誓約2,添付書類")
MAPPING = {
    "回答ID": "response_id", "送信日時": "application_date", "郵便番号": "postal_code", "住所": "address",
    "氏名": "name", "フリガナ": "name_kana", "生年月日": "birth_date", "電話番号": "phone",
    "メールアドレス": "email", "世帯主氏名": "household_head", "続柄": "household_relation",
    "品目1": "item_1", "購入日1": "purchase_date_1", "購入店舗1": "shop_1", "購入金額1": "cost_1",
    "設置工事1": "installation_1", "品目2": "item_2", "購入日2": "purchase_date_2", "購入店舗2": "shop_2",
    "購入金額2": "cost_2", "設置工事2": "installation_2", "補助申請額": "application_amount",
    "金融機関名": "bank_name", "金融機関コード": "bank_code", "支店名": "branch_name", "支店コード": "branch_code",
    "預金種目": "account_type", "口座番号": "account_number", "口座名義": "account_holder",
    "口座名義フリガナ": "account_holder_kana", "誓約1": "pledge:暴力団員でないこと",
    "誓約2": "pledge:記載内容が事実であること", "添付書類": "attachments",
}


def row(rid: str = "LF-0001", *, name: str = "佐藤　花子", address: str = "東京都新宿区西新宿二丁目8番1号",
        cost: str = "25000", birth: str = "1980-05-06", kana_holder: str = "サトウ ハナコ", date: str = "",
        **over: str) -> list[str]:
    import datetime as dt

    values = {
        "回答ID": rid, "送信日時": date or dt.date.today().isoformat(), "郵便番号": "1600023", "住所": address,
        "氏名": name, "フリガナ": "サトウ　ハナコ", "生年月日": birth, "電話番号": "03-1111-2222",
        "メールアドレス": "hanako@example.jp", "世帯主氏名": name, "続柄": "本人", "品目1": "防犯カメラ",
        "購入日1": "令和8年5月10日", "購入店舗1": "新宿電機", "購入金額1": cost, "設置工事1": "あり",
        "品目2": "補助錠", "購入日2": "R8.5.10", "購入店舗2": "新宿電機", "購入金額2": "5,000", "設置工事2": "",
        "補助申請額": "15000", "金融機関名": "三井住友銀行", "金融機関コード": "0009", "支店名": "神保町",
        "支店コード": "001", "預金種目": "普通", "口座番号": "1234567", "口座名義": name,
        "口座名義フリガナ": kana_holder, "誓約1": "同意する", "誓約2": "同意する", "添付書類": "領収書;設置写真",
    }
    values.update(over)
    return [values[h] for h in HEADER.split(",")]


def csv_bytes(*rows: list[str], encoding: str = "utf-8", header: str = HEADER, drop: int | None = None) -> bytes:
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    head = header.split(",")
    if drop is not None:
        head = head[:drop] + head[drop + 1:]
        rows = tuple(r[:drop] + r[drop + 1:] for r in rows)
    w.writerow(head)
    w.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def setup(db) -> Setup:
    return make_setup()


@pytest.fixture
def profile(setup):
    from madoguchi.casework.services.intake import save_profile

    return save_profile(actor=setup.actor(setup.staff), program=setup.program, name="LoGoフォーム 2026", mapping=MAPPING)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
