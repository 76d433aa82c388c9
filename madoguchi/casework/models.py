"""Applications and cases of application subsidies (申請型補助金), their history, duplicates, inquiries
and notices.

A case's status changes only through :mod:`madoguchi.casework.services.transitions`; every change writes
a :class:`CaseEvent` and an access-log row in the same transaction.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.crypto import EncryptedTextField
from madoguchi.core.jobs import BackgroundJob


class Status(models.TextChoices):
    RECEIVED = "received", _("受付")
    UNDER_REVIEW = "under_review", _("審査中")
    CORRECTION_REQUESTED = "correction_requested", _("補正依頼中")
    RE_REVIEW = "re_review", _("再審査中")
    GRANTED = "granted", _("交付決定")
    NOT_GRANTED = "not_granted", _("不交付決定")
    QUEUED = "queued_for_payment", _("支払準備中")
    PAID = "paid", _("支払済み")
    TRANSFER_FAILED = "transfer_failed", _("振込不能（口座確認中）")
    RETRANSFER = "retransfer", _("再振込待ち")
    CLOSED = "closed", _("完了")


class Source(models.TextChoices):
    EFORM = "eform", _("電子申請（LoGoフォーム）")
    PAPER = "paper", _("紙の申請書")


class AccountType(models.TextChoices):
    ORDINARY = "1", _("普通")
    CURRENT = "2", _("当座")
    SAVINGS = "4", _("貯蓄")
    OTHER = "9", _("その他")


class FormProfile(models.Model):
    """A saved column mapping of one e-form's CSV export (LoGoフォームの列 → 申請項目)."""

    program = models.ForeignKey("register.Program", on_delete=models.CASCADE, related_name="form_profiles")
    name = models.CharField(_("名称"), max_length=200)
    form_ref = models.CharField(_("フォームID・URL"), max_length=300, blank=True)
    mapping = models.JSONField(_("列の対応"), default=dict)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.CharField(_("更新者"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("取込設定（列の対応）")
        verbose_name_plural = _("取込設定（列の対応）")
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="form_profile_unique_name")]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    program = models.ForeignKey("register.Program", on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("受付番号"), max_length=30)
    source = models.CharField(_("申請方法"), max_length=8, choices=Source.choices, default=Source.EFORM)
    response_id = models.CharField(_("フォーム回答ID"), max_length=100, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("状態"), max_length=24, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    status_changed_at = models.DateTimeField(_("状態の変更日時"))
    assigned_to = models.ForeignKey("accounts.User", verbose_name=_("担当者"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resident = models.ForeignKey("residents.Resident", verbose_name=_("住民"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="cases")
    # applicant (申請者)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名フリガナ"), max_length=200, blank=True)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.CharField(_("メールアドレス"), max_length=254, blank=True)
    household_head = models.CharField(_("世帯主氏名"), max_length=100, blank=True)
    household_relation = models.CharField(_("世帯主との続柄"), max_length=20, blank=True)
    application_amount = models.PositiveIntegerField(_("補助申請額"), default=0)
    # transfer account (振込先)
    bank_name = models.CharField(_("金融機関名"), max_length=60, blank=True)
    bank_code = models.CharField(_("金融機関コード"), max_length=4, blank=True)
    branch_name = models.CharField(_("支店名"), max_length=60, blank=True)
    branch_code = models.CharField(_("支店コード"), max_length=3, blank=True)
    account_type = models.CharField(_("預金種目"), max_length=1, choices=AccountType.choices, blank=True)
    account_number = EncryptedTextField(_("口座番号"), blank=True)
    account_holder = models.CharField(_("口座名義"), max_length=100, blank=True)
    account_holder_kana = models.CharField(_("口座名義フリガナ"), max_length=60, blank=True)
    account_problem = models.CharField(_("口座の不備"), max_length=300, blank=True)
    pledges = models.JSONField(_("誓約・同意"), default=dict, blank=True)
    attachments = models.JSONField(_("添付書類"), default=list, blank=True)
    # dates (進捗)
    application_date = models.DateField(_("申請日"), null=True, blank=True)
    # the e-form's timestamp when the form profile maps one (first-come order); the time is kept
    applied_at = models.DateTimeField(_("申請日時"), null=True, blank=True)
    received_on = models.DateField(_("受付日"))
    reviewed_on = models.DateField(_("審査日"), null=True, blank=True)
    correction_requested_on = models.DateField(_("補正依頼日"), null=True, blank=True)
    correction_content = models.TextField(_("補正の内容"), blank=True)
    decided_on = models.DateField(_("決定日"), null=True, blank=True)
    decision_reason = models.TextField(_("決定の理由"), blank=True)
    granted_amount = models.PositiveIntegerField(_("補助決定額"), null=True, blank=True)
    paid_on = models.DateField(_("支払日"), null=True, blank=True)
    payment_note = models.CharField(_("入金状況"), max_length=300, blank=True)
    # match keys (never shown)
    name_key = models.CharField(max_length=100, blank=True, db_index=True)
    kana_key = models.CharField(max_length=200, blank=True)
    address_key = models.CharField(max_length=300, blank=True, db_index=True)
    household_key = models.CharField(max_length=300, blank=True, db_index=True)
    created_by = models.CharField(_("入力者"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="case_unique_number"),
            models.UniqueConstraint(fields=["program", "response_id"], condition=~models.Q(response_id=""),
                                    name="case_unique_response"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def purchase_total(self) -> int:
        return sum(line.total for line in self.purchases.all())


class PurchaseLine(models.Model):
    """購入した防犯対策用品 (item, date, shop, cost) and its installation work."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="purchases")
    item = models.CharField(_("品目"), max_length=200)
    purchase_date = models.DateField(_("購入日"), null=True, blank=True)
    shop = models.CharField(_("購入店舗"), max_length=200, blank=True)
    cost = models.PositiveIntegerField(_("購入費用（円）"), default=0)
    installation = models.BooleanField(_("設置工事あり"), default=False)
    installation_cost = models.PositiveIntegerField(_("設置工事費（円）"), default=0)

    class Meta:
        verbose_name = _("購入機器")
        verbose_name_plural = _("購入機器")
        ordering = ["id"]

    @property
    def total(self) -> int:
        return self.cost + self.installation_cost


class CaseEvent(models.Model):
    """One step in a case's history (状態の変更, 補正依頼, 口座訂正 …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("日時"))
    on = models.DateField(_("日付"))
    actor = models.CharField(_("操作者"), max_length=150)
    organisation = models.CharField(_("所属"), max_length=64, blank=True)
    from_status = models.CharField(_("変更前"), max_length=24, blank=True)
    to_status = models.CharField(_("変更後"), max_length=24, blank=True)
    note = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("経過")
        verbose_name_plural = _("経過")
        ordering = ["at", "id"]


class CaseAttachment(models.Model):
    """An attachment file of an application (領収書, 保証書, 設置写真 …).

    The file is stored privately under ``MEDIA_ROOT`` (``path`` is relative to it; never served statically)
    and read only through :mod:`madoguchi.casework.services.attachments`, which checks the policy and logs.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachment_files")
    kind = models.CharField(_("書類の種類"), max_length=100)
    original_name = models.CharField(_("元のファイル名"), max_length=200)
    content_type = models.CharField(_("形式"), max_length=40)
    size = models.PositiveIntegerField(_("大きさ（バイト）"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300, unique=True)
    uploaded_by = models.CharField(_("登録者"), max_length=150)
    uploaded_at = models.DateTimeField(_("登録日時"))

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        ordering = ["kind", "uploaded_at", "id"]


class ResentResponse(models.Model):
    """A response re-sent by the e-form with different content: flagged for staff, never overwritten."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="resent")
    received_at = models.DateTimeField(_("取込日時"))
    content_hash = models.CharField(max_length=64)
    payload = models.JSONField(_("再送された内容"))
    differences = models.JSONField(_("相違する項目"), default=list)
    settled = models.BooleanField(_("確認済み"), default=False)

    class Meta:
        verbose_name = _("再送された回答")
        verbose_name_plural = _("再送された回答")
        constraints = [models.UniqueConstraint(fields=["case", "content_hash"], name="resent_unique_content")]


class PastGranteeList(models.Model):
    program = models.ForeignKey("register.Program", on_delete=models.CASCADE, related_name="past_grantee_lists")
    name = models.CharField(_("名称"), max_length=200)
    imported_at = models.DateTimeField(_("取込日時"), auto_now_add=True)
    imported_by = models.CharField(_("取込者"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("過去の交付決定者リスト")
        verbose_name_plural = _("過去の交付決定者リスト")

    def __str__(self) -> str:
        return self.name


class PastGrantee(models.Model):
    """A past grantee: 住所 and 氏名 only (as registered)."""

    grantee_list = models.ForeignKey(PastGranteeList, on_delete=models.CASCADE, related_name="grantees")
    name = models.CharField(_("氏名"), max_length=100)
    address = models.CharField(_("住所"), max_length=300)
    name_key = models.CharField(max_length=100, blank=True, db_index=True)
    address_key = models.CharField(max_length=300, blank=True, db_index=True)

    class Meta:
        verbose_name = _("過去の交付決定者")
        verbose_name_plural = _("過去の交付決定者")


class CandidateKind(models.TextChoices):
    PAST_GRANTEE = "past_grantee", _("過去の交付決定者")
    SAME_HOUSEHOLD = "same_household", _("同一世帯の申請")


class Settlement(models.TextChoices):
    OPEN = "open", _("未確認")
    DUPLICATE = "duplicate", _("重複")
    NOT_DUPLICATE = "not_duplicate", _("重複ではない")


class DuplicateCandidate(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_candidates")
    kind = models.CharField(_("種別"), max_length=20, choices=CandidateKind.choices)
    other_case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    past_grantee = models.ForeignKey(PastGrantee, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("一致度"))
    verdict = models.CharField(_("判定"), max_length=10)  # match | possible
    reasons = models.JSONField(_("理由"), default=list)
    settlement = models.CharField(_("確認結果"), max_length=16, choices=Settlement.choices, default=Settlement.OPEN)
    settled_reason = models.TextField(_("確認の理由"), blank=True)
    settled_by = models.CharField(_("確認者"), max_length=150, blank=True)
    settled_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    found_at = models.DateTimeField(_("検出日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("重複の候補")
        verbose_name_plural = _("重複の候補")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["case", "past_grantee"], condition=models.Q(past_grantee__isnull=False),
                                    name="candidate_unique_grantee"),
            models.UniqueConstraint(fields=["case", "other_case"], condition=models.Q(other_case__isnull=False),
                                    name="candidate_unique_case"),
        ]


class Channel(models.TextChoices):
    PHONE = "phone", _("電話")
    COUNTER = "counter", _("窓口")
    EMAIL = "email", _("メール")
    LETTER = "letter", _("郵送")
    OTHER = "other", _("その他")


class Inquiry(models.Model):
    """問合せ対応履歴."""

    program = models.ForeignKey("register.Program", on_delete=models.PROTECT, related_name="inquiries")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries")
    resident = models.ForeignKey("residents.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    at = models.DateTimeField(_("受付日時"))
    channel = models.CharField(_("受付方法"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    caller = models.CharField(_("問合せ者"), max_length=100)
    question = models.TextField(_("問合せ内容"))
    answer = models.TextField(_("回答内容"), blank=True)
    responder = models.CharField(_("対応者"), max_length=150)
    organisation = models.CharField(_("対応者の所属"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("問合せ対応履歴")
        verbose_name_plural = _("問合せ対応履歴")
        ordering = ["-at", "-id"]


class NoticeKind(models.TextChoices):
    GRANT = "grant", _("交付決定通知書")
    REFUSAL = "refusal", _("不交付決定通知書")
    CORRECTION = "correction", _("補正依頼書")


class NoticeTemplate(models.Model):
    """Wording of a notice that staff edit (Django template language; variables are listed on the screen)."""

    program = models.ForeignKey("register.Program", on_delete=models.CASCADE, related_name="notice_templates")
    kind = models.CharField(_("種類"), max_length=12, choices=NoticeKind.choices)
    form_label = models.CharField(_("様式番号"), max_length=100, blank=True)
    doc_prefix = models.CharField(_("文書番号の記号"), max_length=40, default="危機")
    title = models.CharField(_("表題"), max_length=200)
    body = models.TextField(_("本文"))
    record = models.TextField(_("記"), blank=True)
    appeal = models.TextField(_("教示"), blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.CharField(_("更新者"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("通知書の文面")
        verbose_name_plural = _("通知書の文面")
        constraints = [models.UniqueConstraint(fields=["program", "kind"], name="notice_template_unique")]

    def __str__(self) -> str:
        return self.title


class Notice(models.Model):
    """An issued notice: its number stays the same when it is reprinted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("種類"), max_length=12, choices=NoticeKind.choices)
    serial = models.PositiveIntegerField(_("連番"))
    number = models.CharField(_("文書番号"), max_length=60)
    issued_on = models.DateField(_("発行日"))
    printed_count = models.PositiveIntegerField(_("印刷回数"), default=0)

    class Meta:
        verbose_name = _("通知書")
        verbose_name_plural = _("通知書")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "issued_on"], name="notice_unique_per_day"),
        ]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class NoticeJob(BackgroundJob):
    """A batch of notices rendered into one multi-page PDF, with progress (``done`` / ``total``) the page
    polls.  Rendering is one transaction (notice numbers): a job whose worker died changed nothing and is
    queued again (ADR 0012)."""

    ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
    RUNNER = "madoguchi.casework.services.notices.run"
    FAILURE_FIELD = "error"
    RESUMABLE = True

    program = models.ForeignKey("register.Program", on_delete=models.CASCADE, related_name="notice_jobs")
    kind = models.CharField(_("種類"), max_length=12, choices=NoticeKind.choices)
    case_ids = models.JSONField(default=list)
    status = models.CharField(_("状態"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("件数"), default=0)
    done = models.PositiveIntegerField(_("作成済み"), default=0)
    pdf = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.CharField(_("依頼者"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("通知書の一括作成")
        verbose_name_plural = _("通知書の一括作成")
        ordering = ["-created_at"]
