"""Forms of the payments screens: parse and check the shape of input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from madoguchi.core.banking import YUCHO_BANK_CODE, AccountError, yucho_to_zengin
from madoguchi.payments.models import AccountType, LineEnding


class BatchCreateForm(forms.Form):
    program = forms.ChoiceField(label="事業")
    transfer_date = forms.DateField(label="振込指定日", widget=forms.DateInput(attrs={"type": "date"}),
                                    help_text="銀行の営業日を指定します（土日・祝日・12月31日〜1月3日は指定できません）。")
    skip_invalid = forms.BooleanField(label="誤りのある支払を除いて作成する", required=False)

    def __init__(self, *args: Any, programs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = programs  # type: ignore[attr-defined]


class RetransferForm(forms.Form):
    program = forms.ChoiceField(label="事業")
    transfer_date = forms.DateField(label="振込指定日", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, programs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = programs  # type: ignore[attr-defined]


class ResultUploadForm(forms.Form):
    file = forms.FileField(label="振込結果ファイル",
                           help_text="銀行から返された全銀形式の結果ファイル、または CSV（顧客コード・受取人・金額・結果・理由）。")


class MarkResultForm(forms.Form):
    result = forms.ChoiceField(label="結果", choices=[("paid", "振込済み"), ("failed", "振込不能")])
    reason = forms.CharField(label="不能の理由", required=False, max_length=200)


class AccountCorrectionForm(forms.Form):
    """Either bank/branch codes and account number, or ゆうちょ 記号・番号."""

    bank_code = forms.CharField(label="金融機関コード（4桁）", required=False, max_length=4)
    branch_code = forms.CharField(label="支店コード（3桁）", required=False, max_length=3)
    account_type = forms.ChoiceField(label="預金種目", choices=AccountType.choices, initial=AccountType.ORDINARY)
    account_number = forms.CharField(label="口座番号（7桁）", required=False, max_length=7)
    yucho_kigo = forms.CharField(label="ゆうちょ銀行の記号（5桁）", required=False, max_length=5)
    yucho_bango = forms.CharField(label="ゆうちょ銀行の番号（8桁まで）", required=False, max_length=8)
    holder_kana = forms.CharField(label="口座名義（カナ）", max_length=60,
                                  help_text="通帳のとおりにカナで入力します。小さい字・長音「ー」・「・」は自動で直します。漢字は使えません。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kigo = (data.get("yucho_kigo") or "").strip()
        bango = (data.get("yucho_bango") or "").strip()
        if kigo or bango:
            try:
                yucho = yucho_to_zengin(kigo, bango)
            except AccountError as exc:
                for field, reason in exc.errors.items():
                    self.add_error("yucho_kigo" if field == "kigo" else "yucho_bango", reason)
                return data
            data.update(bank_code=YUCHO_BANK_CODE, branch_code=yucho.branch_code, account_type=yucho.account_type,
                        account_number=yucho.account_number)
        return data


class ProfileForm(forms.Form):
    requester_code = forms.CharField(label="委託者コード（10桁）", max_length=10,
                                     help_text="総合振込の契約で銀行から割り当てられた振込依頼人コードです。")
    requester_name = forms.CharField(label="振込依頼人名（カナ）", max_length=60,
                                     help_text="半角カナに直して40文字まで。例: ｼﾝｼﾞﾕｸｸ ｷｷｶﾝﾘｶ")
    bank_code = forms.CharField(label="仕向銀行コード（4桁）", max_length=4)
    branch_code = forms.CharField(label="仕向支店コード（3桁）", max_length=3)
    account_type = forms.ChoiceField(label="預金種目", choices=[("1", "普通"), ("2", "当座"), ("9", "その他")])
    account_number = forms.CharField(label="口座番号（7桁）", max_length=7)
    line_ending = forms.ChoiceField(label="改行コード", choices=LineEnding.choices,
                                    help_text="銀行の指定に合わせます（多くは CR+LF）。")
    designation = forms.ChoiceField(label="振込指定区分", choices=[("7", "7 テレ振込"), ("8", "8 文書振込"),
                                                                 (" ", "空白（使わない銀行）")])
    extra_symbols = forms.CharField(label="名義に使える追加の記号", max_length=4, required=False,
                                    help_text="銀行が認める場合だけ「/」「,」を入れます。")
    purpose = forms.CharField(label="支払の目的", max_length=100, required=False)
