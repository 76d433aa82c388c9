"""Japanese names for the access log's codes (operation, role, channel), shown on the auditor screens.

The log keeps the codes (they are part of each row's hash); these filters only translate them for people.
An unknown code is shown as it is, so a new event type is never hidden.
"""

from __future__ import annotations

from django import template

from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent

register = template.Library()

E = AuditEvent
ACTION_LABELS: dict[str, str] = {
    E.LOGIN: "ログイン", E.LOGIN_FAILED: "ログイン失敗", E.LOGIN_LOCKED: "アカウントのロック", E.LOGOUT: "ログアウト",
    E.RESIDENT_VIEW: "住民の閲覧", E.RESIDENT_SEARCH: "住民の検索", E.RESIDENT_IMPORT: "住民の取込",
    E.RESIDENT_CHANGE: "住民の変更", E.RESIDENT_EXPORT: "住民の出力",
    E.ACCESS_DENIED: "アクセスの拒否", E.BREAK_GLASS: "緊急閲覧",
    E.REGISTER_CHANGE: "事業台帳の変更", E.REGISTER_SUBMIT: "審議会への提出", E.REGISTER_DECIDE: "審議会の決定の記録",
    E.REGISTER_DOCUMENT: "台帳文書の出力", E.PROGRAM_ENROL: "事業への登録", E.PARTICIPANT_LIST: "事業の対象者の一覧",
    E.REGISTER_EVIDENCE: "証跡の記録", E.REGISTER_EVIDENCE_VIEW: "証跡ファイルの表示",
    E.CASE_VIEW: "申請の閲覧", E.CASE_LIST: "申請の一覧", E.CASE_IMPORT: "申請の取込", E.CASE_CHANGE: "申請の変更",
    E.CASE_TRANSITION: "申請の状態変更", E.DUPLICATE_CHECK: "重複の確認", E.DUPLICATE_SETTLE: "重複候補の判定",
    E.INQUIRY_LOG: "問合せの記録", E.NOTICE_RENDER: "通知書の作成",
    "case.attachment_add": "添付書類の追加", "case.attachment_view": "添付書類の閲覧",
    E.PAYMENT_BATCH: "支払バッチの操作", E.PAYMENT_EXPORT: "振込データの出力", E.PAYMENT_RESULT: "振込結果の取込",
    E.ACCOUNT_CHANGE: "口座の訂正", E.PAYMENT_VIEW: "支払の閲覧",
    E.BANK_CODE_CHANGE: "金融機関コードの統廃合の登録",
    E.HANDOVER_EXPORT: "受渡データの作成", E.HANDOVER_RETURN: "返却・消去の記録",
    E.ERASURE_DRY_RUN: "消去の試行", E.ERASURE_APPROVE: "消去の承認", E.ERASURE_EXECUTE: "消去の実行",
    E.KEY_ROTATION: "暗号鍵の更新",
    E.AUDIT_VIEW: "アクセスログの閲覧", E.AUDIT_ANALYSIS: "アクセスログの分析", E.AUDIT_VERIFY: "改ざんの検査", E.AUDIT_REKEY: "ログの鍵付きチェーンへの切替",
    E.AUDIT_DIGEST: "ログの日次ダイジェスト作成", E.BACKUP: "バックアップの取得", E.RESTORE: "バックアップからの復元",
    E.AUDIT_EXPORT: "アクセスログの出力",
    E.TERMINAL_REFUSED: "登録外の端末からの利用",
    E.ADMIN_USER: "利用者の管理", E.ADMIN_ORGANISATION: "組織の管理", E.ADMIN_ROLE_SETTING: "ロール設定の変更",
    E.ADMIN_TERMINAL: "端末の管理",
    E.API_TOKEN_ISSUE: "APIトークンの発行", E.API_TOKEN_REVOKE: "APIトークンの取消し",
}
CHANNEL_LABELS = {"web": "画面", "api": "API", "cli": "コマンド", "task": "バックグラウンド処理", "test": "テスト"}
ROLE_LABELS = {value: str(label) for value, label in Role.choices}


def action_label_of(code: str) -> str:
    return ACTION_LABELS.get(code, code)


@register.filter
def action_label(code: str) -> str:
    return action_label_of(code or "")


@register.filter
def role_label(code: str) -> str:
    return ROLE_LABELS.get(code or "", code or "")


@register.filter
def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code or "", code or "")
