"""Forms of the register screens (parsing only; the services do the work)."""

from __future__ import annotations

from typing import Any

from django import forms

from madoguchi.accounts.models import Organisation, OrganisationKind
from madoguchi.core.era import EraDateError, parse_date
from madoguchi.register.models import (
    AgendaKind,
    Certification,
    DecisionKind,
    FileKind,
    FlowNode,
    Medium,
    Outsourcing,
    ProgramType,
    Revision,
    SystemKind,
    Task,
)

REQUIRED = {"required": "%(label)sを入力してください。"}


class WarekiDateField(forms.DateField):
    """Accepts 2026-04-01, 令和8年4月1日 or R8.4.1."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if hasattr(value, "isoformat"):
            return value
        try:
            return parse_date(str(value))
        except EraDateError as exc:
            raise forms.ValidationError(f"日付として読めません（例: 2026-04-01、令和8年4月1日、R8.4.1）: {exc}") from exc


def date_field(label: str, required: bool = True) -> WarekiDateField:
    return WarekiDateField(label=label, required=required, help_text="例: 2026-04-01、令和8年4月1日、R8.4.1",
                           error_messages={"required": f"{label}を入力してください。"},
                           widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}))


def _labelled(form: forms.Form) -> None:
    for name, field in form.fields.items():
        field.error_messages.setdefault("required", f"{field.label or name}を入力してください。")
        field.error_messages["required"] = f"{field.label or name}を入力してください。"


class JaForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _labelled(self)


class ProgramForm(JaForm):
    code = forms.SlugField(label="事業コード", max_length=64, help_text="半角英数字とハイフン（例: crime-prevention-subsidy-2027）",
                           error_messages={"invalid": "事業コードは半角英数字・ハイフン・下線で入力してください。"})
    name = forms.CharField(label="事業名", max_length=200)
    program_type = forms.ChoiceField(label="事業類型", choices=[("", "選んでください"), *ProgramType.choices],
                                     help_text="事業の進め方の型です。型ごとに画面・通知・支払・受渡データが用意されています。",
                                     error_messages={"invalid_choice": "事業類型は一覧から選んでください。"})
    title = forms.CharField(label="件名", max_length=300, required=False, help_text="省略すると事業名を使います。")


class OverviewForm(JaForm):
    title = forms.CharField(label="件名", max_length=300)
    purpose = forms.CharField(label="目的", widget=forms.Textarea(attrs={"rows": 3}))
    target_persons = forms.CharField(label="対象者", widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label="事業内容", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    person_count = forms.CharField(label="対象人数", max_length=100, required=False, help_text="例: 1,000人")
    legal_basis = forms.CharField(label="根拠", max_length=300, required=False, help_text="例: 要綱第3条第1項第3号")
    start_date = date_field("事業開始日", required=False)
    end_date = date_field("事業終了日", required=False)
    retention_years = forms.IntegerField(label="保存年限（年）", required=False, min_value=0, max_value=100)
    retention_note = forms.CharField(label="保存・消去の定め", max_length=300, required=False)
    erase_on_withdrawal = forms.BooleanField(label="参加者の退会時に消去する", required=False)
    has_computer_processing = forms.BooleanField(label="電算処理がある", required=False)
    has_external_linkage = forms.BooleanField(label="外部結合がある", required=False)
    has_outsourcing = forms.BooleanField(label="業務委託がある", required=False)
    file_name = forms.CharField(label="個人情報ファイルの名称", max_length=200, required=False)
    collection_method = forms.CharField(label="収集方法", max_length=300, required=False)
    provision = forms.CharField(label="提供先", max_length=300, required=False)
    correction_procedures = forms.CharField(
        label="訂正及び利用停止に関する他の法令の特別の手続", max_length=300, required=False,
        help_text="他の法律やこれに基づく命令に特別の手続があるときに記入します。ないときは空欄にします。")
    council_name = forms.CharField(label="付議する会議体", max_length=100, required=False,
                                   help_text="空欄のときは区の既定の会議体です。例: 情報公開・個人情報保護審議会")
    agenda_kind = forms.ChoiceField(label="付議の種別", choices=AgendaKind.choices, initial=AgendaKind.DELIBERATION,
                                    required=False)
    change_summary = forms.CharField(label="今回の変更の概要", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                     help_text="改定のときに記入します。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_date") and data.get("end_date") and data["start_date"] > data["end_date"]:
            self.add_error("end_date", "事業終了日は事業開始日より後の日にしてください。")
        data["agenda_kind"] = data.get("agenda_kind") or AgendaKind.DELIBERATION
        return data


class ItemsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ScopeForm(JaForm):
    name = forms.CharField(label="個人の範囲", max_length=200, help_text="例: 防犯機器等購入緊急補助事業の申請者")
    items = ItemsField(label="記録項目", error_messages={"required": "記録項目を1つ以上選んでください。"})
    file_name = forms.CharField(label="記録する個人情報ファイル", max_length=200, required=False,
                                help_text="事業の個人情報ファイルと別のファイルに記録するときだけ、その名称を入力します。")
    file_kind = forms.ChoiceField(label="個人情報ファイルの種別", choices=FileKind.choices, initial=FileKind.COMPUTER,
                                  required=False)

    def __init__(self, *args: Any, item_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices  # type: ignore[attr-defined]
        self.fields["items"].error_messages["required"] = "記録項目を1つ以上選んでください。"


class SystemForm(JaForm):
    name = forms.CharField(label="名称", max_length=200, help_text="例: 補助管理システム")
    kind = forms.ChoiceField(label="種別", choices=SystemKind.choices)
    operator = forms.ModelChoiceField(label="運用者", queryset=Organisation.objects.all(), required=False)
    domestic_law = forms.BooleanField(label="日本国内の法令が適用されるサーバー", required=False, initial=True)
    location = forms.CharField(label="設置場所", max_length=200, required=False)
    reason = forms.CharField(label="電算処理の理由", widget=forms.Textarea(attrs={"rows": 3}))
    processing = forms.CharField(label="処理の内容", widget=forms.Textarea(attrs={"rows": 3}))
    schedule = forms.CharField(label="時期（開発・テスト・本稼働）", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class LinkageForm(JaForm):
    counterpart = forms.CharField(label="結合の相手方", max_length=200)
    items = ItemsField(label="結合する項目", required=False)
    reason = forms.CharField(label="結合する理由", widget=forms.Textarea(attrs={"rows": 3}))
    form = forms.CharField(label="結合の形態", max_length=300, help_text="例: 専用端末からVPNで接続")
    start_date = date_field("開始日", required=False)
    period = forms.CharField(label="期間", max_length=200, required=False)

    def __init__(self, *args: Any, item_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices  # type: ignore[attr-defined]


class OutsourcingForm(JaForm):
    parent = forms.ModelChoiceField(label="再委託元（再委託の場合）", queryset=Outsourcing.objects.none(), required=False,
                                    help_text="委託先から再委託する場合だけ選びます。")
    contractor = forms.ModelChoiceField(label="委託先", required=False, queryset=Organisation.objects.filter(
        kind__in=[OrganisationKind.CONTRACTOR, OrganisationKind.SUBCONTRACTOR]).exclude(code__startswith="tbd-"))
    to_be_named = forms.BooleanField(label="委託先は未定（後日指定）", required=False,
                                     help_text="委託先が決まったら新しい版で委託先を選び、審議会の承認を得ます。それまで個人情報は引き渡せません。")
    to_be_named_note = forms.CharField(label="未定の委託先の定め", max_length=200, required=False,
                                       help_text="例: 未定（入札により決定）、上記委託先が指定")
    certifications = forms.ModelMultipleChoiceField(label="認証（プライバシーマーク・ISMS等）", required=False,
                                                    queryset=Certification.objects.select_related("organisation"),
                                                    widget=forms.CheckboxSelectMultiple)
    items = ItemsField(label="取り扱わせる項目（記録項目から）", required=False)
    media_kinds = forms.MultipleChoiceField(label="媒体", choices=Medium.choices, widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "媒体を1つ以上選んでください。"})
    tasks = forms.MultipleChoiceField(label="業務", choices=Task.choices, widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "業務を1つ以上選んでください。"})
    task_description = forms.CharField(label="委託の内容", widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="委託の理由", widget=forms.Textarea(attrs={"rows": 3}))
    start_date = date_field("委託期間（開始）")
    end_date = date_field("委託期間（終了）")
    hands_over_data = forms.BooleanField(label="委託先に個人情報を引き渡す", required=False, initial=True)
    measures_text = forms.CharField(label="この委託に固有の対策", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                    help_text="チェックリストのほかに、この委託先で行う対策（施錠保管・シュレッダー処理など）を記入します。")

    def __init__(self, *args: Any, revision: Revision, item_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Outsourcing.objects.filter(revision=revision, parent__isnull=True).select_related("contractor")
        self.fields["parent"].queryset = qs  # type: ignore[attr-defined]
        self.fields["items"].choices = item_choices  # type: ignore[attr-defined]
        for name in ("media_kinds", "tasks"):
            self.fields[name].error_messages["required"] = f"{self.fields[name].label}を1つ以上選んでください。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_date") and data.get("end_date") and data["start_date"] > data["end_date"]:
            self.add_error("end_date", "委託期間の終了日は開始日より後の日にしてください。")
        if not data.get("to_be_named") and data.get("contractor") is None and "contractor" not in self.errors:
            self.add_error("contractor", "委託先を選んでください（まだ決まっていないときは「委託先は未定」にします）。")
        return data


class CertificationForm(JaForm):
    organisation = forms.ModelChoiceField(label="事業者", queryset=Organisation.objects.filter(
        kind__in=[OrganisationKind.CONTRACTOR, OrganisationKind.SUBCONTRACTOR]))
    name = forms.CharField(label="認証の名称", max_length=100, help_text="例: プライバシーマーク、ISMS（ISO/IEC 27001）")
    number = forms.CharField(label="登録番号", max_length=100, required=False)
    valid_from = date_field("有効期間（開始）")
    valid_until = date_field("有効期間（終了）")


class FlowStepForm(JaForm):
    flow_no = forms.IntegerField(label="流れの番号", min_value=1, max_value=9, initial=1, required=False,
                                 help_text="流れ図が複数あるとき（例: プッシュ型・申請型・委託）に、2、3…と分けます。")
    flow_title = forms.CharField(label="流れの名称", max_length=100, required=False,
                                 help_text="例: 申請型。同じ流れの2つ目以降の手順では空欄のままで構いません。")
    number = forms.IntegerField(label="番号", min_value=1, max_value=99, help_text="流れごとに1から付けます。")
    source_kind = forms.ChoiceField(label="送り手の種類", choices=FlowNode.choices)
    source = forms.CharField(label="送り手", max_length=100, help_text="例: 申請者、危機管理課、補助管理システム")
    target_kind = forms.ChoiceField(label="受け手の種類", choices=FlowNode.choices)
    target = forms.CharField(label="受け手", max_length=100)
    items = ItemsField(label="項目", required=False)
    medium = forms.ChoiceField(label="媒体", choices=[("", "（なし・電話等）"), *Medium.choices], required=False)
    note = forms.CharField(label="内容", max_length=200, help_text="例: 交付決定通知書の発送")

    def __init__(self, *args: Any, item_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices  # type: ignore[attr-defined]


class DecisionForm(JaForm):
    outcome = forms.ChoiceField(label="結果", choices=[("approve", "承認・了承・報告済みとして記録する"),
                                                    ("return", "差し戻す")], widget=forms.RadioSelect)
    kind = forms.ChoiceField(label="決定の種別", choices=[("", "選んでください"), *DecisionKind.choices], required=False)
    decided_on = date_field("決定日", required=False)
    meeting = forms.CharField(label="審議会の回", max_length=100, required=False, help_text="例: 令和8年度第1回")
    comments = forms.CharField(label="審議会の意見・差戻しの理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "approve":
            for name in ("kind", "decided_on", "meeting"):
                if not data.get(name):
                    self.add_error(name, f"{self.fields[name].label}を入力してください。")
        elif data.get("outcome") == "return" and not (data.get("comments") or "").strip():
            self.add_error("comments", "差し戻す理由を入力してください。")
        return data


class WithdrawalForm(JaForm):
    withdrawn_on = date_field("廃止の決定日")
    meeting = forms.CharField(label="審議会の回", max_length=100, help_text="例: 令和8年度第3回")
    reason = forms.CharField(label="廃止の理由", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="担当課の申出がある場合は、その理由が入っています。")


class WithdrawalRequestForm(JaForm):
    reason = forms.CharField(label="廃止の理由", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="例: 令和8年度末で事業を終了するため")


class MeasureForm(JaForm):
    text = forms.CharField(label="対策", widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label="使用する", required=False)


class ClauseForm(JaForm):
    heading = forms.CharField(label="見出し", max_length=100)
    text = forms.CharField(label="条文", widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label="使用する", required=False)
