"""The register (台帳): programs and their registrations, revision by revision.

Everything the council approves hangs off a :class:`Revision`.  An approved revision is frozen; a change
starts a new draft revision copied from the approved one.  The access policy is derived from the newest
approved revision of each program.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.models import Organisation


class ItemCategory(models.TextChoices):
    IDENTITY = "identity", _("本人識別")
    CONTACT = "contact", _("連絡先")
    HOUSEHOLD = "household", _("世帯")
    FINANCIAL = "financial", _("口座・金銭")
    TAX = "tax", _("税")
    HEALTH = "health", _("健康")
    SPECIAL_CARE = "special_care", _("要配慮個人情報")
    MY_NUMBER = "my_number", _("特定個人情報（マイナンバー）")
    PROGRAM = "program", _("事業固有")
    OTHER = "other", _("その他")


class DataItem(models.Model):
    """The catalogue of recorded items (記録項目).  ``key`` names the field in operations' data."""

    key = models.SlugField(_("キー"), max_length=64, unique=True)
    name = models.CharField(_("項目名"), max_length=100)
    category = models.CharField(_("分類"), max_length=20, choices=ItemCategory.choices)
    sensitive = models.BooleanField(_("保存時に暗号化"), default=False)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("記録項目")
        verbose_name_plural = _("記録項目カタログ")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class ProgramType(models.TextChoices):
    """The fixed list of program types (ADR 0010).  Each is implemented by one package under
    ``madoguchi/programs/types/<value>/`` that registers its spec; the contract test fails on a value
    without a spec or a spec without a value."""

    APPLICATION_SUBSIDY = "application_subsidy", _("申請型補助金")
    PUSH_ALLOWANCE = "push_allowance", _("プッシュ型給付（申請型併用）")
    COHORT_MAILING = "cohort_mailing", _("対象者抽出・郵送")
    POINTS_SCHEME = "points_scheme", _("ポイント事業")
    MIGRATION_CHECK = "migration_check", _("システム移行検証")


class Program(models.Model):
    code = models.SlugField(_("事業コード"), max_length=64, unique=True)
    name = models.CharField(_("事業名"), max_length=200)
    department = models.ForeignKey(Organisation, verbose_name=_("担当課"), on_delete=models.PROTECT,
                                   related_name="programs")
    program_type = models.CharField(_("事業類型"), max_length=40, blank=True, choices=ProgramType.choices)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("事業")
        verbose_name_plural = _("事業")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def approved_revision(self) -> Revision | None:
        return self.revisions.filter(status=RevisionStatus.APPROVED).order_by("-number").first()


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("審議会へ提出済み")
    APPROVED = "approved", _("承認済み")
    RETURNED = "returned", _("差戻し")
    SUPERSEDED = "superseded", _("改定により失効")
    WITHDRAWN = "withdrawn", _("廃止")


class DecisionKind(models.TextChoices):
    APPROVAL = "承認", _("承認")
    ACKNOWLEDGED = "了承", _("了承")
    REPORT = "報告", _("報告")


class AgendaKind(models.TextChoices):
    """How a registration goes before the council: 付議 (for decision), 諮問 (for its opinion), 報告 (report)."""

    DELIBERATION = "付議", _("付議事項")
    CONSULTATION = "諮問", _("諮問事項")
    REPORT = "報告", _("報告事項")


