"""The shipped catalogue of recorded items (記録項目).  A municipality may add its own in the admin screens.

Keys are what operations use: the resident serializer, case pages and export packages show an item
only when its key is declared for the actor's organisation (ADR 0003).
"""

from __future__ import annotations

from madoguchi.register.models import DataItem, ItemCategory

C = ItemCategory
# key, name, category, encrypted at rest
CATALOGUE: list[tuple[str, str, str, bool]] = [
    ("resident_no", "住民番号（宛名番号）", C.IDENTITY, False),
    ("name", "氏名", C.IDENTITY, False),
    ("name_kana", "氏名（フリガナ）", C.IDENTITY, False),
    ("birth_date", "生年月日", C.IDENTITY, False),
    ("age", "年齢", C.IDENTITY, False),
    ("sex", "性別", C.IDENTITY, False),
    ("postal_code", "郵便番号", C.CONTACT, False),
    ("address", "住所", C.CONTACT, False),
    ("address_extra", "方書", C.CONTACT, False),
    ("phone", "電話番号", C.CONTACT, False),
    ("email", "メールアドレス", C.CONTACT, False),
    ("household_no", "世帯番号", C.HOUSEHOLD, False),
    ("relation", "続柄", C.HOUSEHOLD, False),
    ("household_head", "世帯主氏名・続柄", C.HOUSEHOLD, False),
    ("bank_account", "振込先口座（金融機関・支店・種別・口座番号）", C.FINANCIAL, True),
    ("account_holder", "口座名義（カナ）", C.FINANCIAL, False),
    ("payment_amount", "支給額・補助額", C.FINANCIAL, False),
    ("application_date", "申請日", C.PROGRAM, False),
    ("purchase", "購入機器・購入日・購入店舗・購入費用・設置工事", C.PROGRAM, False),
    ("application_amount", "補助申請額", C.PROGRAM, False),
    ("pledges", "誓約・同意事項", C.PROGRAM, False),
    ("case_progress", "受付日・審査日・補正依頼日・決定日等の進捗", C.PROGRAM, False),
    ("notice_no", "通知番号", C.PROGRAM, False),
    ("inquiry", "問合せ内容・対応履歴", C.PROGRAM, False),
    ("past_grant", "過去の交付決定（住所・氏名）", C.PROGRAM, False),
    ("child", "児童の氏名・生年月日", C.HOUSEHOLD, False),
    ("child_allowance", "児童手当の受給情報", C.PROGRAM, False),
    ("public_servant", "公務員の区分", C.PROGRAM, False),
    ("opt_out", "受給拒否の届出", C.PROGRAM, False),
    ("steps", "歩数", C.HEALTH, False),
    ("nickname", "ニックネーム", C.PROGRAM, False),
    ("body", "身長・体重・歩幅", C.HEALTH, False),
    ("survey", "アンケート回答（健康意識・健康行動・健康状態等）", C.HEALTH, False),
    ("points", "ポイント・景品抽選", C.PROGRAM, False),
    ("resident_tax", "個人住民税の課税情報", C.TAX, True),
    ("kei_car_tax", "軽自動車税（種別割）の課税情報", C.TAX, True),
    ("income", "所得情報", C.TAX, True),
    ("my_number", "個人番号", C.MY_NUMBER, True),
    ("disability_grade", "障害程度", C.SPECIAL_CARE, True),
]


def ensure_catalogue() -> dict[str, DataItem]:
    items: dict[str, DataItem] = {}
    for order, (key, name, category, sensitive) in enumerate(CATALOGUE):
        item, _ = DataItem.objects.get_or_create(
            key=key, defaults={"name": name, "category": category, "sensitive": sensitive, "order": order * 10}
        )
        items[key] = item
    return items
