"""The facts of the five seed programs (items, contractors, media, periods, counts, schedules) as data.

Sentences here are madoguchi's own summaries of the seeds' facts, not the ward's wording.  Dates after
the seeds' own are the demo's continuation so that contracts run on the demo's "today" (2026-11-22).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

CRIME_ITEMS = ["postal_code", "address", "name", "name_kana", "birth_date", "phone", "email", "household_head",
               "purchase", "application_amount", "bank_account", "account_holder", "pledges", "case_progress",
               "application_date", "payment_amount", "notice_no", "inquiry"]
CALLCENTER_ITEMS = ["name", "name_kana", "address", "phone", "application_date", "case_progress", "inquiry",
                    "application_amount"]
HEALTH_ITEMS = ["name", "address", "age", "sex", "phone", "survey", "email", "steps", "nickname", "body", "points"]
TAX_ITEMS = ["resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address", "household_no",
             "relation", "resident_tax", "kei_car_tax", "income", "my_number"]
CHILD_ITEMS = ["resident_no", "name", "birth_date", "postal_code", "address", "relation", "child", "child_allowance",
               "income", "bank_account", "account_holder", "payment_amount", "opt_out", "public_servant", "notice_no"]

ENCLOSURE_FLOW = "案内文への印字と封入封緘の委託"  # seed 003's third flow

# organisation code -> certifications (name, number, valid from, valid until); numbers are demo values
CERTIFICATIONS: dict[str, list[tuple[str, str, dt.date, dt.date]]] = {
    "saison-personal-plus": [("プライバシーマーク", "デモ-10000001", D(2025, 4, 1), D(2027, 3, 31)),
                             ("ISMS（ISO/IEC 27001）", "IS 0383", D(2024, 10, 1), D(2027, 9, 30))],
    "callcenter-demo": [("プライバシーマーク", "デモ-10000002", D(2025, 1, 1), D(2026, 12, 31))],
    "hitachi-systems": [("プライバシーマーク", "デモ-10000003", D(2024, 4, 1), D(2027, 3, 31)),
                        ("ISO/IEC 27001", "デモ-IS-0003", D(2024, 4, 1), D(2027, 3, 31))],
    "coprosystem": [("プライバシーマーク", "デモ-10000004", D(2020, 4, 1), D(2027, 3, 31)),
                    ("ISMS（ISO/IEC 27001）", "デモ-IS-0004", D(2020, 4, 1), D(2027, 3, 31))],
    "scsk-serviceware": [("プライバシーマーク", "デモ-10000005", D(2020, 4, 1), D(2027, 3, 31)),
                         ("ISMS（ISO/IEC 27001）", "デモ-IS-0005", D(2020, 4, 1), D(2027, 3, 31))],
    "densan": [("プライバシーマーク", "デモ-10000006", D(2025, 4, 1), D(2027, 3, 31))],
    "kyokudo": [("プライバシーマーク", "デモ-10000007", D(2025, 4, 1), D(2027, 3, 31))],
}

# measure key -> reason for "－" (everything else is answered ○)
NOT_NEEDED: dict[str, dict[str, str]] = {
    "crime-prevention-subsidy-2026": {
        "cw-op-06": "システムは委託先のサーバー上にあり、区の機器室での作業はないため。",
        "cc-op-06": "システムは委託先のサーバー上にあり、区の機器室での作業はないため。",
        "ow-op-06": "媒体による受渡しはなく、委託先のシステムを専用端末から操作するため。",
    },
    "coming-of-age-2026": {
        "ow-te-01": "委託先のシステムとは接続せず、USBメモリで印字データを渡すため。",
        "ow-te-02": "委託先のシステムとは接続せず、USBメモリで印字データを渡すため。",
        "ow-te-03": "通信による受渡しはないため。",
        "oc-te-01": "区のネットワークとは接続しないため。",
        "oc-te-03": "通信による受渡しはないため。",
    },
    "child-support-allowance-2025": {
        "ow-te-03": "通信による受渡しはなく、CD-Rを手渡しするため。",
        "oc-te-03": "通信による受渡しはなく、CD-Rを手渡しするため。",
    },
}


def crime(version: int) -> dict[str, Any]:
    """防犯機器等購入緊急補助事業: version 1 (approved 令和7年度第1回) and 2 (adds the past-grantee list)."""
    v2 = version == 2
    scopes: list[tuple[str, list[str]]] = [("防犯機器等購入緊急補助事業の申請者", CRIME_ITEMS)]
    if v2:
        scopes.append(("過去の交付決定者", ["address", "name"]))
    start = D(2026, 4, 1) if v2 else D(2025, 6, 1)
    flow = [
        (1, "resident", "申請者", "contractor", "セゾンパーソナルプラス", CRIME_ITEMS[:13], "electronic",
         "LoGoフォームによる電子申請"),
        (2, "contractor", "セゾンパーソナルプラス", "system", "補助管理システム", CRIME_ITEMS[:15], "contractor_server",
         "申請内容の入力と過去の交付決定者との重複確認" if v2 else "申請内容の入力"),
        (3, "department", "危機管理課", "system", "補助管理システム", ["case_progress", "payment_amount"], "vpn",
         "専用端末から審査・決定"),
        (4, "contractor", "セゾンパーソナルプラス", "post_office", "郵便局", ["name", "postal_code", "address", "notice_no"],
         "paper", "交付決定通知書の発送"),
        (5, "post_office", "郵便局", "resident", "申請者", ["name", "postal_code", "address"], "paper", "通知書の配達"),
        (6, "resident", "申請者", "subcontractor", "コールセンター", ["name", "phone", "inquiry"], "",
         "電話による問合せ"),
        (7, "contractor", "セゾンパーソナルプラス", "department", "危機管理課",
         ["bank_account", "account_holder", "payment_amount"], "transfer_file", "振込データの作成"),
    ]
    if v2:
        flow.append((8, "department", "危機管理課", "system", "補助管理システム", ["address", "name"], "vpn",
                     "過去の交付決定者リストの登録"))
    return {
        "code": "crime-prevention-subsidy-2026", "department": "dept-crisis", "author": "tanto",
        "name": "防犯機器等購入緊急補助事業", "program_type": "application_subsidy",
        "title": "防犯機器等購入緊急補助事業に係るシステムの構築等について" + ("（委託内容の追加）" if v2 else ""),
        "purpose": "住宅での犯罪を防ぐため、防犯機器等を購入・設置した区民に費用の一部を補助し、防犯意識を高め安全で安心な暮らしにつなげる。",
        "target_persons": "区内の住宅に住み、その住宅のために防犯機器等を購入又は設置工事をした区民",
        "content": "対象経費の2分の1（上限2万円、千円未満切捨て）を補助する。申請は1世帯1回限りとし、過去に交付を受けた区民は対象外とする。"
                   "申請の受理、補助管理システムの構築と入力、通知書の印刷・発送、コールセンターを委託する。",
        "person_count": "1,000人", "legal_basis": "要綱第3条第1項第3号（電算処理、外部結合、業務委託）",
        "start_date": start, "end_date": D(2027, 3, 31), "retention_years": 5,
        "retention_note": "補助金の交付決定後5年間保存し、期間経過後に消去する。",
        "file_name": "防犯機器等購入緊急補助事業申請者ファイル", "collection_method": "本人からの電子申請（LoGoフォーム）",
        "provision": "なし（委託先への委託を除く）",
        "change_summary": "過去の交付決定者リストを補助管理システムに追加し、委託先が重複交付の確認を行う。" if v2 else "",
        "flags": (True, True, True), "scopes": scopes,
        "systems": [{"name": "補助管理システム", "kind": "contractor_hosted", "operator": "saison-personal-plus",
                     "location": "委託先が設置・管理するサーバー",
                     "reason": "申請の内容と受付状況を一元管理し、交付事務と問合せ対応を円滑に行うため。",
                     "processing": "申請書と添付書類の内容、受付から決定までの進捗を管理するシステムを委託先のサーバー上に構築する。"
                                   + ("過去の交付決定者リストを追加する。" if v2 else ""),
                     "schedule": "令和8年4月初旬 構築／令和8年4月中旬 テスト／令和8年5月 本稼働" if v2
                     else "令和7年5月 構築／令和7年5月 テスト／令和7年6月 本稼働"}],
        "linkages": [{"counterpart": "株式会社セゾンパーソナルプラス（補助管理システム）", "items": CRIME_ITEMS,
                      "reason": "申請の内容と受付状況を、区に置いた専用端末から即時に確認・共有するため。",
                      "form": "危機管理課の専用端末から閉域ネットワーク（VPN）で委託先の補助管理システムに接続する。",
                      "start_date": D(2026, 5, 1) if v2 else D(2025, 6, 1),
                      "period": "令和8年5月1日から令和9年3月31日まで（次年度以降も同様）" if v2
                      else "令和7年6月1日から（次年度以降も同様）"}],
        "outsourcings": [
            {"contractor": "saison-personal-plus", "parent": None, "items": CRIME_ITEMS,
             "media": ["contractor_server", "vpn", "paper"],
             "tasks": ["data_entry", "review_support", "notices", "printing", "enclosure", "inquiries", "payment"],
             "task_description": "申請書の受理（電子申請の内容確認" + ("及び過去の交付決定者との重複確認" if v2 else "")
                                 + "）、補助管理システムへの入力、交付決定通知書の作成・印刷・発送、電話による案内と相談",
             "reason": "迅速かつ安全に行うため、専門的な知識と経験のある事業者に委託する。",
             "start_date": start, "end_date": D(2027, 3, 31)},
            {"contractor": "callcenter-demo", "parent": "saison-personal-plus", "items": CALLCENTER_ITEMS,
             "media": ["contractor_server"], "tasks": ["inquiries"],
             "task_description": "制度と申請方法の電話案内、申請状況の問合せへの回答",
             "reason": "問合せの集中する時期に、電話窓口を専門の事業者に担わせるため。",
             "start_date": start, "end_date": D(2027, 3, 31)},
        ],
        "flow": flow,
        "decision": (D(2025, 5, 22), "令和7年度第1回", "了承") if not v2 else None,
    }


def tax() -> dict[str, Any]:
    return {
        "code": "tax-standardization", "department": "dept-tax", "author": "tanto-tax",
        "name": "税務システムの標準化・ガバメントクラウドへの移行", "program_type": "migration_check",
        "title": "地方公共団体情報システム標準化に対応した税務システムへの移行等について",
        "purpose": "標準化法に基づき、税務システムを標準準拠システムへ移し、ガバメントクラウド上で運用する。",
        "target_persons": "住民登録のある者、住民登録外登録者", "content":
        "特別区民税・都民税と軽自動車税（種別割）の賦課・収納のシステムを、令和8年2月に標準準拠システムへ移行する。",
        "person_count": "約35万人", "legal_basis": "要綱第3条第1項第3号（電算処理、外部結合、業務委託）",
        "start_date": D(2025, 1, 1), "end_date": None, "retention_years": None,
        "retention_note": "税の賦課・収納に関する法令の保存期間による。", "file_name": "税務システム（標準準拠）課税・収納ファイル",
        "collection_method": "住民基本台帳、申告書、給与支払報告書等", "provision": "法令に基づく提供に限る",
        "change_summary": "", "flags": (True, True, True),
        "scopes": [("住民登録のある者、住民登録外登録者",
                    [k for k in TAX_ITEMS if k != "kei_car_tax"] + ["disability_grade"],
                    {"file_name": "個人住民税課税ファイル"}),
                   ("軽自動車等の所有者", ["resident_no", "name", "name_kana", "birth_date", "postal_code",
                                           "address", "kei_car_tax"],
                    {"file_name": "軽自動車税（種別割）課税ファイル"})],
        "systems": [{"name": "標準準拠税務システム", "kind": "gov_cloud", "operator": "hitachi-systems",
                     "location": "ガバメントクラウド", "reason": "標準化基準に適合したシステムへ移行することが法律で求められているため。",
                     "processing": "委託先がガバメントクラウド上に標準準拠システムを構築し、現行システムのデータを移行する。",
                     "schedule": "令和7年1月 開発／令和7年4月 テスト／令和8年2月 運用開始"}],
        "linkages": [{"counterpart": "デジタル庁（ガバメントクラウド）", "items": TAX_ITEMS,
                      "reason": "標準準拠システムをガバメントクラウド上で利用するため。",
                      "form": "区の庁内ネットワークからガバメントクラウドへ専用回線で接続する。",
                      "start_date": D(2025, 1, 1), "period": "令和7年1月から（次年度以降も同様）"}],
        "outsourcings": [
            {"contractor": "hitachi-systems", "parent": None,
             "items": ["resident_no", "name", "name_kana", "birth_date", "address", "resident_tax", "kei_car_tax",
                       "income"],
             "media": ["electronic"], "tasks": ["migration", "system_operation"], "hands_over_data": False,
             "task_description": "標準準拠システムの構築、データ移行と移行後の確認、運用保守（委託先へ個人情報は提供しない）",
             "reason": "限られた期間に確実に移行するため、高度な専門性をもつ事業者に委託する。",
             "start_date": D(2026, 4, 1), "end_date": D(2027, 3, 31)},
            {"contractor": None, "to_be_named_note": "上記委託先が指定", "parent": "hitachi-systems",
             "items": ["resident_no", "name", "address", "resident_tax", "kei_car_tax"],
             "media": ["electronic"], "tasks": ["migration"], "hands_over_data": False,
             "task_description": "データ移行作業の一部（委託先の指示による）",
             "reason": "移行作業の一部に専門の事業者の技術が必要なため、委託先が指定する事業者に再委託する。",
             "start_date": D(2026, 4, 1), "end_date": D(2027, 3, 31)},
        ],
        "flow": [
            (1, "system", "現行税務システム", "system", "標準準拠税務システム", TAX_ITEMS[:12], "electronic", "データ移行"),
            (2, "department", "税務課", "system", "標準準拠税務システム", ["resident_tax", "kei_car_tax"], "electronic",
             "移行結果の確認"),
            (3, "contractor", "日立システムズ", "system", "標準準拠税務システム", [], "electronic", "運用保守（個人情報の提供なし）"),
        ],
        "decision": (D(2024, 11, 28), "令和6年度第4回", "承認"),
    }


def health() -> dict[str, Any]:
    sub_items = [k for k in HEALTH_ITEMS if k not in ("points",)]
    return {
        "code": "health-points", "department": "dept-health", "author": "tanto-health",
        "name": "健康ポイント事業", "program_type": "points_scheme",
        "title": "健康ポイント事業業務の委託等について（委託内容の変更等）",
        "purpose": "歩くことを中心に健康行動にポイントを付け、誰もが楽しみながら健康づくりを続けるきっかけをつくる。",
        "target_persons": "18歳以上で区に住民登録のある者",
        "content": "アプリ又は通信機能付き歩数計の歩数に応じてポイントを付け、基準以上の参加者に景品の抽選を行う。"
                   "アンケートはIDだけで管理する。問合せ窓口は再委託先が担う。",
        "person_count": "約10,000人", "legal_basis": "条例第14条第1項（業務委託、再委託）",
        "council_name": "情報公開・個人情報保護審議会", "agenda_kind": "報告",
        "start_date": D(2018, 4, 1), "end_date": D(2027, 3, 31), "retention_years": 1, "erase_on_withdrawal": True,
        "retention_note": "参加者の退会時及び事業終了時に消去し、消去の証明書を提出させる。",
        "file_name": "健康ポイント事業参加者ファイル", "collection_method": "本人からの参加申込み（アプリ・申込用紙）",
        "provision": "なし（委託先への委託を除く）", "change_summary": "", "flags": (False, False, True),
        "scopes": [("健康ポイント事業の参加者", HEALTH_ITEMS)],
        "systems": [], "linkages": [],
        "outsourcings": [
            {"contractor": "ntt-docomo", "parent": None, "items": HEALTH_ITEMS, "media": ["contractor_server", "paper"],
             "tasks": ["system_operation", "points", "data_entry", "enclosure"],
             "task_description": "全体統括、参加登録の受付、健康ポイントシステムの構築・運用、景品の抽選と発送準備",
             "reason": "ポイント管理の仕組みの構築と運用に専門性が必要なため。",
             "start_date": D(2020, 4, 1), "end_date": D(2027, 3, 31)},
            {"contractor": "coprosystem", "parent": "ntt-docomo", "items": sub_items,
             "media": ["contractor_server", "paper"], "tasks": ["data_entry", "points", "enclosure"],
             "task_description": "参加登録の受付と入力、アンケートの集計、景品発送の準備",
             "reason": "受付からアンケート、景品発送まで多岐にわたる実務を専門の事業者に担わせるため。",
             "start_date": D(2020, 7, 1), "end_date": D(2027, 3, 31)},
            {"contractor": "scsk-serviceware", "parent": "ntt-docomo",
             "items": [k for k in sub_items if k != "survey"], "media": ["contractor_server"], "tasks": ["inquiries"],
             "task_description": "参加者からの問合せへの回答（問合せに必要な事項に限る）",
             "reason": "アプリや歩数計の故障など専門的な問合せに正確に答えるため。",
             "start_date": D(2020, 7, 1), "end_date": D(2027, 3, 31)},
        ],
        "flow": [
            (1, "resident", "参加者", "contractor", "NTTドコモ", sub_items, "electronic", "アプリからの参加登録と歩数"),
            (2, "department", "健康づくり課", "subcontractor", "コプロシステム", ["name", "address", "phone"], "paper",
             "申込用紙の引渡し"),
            (3, "subcontractor", "コプロシステム", "contractor", "NTTドコモ", sub_items, "contractor_server", "登録内容の入力"),
            (4, "resident", "参加者", "subcontractor", "SCSKサービスウェア", ["name", "phone"], "", "問合せ"),
            (5, "subcontractor", "コプロシステム", "post_office", "郵便局", ["name", "address"], "paper", "景品の発送"),
        ],
        "decision": (D(2020, 6, 25), "令和2年度第2回", "報告"),
    }


def child() -> dict[str, Any]:
    mail = ["name", "postal_code", "address", "notice_no"]
    return {
        "code": "child-support-allowance-2025", "department": "dept-child", "author": "tanto-child",
        "name": "物価高対応子育て応援手当支給事業", "program_type": "push_allowance",
        "title": "物価高対応子育て応援手当支給事業の実施に係るシステムの開発と業務の委託について",
        "purpose": "物価高の影響を強く受ける子育て世帯を支援するため、手当を支給する。",
        "target_persons": "令和7年9月分の児童手当受給者、基準日以後に出生した児童の父母等、離婚等により新たに受給者となった者ほか",
        "content": "児童手当の受給者にはプッシュ型で支給し（受給拒否の届出を除く）、公務員等は申請により支給する。",
        "person_count": "支給者数 約25,000人（児童数 約39,000人）", "legal_basis": "要綱第3条第1項第3号（電算処理、業務委託）",
        "start_date": D(2026, 1, 16), "end_date": D(2027, 3, 31), "retention_years": 5,
        "retention_note": "支給完了後5年間保存する。", "file_name": "物価高対応子育て応援手当支給対象者ファイル",
        "collection_method": "児童手当システムからの抽出、申請書", "provision": "なし（委託先への委託を除く）",
        "change_summary": "", "flags": (True, False, True),
        "scopes": [("物価高対応子育て応援手当支給事業の支給対象者", CHILD_ITEMS)],
        "systems": [{"name": "児童手当システム（児童福祉総合システム）", "kind": "own", "operator": "it-strategy",
                     "location": "区の庁舎（情報戦略課が管理）", "reason": "支給対象者の抽出と支給を正確に行うため。",
                     "processing": "支給対象者の抽出、受給拒否の登録、支払データの作成の機能を追加する。",
                     "schedule": "令和8年1月 開発・テスト／令和8年2月 本稼働"}],
        "linkages": [],
        "outsourcings": [
            {"contractor": "densan", "parent": None, "items": mail, "media": ["cd_r", "paper"],
             "tasks": ["printing", "enclosure", "system_operation"],
             "task_description": "児童手当システムの改修と保守、案内文の封筒への印字と封入封緘",
             "reason": "システムの開発業者であり、改修と保守を安全かつ効率的に行えるため。",
             "start_date": D(2026, 1, 16), "end_date": D(2027, 3, 31)},
        ],
        "flow": [
            (1, "system", "児童手当システム", "department", "児童育成担当課", ["name", "address", "child", "child_allowance",
             "bank_account", "account_holder"], "electronic", "基準日の受給者と口座の抽出", 1, "プッシュ型"),
            (2, "department", "児童育成担当課", "resident", "受給者", ["name", "postal_code", "address"], "paper",
             "支給のお知らせの送付", 1, "プッシュ型"),
            (3, "resident", "受給者", "department", "児童育成担当課", ["name", "opt_out", "bank_account", "account_holder"],
             "paper", "受給拒否・支給口座登録等の届出", 1, "プッシュ型"),
            (4, "department", "児童育成担当課", "other", "指定金融機関", ["bank_account", "account_holder",
             "payment_amount"], "transfer_file", "振込データの提出", 1, "プッシュ型"),
            (1, "resident", "申請者", "department", "児童育成担当課", ["name", "address", "child", "public_servant",
             "bank_account", "account_holder"], "paper", "申請書（公務員は所属庁の証明）の提出", 2, "申請型"),
            (2, "department", "児童育成担当課", "system", "児童手当システム", ["name", "child", "public_servant"],
             "electronic", "審査結果の入力", 2, "申請型"),
            (3, "department", "児童育成担当課", "other", "指定金融機関", ["bank_account", "account_holder",
             "payment_amount"], "transfer_file", "振込データの提出", 2, "申請型"),
            (1, "system", "児童手当システム", "department", "児童育成担当課", mail, "electronic", "対象者データの抽出", 3, ENCLOSURE_FLOW),
            (2, "department", "児童育成担当課", "contractor", "電算", mail, "cd_r", "印字データの提供", 3, ENCLOSURE_FLOW),
            (3, "contractor", "電算", "department", "児童育成担当課", mail, "cd_r", "印字データの返却", 3, ENCLOSURE_FLOW),
            (4, "contractor", "電算", "department", "児童育成担当課", mail, "paper", "封入封緘後の封筒の納品", 3, ENCLOSURE_FLOW),
            (5, "department", "児童育成担当課", "contractor", "電算", mail, "paper", "納品検査後の引渡し", 3, ENCLOSURE_FLOW),
            (6, "contractor", "電算", "post_office", "郵便局", mail, "paper", "郵便局への差出し", 3, ENCLOSURE_FLOW),
            (7, "post_office", "郵便局", "resident", "対象者", mail, "paper", "案内文の配達", 3, ENCLOSURE_FLOW),
        ],
        "decision": (D(2026, 1, 9), "令和7年度第6回", "承認"),
    }


def coming_of_age() -> dict[str, Any]:
    items = ["name", "postal_code", "address", "address_extra"]
    return {
        "code": "coming-of-age-2026", "department": "dept-general", "author": "tanto-general",
        "name": "はたちのつどい案内状の印刷及び封入封緘", "program_type": "cohort_mailing",
        "title": "はたちのつどいに係る案内状印刷及び封入封緘作業の委託について",
        "purpose": "はたちのつどいの対象者に案内状を送るため。", "target_persons": "はたちのつどいの対象者",
        "content": "戸籍住民課が抽出した対象者の宛名データを印刷事業者に渡し、案内状の印字と封入封緘を委託する。",
        "person_count": "約4,000人", "legal_basis": "要綱第3条第1項第3号（業務委託）",
        "start_date": D(2026, 10, 1), "end_date": D(2027, 1, 31), "retention_years": None,
        "retention_note": "業務終了後、印字データを返却させ、委託先の電子データを消去させる。",
        "file_name": "はたちのつどい対象者ファイル", "collection_method": "住民基本台帳からの抽出",
        "provision": "なし（委託先への委託を除く）", "change_summary": "", "flags": (False, False, True),
        "scopes": [("はたちのつどいの対象者", items + ["birth_date"])], "systems": [], "linkages": [],
        "outsourcings": [
            {"contractor": "kyokudo", "parent": None, "items": items, "media": ["usb"],
             "tasks": ["printing", "enclosure"], "task_description": "案内状への宛名の印字、封入封緘",
             "reason": "大量の印刷と封入封緘を短期間に正確に行うため。",
             "start_date": D(2026, 10, 1), "end_date": D(2026, 12, 31)},
        ],
        "flow": [
            (1, "department", "戸籍住民課", "department", "総務課", items, "electronic", "対象者の抽出"),
            (2, "department", "総務課", "contractor", "旭堂", items, "usb", "印字データの受渡し"),
            (3, "contractor", "旭堂", "department", "総務課", items, "usb", "印字データの返却"),
            (4, "contractor", "旭堂", "post_office", "郵便局", items, "paper", "案内状の差出し"),
            (5, "post_office", "郵便局", "resident", "対象者", items, "paper", "案内状の配達"),
        ],
        "decision": (D(2026, 8, 27), "令和8年度第2回", "承認"),
    }