class Revision(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版"))
    status = models.CharField(_("状態"), max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("改定元"))
    # 事業の概要
    title = models.CharField(_("件名"), max_length=300)
    purpose = models.TextField(_("目的"), blank=True)
    target_persons = models.TextField(_("対象者"), blank=True)
    content = models.TextField(_("事業内容"), blank=True)
    person_count = models.CharField(_("対象人数"), max_length=100, blank=True)
    legal_basis = models.CharField(_("根拠法令等"), max_length=300, blank=True)
    start_date = models.DateField(_("事業開始日"), null=True, blank=True)
    end_date = models.DateField(_("事業終了日"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(_("保存年限（事業終了後の年数）"), null=True, blank=True)
    erase_on_withdrawal = models.BooleanField(_("参加者の退会時に消去"), default=False)
    retention_note = models.CharField(_("保存・消去の定め"), max_length=300, blank=True)
    has_computer_processing = models.BooleanField(_("電算処理"), default=False)
    has_external_linkage = models.BooleanField(_("外部結合"), default=False)
    has_outsourcing = models.BooleanField(_("業務委託"), default=False)
    # 個人情報ファイル簿
    file_name = models.CharField(_("個人情報ファイルの名称"), max_length=200, blank=True)
    collection_method = models.CharField(_("収集方法"), max_length=300, blank=True)
    provision = models.CharField(_("提供先"), max_length=300, blank=True)
    correction_procedures = models.CharField(
        _("訂正及び利用停止に関する他の法令の特別の手続"), max_length=300, blank=True,
        help_text=_("他の法律又はこれに基づく命令に特別の手続の定めがあるときに記入します。"))
    change_summary = models.TextField(_("今回の変更の概要"), blank=True)
    # Council
    council_name = models.CharField(_("付議する会議体"), max_length=100, blank=True,
                                    help_text=_("空欄のときは区の既定の会議体（運用ガイド「区の設定」）に付議します。"))
    agenda_kind = models.CharField(_("付議の種別"), max_length=2, choices=AgendaKind.choices,
                                   default=AgendaKind.DELIBERATION)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    decided_on = models.DateField(_("決定日"), null=True, blank=True)
    meeting = models.CharField(_("審議会の回"), max_length=100, blank=True)
    decision_kind = models.CharField(_("決定の種別"), max_length=4, choices=DecisionKind.choices, blank=True)
    council_comments = models.TextField(_("審議会の意見"), blank=True)
    snapshot = models.JSONField(_("承認時の内容"), null=True, blank=True)
    # 廃止: requested by the department, decided by the council and recorded by the privacy office
    withdrawal_requested_at = models.DateTimeField(_("廃止の申出日時"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("廃止の理由"), blank=True)
    withdrawn_on = models.DateField(_("廃止の決定日"), null=True, blank=True)
    withdrawal_meeting = models.CharField(_("廃止を決定した審議会の回"), max_length=100, blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("作成者"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("登録（版）")
        verbose_name_plural = _("登録（版）")
        ordering = ["program", "-number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.program.code} 第{self.number}版"

    @property
    def is_frozen(self) -> bool:
        return self.status != RevisionStatus.DRAFT and self.status != RevisionStatus.RETURNED


class FileKind(models.TextChoices):
    """個人情報ファイルの種別 (個人情報保護法第60条第2項第1号・第2号)."""

    COMPUTER = "電算処理ファイル", _("電算処理ファイル")
    MANUAL = "マニュアル処理ファイル", _("マニュアル処理ファイル")


class PersonScope(models.Model):
    """個人の範囲: e.g. 申請者, 過去の交付決定者.

    Each scope's records belong to one personal-information file (個人情報ファイル): the revision's own
    (``file_name`` blank) or another one named here; the file register has one row per file.
    """

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="scopes")
    name = models.CharField(_("個人の範囲"), max_length=200)
    order = models.PositiveIntegerField(default=0)
    file_name = models.CharField(_("個人情報ファイルの名称"), max_length=200, blank=True,
                                 help_text=_("空欄のときは事業の個人情報ファイルに記録します。"))
    file_kind = models.CharField(_("個人情報ファイルの種別"), max_length=20, choices=FileKind.choices,
                                 default=FileKind.COMPUTER)

    class Meta:
        verbose_name = _("個人の範囲")
        verbose_name_plural = _("個人の範囲")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class RecordedItem(models.Model):
    scope = models.ForeignKey(PersonScope, on_delete=models.CASCADE, related_name="recorded_items")
    item = models.ForeignKey(DataItem, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("記録項目")
        verbose_name_plural = _("記録項目")
        constraints = [models.UniqueConstraint(fields=["scope", "item"], name="recorded_item_unique")]


class SystemKind(models.TextChoices):
    OWN = "own", _("区のシステム")
    CONTRACTOR_HOSTED = "contractor_hosted", _("委託先のシステム")
    CLOUD = "cloud", _("クラウドサービス")
    GOV_CLOUD = "gov_cloud", _("ガバメントクラウド")
    STANDALONE = "standalone", _("スタンドアロン端末")


class System(models.Model):
    """記録するコンピュータ and its 電算処理."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="systems")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=20, choices=SystemKind.choices)
    operator = models.ForeignKey(Organisation, verbose_name=_("運用者"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    domestic_law = models.BooleanField(_("国内法が適用されるサーバー"), default=True)
    location = models.CharField(_("設置場所"), max_length=200, blank=True)
    reason = models.TextField(_("電算処理の理由"), blank=True)
    processing = models.TextField(_("処理の内容"), blank=True)
    schedule = models.TextField(_("日程（開発・テスト・本稼働）"), blank=True)

    class Meta:
        verbose_name = _("記録するコンピュータ")
        verbose_name_plural = _("記録するコンピュータ")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Linkage(models.Model):
    """外部結合."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="linkages")
    counterpart = models.CharField(_("結合先"), max_length=200)
    items = models.ManyToManyField(DataItem, verbose_name=_("結合する項目"), related_name="+", blank=True)
    reason = models.TextField(_("理由"), blank=True)
    form = models.CharField(_("結合の形態"), max_length=300, blank=True)
    start_date = models.DateField(_("開始日"), null=True, blank=True)
    period = models.CharField(_("期間"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("外部結合")
        verbose_name_plural = _("外部結合")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.counterpart


class Medium(models.TextChoices):
    PAPER = "paper", _("紙")
    ELECTRONIC = "electronic", _("電子データ（オンライン）")
    CD_R = "cd_r", _("CD-R")
    DVD_R = "dvd_r", _("DVD-R")
    USB = "usb", _("USBメモリ")
    CONTRACTOR_SERVER = "contractor_server", _("委託先サーバー")
    VPN = "vpn", _("VPN経由の端末操作")
    TRANSFER_FILE = "transfer_file", _("振込データファイル")


class Task(models.TextChoices):
    DATA_ENTRY = "data_entry", _("データ入力")
    REVIEW_SUPPORT = "review_support", _("審査補助")
    NOTICES = "notices", _("通知書作成")
    PRINTING = "printing", _("印刷")
    ENCLOSURE = "enclosure", _("封入封緘・発送")
    INQUIRIES = "inquiries", _("問合せ対応")
    SYSTEM_OPERATION = "system_operation", _("システム運用保守")
    MIGRATION = "migration", _("データ移行")
    PAYMENT = "payment", _("振込事務")
    POINTS = "points", _("ポイント管理")


class Outsourcing(models.Model):
    """業務委託 (parent empty) or 再委託 (parent = the contractor's outsourcing)."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="outsourcings")
    parent = models.ForeignKey("self", verbose_name=_("再委託元"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="subcontracts")
    contractor = models.ForeignKey(Organisation, verbose_name=_("委託先"), on_delete=models.PROTECT,
                                   related_name="outsourcings")
    items = models.ManyToManyField(DataItem, verbose_name=_("取り扱う項目"), related_name="+", blank=True)
    media = models.JSONField(_("媒体"), default=list, blank=True)
    tasks = models.JSONField(_("業務"), default=list, blank=True)
    task_description = models.TextField(_("委託内容"), blank=True)
    reason = models.TextField(_("委託の理由"), blank=True)
    start_date = models.DateField(_("委託期間（開始）"))
    end_date = models.DateField(_("委託期間（終了）"))
    hands_over_data = models.BooleanField(_("個人情報を引き渡す"), default=True)
    # A contractor chosen later (seed 003's enclosure contractor 未定; seed 001's sub-contractor 「上記委託先が
    # 指定」): ``contractor`` is then a placeholder organisation without users, and nothing is handed over
    # until a new revision names the real one and is approved.
    to_be_named = models.BooleanField(_("委託先は未定（後日指定）"), default=False)
    to_be_named_note = models.CharField(_("未定の委託先の定め"), max_length=200, blank=True,
                                        help_text=_("例: 未定（入札により決定）、上記委託先が指定"))
    measures_text = models.TextField(_("この委託に固有の対策"), blank=True,
                                     help_text=_("チェックリストのほかに、この委託先・再委託先で行う対策を記入します。"))
    certifications: models.ManyToManyField[Certification, Any] = models.ManyToManyField("Certification", verbose_name=_("認証"), related_name="+", blank=True)

    class Meta:
        verbose_name = _("業務委託")
        verbose_name_plural = _("業務委託")
        ordering = ["id"]

    def __str__(self) -> str:
        kind = "再委託" if self.parent_id else "委託"
        return f"{kind}: {self.contractor}"


class Certification(models.Model):
    """A contractor's certification (プライバシーマーク, ISMS …) and its validity."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("認証"), max_length=100)
    number = models.CharField(_("登録番号"), max_length=100, blank=True)
    valid_from = models.DateField(_("有効期間（開始）"))
    valid_until = models.DateField(_("有効期間（終了）"))

    class Meta:
        verbose_name = _("認証")
        verbose_name_plural = _("認証")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from}〜{self.valid_until}）"


class Participation(models.Model):
    """A resident's part in a program (applicant, recipient, participant, cohort member).

    Written by the operations that bring a resident into a program; the access policy scopes
    contractors' sight of residents through it.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participations")
    resident = models.ForeignKey("residents.Resident", on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(_("立場"), max_length=40, blank=True)
    since = models.DateTimeField(_("開始日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("事業への参加")
        verbose_name_plural = _("事業への参加")
        constraints = [models.UniqueConstraint(fields=["program", "resident"], name="participation_unique")]


# Checklists, clause sets and the data flow live in their own module to keep this one short.
from madoguchi.register.council_models import (  # noqa: E402, F401
    ChecklistAnswer,
    ChecklistAspect,
    ChecklistKind,
    ChecklistMeasure,
    ChecklistSide,
    ChecklistTemplate,
    Clause,
    ClauseParty,
    ClauseSet,
    FlowNode,
    FlowStep,
    MeasureAnswer,
)
from madoguchi.register.evidence_models import Evidence, EvidenceKind  # noqa: E402, F401
