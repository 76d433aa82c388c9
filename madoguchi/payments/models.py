"""Payment profiles, batches, items (the snapshot that is paid) and the Zengin files produced.

No double payment is a property of the database, not only of the services:

- ``payment_item_one_live_payment``: per program, one non-failed item per (beneficiary, purpose);
- ``payment_item_one_live_per_source``: per program, one non-failed item per payable (``source_ref``),
  so an item in a draft, locked or exported batch cannot be taken into another batch;
- ``retransfer_of`` is one-to-one: a failed item is re-transferred at most once at a time.

Both partial unique constraints are partial indexes on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from madoguchi.core.crypto import EncryptedTextField
from madoguchi.core.jobs import BackgroundJob
from madoguchi.register.models import Program


class LineEnding(models.TextChoices):
    CRLF = "crlf", _("CR+LF（一般的）")
    LF = "lf", _("LF")
    NONE = "none", _("改行なし")


class AccountType(models.TextChoices):
    ORDINARY = "1", _("普通")
    CURRENT = "2", _("当座")
    SAVINGS = "4", _("貯蓄")
    OTHER = "9", _("その他")


class PaymentProfile(models.Model):
    """The requester side of a program's transfers: 委託者コード, 依頼人名 and the ward's account."""

    program = models.OneToOneField(Program, on_delete=models.PROTECT, related_name="payment_profile")
    requester_code = models.CharField(_("委託者コード（振込依頼人コード）"), max_length=10)
    requester_name = models.CharField(_("振込依頼人名（半角カナ）"), max_length=40)
    bank_code = models.CharField(_("仕向銀行コード"), max_length=4)
    branch_code = models.CharField(_("仕向支店コード"), max_length=3)
    account_type = models.CharField(_("預金種目"), max_length=1, choices=AccountType.choices,
                                    default=AccountType.ORDINARY)
    account_number = models.CharField(_("口座番号"), max_length=7)
    line_ending = models.CharField(_("改行コード"), max_length=4, choices=LineEnding.choices,
                                   default=LineEnding.CRLF)
    designation = models.CharField(_("振込指定区分"), max_length=1, default="7",
                                   help_text=_("7: テレ振込、8: 文書振込、空白: 使わない銀行"))
    extra_symbols = models.CharField(_("名義に使える追加の記号"), max_length=4, blank=True,
                                     help_text=_("銀行が認める場合だけ「/」「,」を入れます"))
    purpose = models.CharField(_("支払の目的（既定）"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("振込依頼人の設定")
        verbose_name_plural = _("振込依頼人の設定")

    def __str__(self) -> str:
        return f"{self.program.code} {self.requester_name}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    LOCKED = "locked", _("確定済み")
    EXPORTED = "exported", _("振込データ作成済み")
    RESULTS_IMPORTED = "results_imported", _("結果取込済み")
    CLOSED = "closed", _("完了")


class BatchKind(models.TextChoices):
    REGULAR = "regular", _("通常")
    RETRANSFER = "retransfer", _("再振込")


class PaymentBatch(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="payment_batches")
    kind = models.CharField(_("種類"), max_length=12, choices=BatchKind.choices, default=BatchKind.REGULAR)
    transfer_date = models.DateField(_("振込指定日"))
    status = models.CharField(_("状態"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    item_count = models.PositiveIntegerField(_("件数"), default=0)
    total_amount = models.BigIntegerField(_("合計金額"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("作成者"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("確定者"))
    locked_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("支払バッチ")
        verbose_name_plural = _("支払バッチ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"支払バッチ {self.pk}（{self.program.code} {self.transfer_date}）"

    @property
    def is_draft(self) -> bool:
        return self.status == BatchStatus.DRAFT


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("結果待ち")
    PAID = "paid", _("振込済み")
    FAILED = "failed", _("振込不能")


class NewCode(models.TextChoices):
    OTHER = "0", _("その他")
    FIRST = "1", _("第1回振込分")
    CHANGED = "2", _("変更分")


class PaymentItem(models.Model):
    """One transfer.  The payee and account fields are a snapshot taken at lock; after that only the
    result fields and the correction fields change."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    source_ref = models.CharField(_("支払根拠"), max_length=100)
    beneficiary_key = models.CharField(_("受取人キー"), max_length=100)
    purpose = models.CharField(_("支払の目的"), max_length=100)
    resident_id = models.BigIntegerField(_("住民ID"), null=True, blank=True)
    payee_name = models.CharField(_("受取人氏名"), max_length=200)
    bank_code = models.CharField(_("金融機関コード"), max_length=4)
    bank_name = models.CharField(_("金融機関名"), max_length=100)
    bank_kana = models.CharField(_("金融機関名（半角カナ）"), max_length=15)
    branch_code = models.CharField(_("支店コード"), max_length=3)
    branch_name = models.CharField(_("支店名"), max_length=100)
    branch_kana = models.CharField(_("支店名（半角カナ）"), max_length=15)
    account_type = models.CharField(_("預金種目"), max_length=1, choices=AccountType.choices)
    account_number = EncryptedTextField(_("口座番号"))
    account_last4 = models.CharField(_("口座番号（下4桁）"), max_length=4)
    holder_kana = models.CharField(_("口座名義（半角カナ）"), max_length=30)
    amount = models.BigIntegerField(_("金額"))
    new_code = models.CharField(_("新規コード"), max_length=1, choices=NewCode.choices, default=NewCode.OTHER)
    line_no = models.PositiveIntegerField(_("順番"), default=0)
    status = models.CharField(_("結果"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    failure_reason = models.CharField(_("不能の理由"), max_length=200, blank=True)
    settled_at = models.DateTimeField(_("結果の日時"), null=True, blank=True)
    retransfer_of = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="retransfer", verbose_name=_("再振込の元"))
    # Account correction of a failed item (used by the next re-transfer batch).
    corrected_bank_code = models.CharField(_("訂正後の金融機関コード"), max_length=4, blank=True)
    corrected_branch_code = models.CharField(_("訂正後の支店コード"), max_length=3, blank=True)
    corrected_account_type = models.CharField(_("訂正後の預金種目"), max_length=1, blank=True)
    corrected_account_number = EncryptedTextField(_("訂正後の口座番号"), blank=True)
    corrected_holder_kana = models.CharField(_("訂正後の口座名義"), max_length=30, blank=True)
    corrected_at = models.DateTimeField(_("訂正日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("支払明細")
        verbose_name_plural = _("支払明細")
        ordering = ["batch", "line_no", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "beneficiary_key", "purpose"], condition=~Q(status="failed"),
                                    name="payment_item_one_live_payment"),
            models.UniqueConstraint(fields=["program", "source_ref"], condition=~Q(status="failed"),
                                    name="payment_item_one_live_per_source"),
            models.CheckConstraint(condition=Q(amount__gte=1) & Q(amount__lte=9_999_999_999),
                                   name="payment_item_amount_range"),
        ]
        indexes = [models.Index(fields=["program", "status"], name="payment_item_prog_status")]

    def __str__(self) -> str:
        return f"{self.source_ref} {self.amount}円"

    @property
    def has_correction(self) -> bool:
        return bool(self.corrected_at)

    @property
    def customer_code(self) -> str:
        return str(self.pk).zfill(10)


class ZenginFile(models.Model):
    """The produced file, kept (encrypted) so that a second export returns the same bytes."""

    batch = models.OneToOneField(PaymentBatch, on_delete=models.PROTECT, related_name="zengin_file")
    filename = models.CharField(_("ファイル名"), max_length=100)
    content = EncryptedTextField(_("内容（base64、暗号化）"))  # rotated with the other encrypted fields
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("バイト数"))
    record_count = models.PositiveIntegerField(_("件数"))
    total_amount = models.BigIntegerField(_("合計金額"))
    line_ending = models.CharField(_("改行コード"), max_length=4, choices=LineEnding.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("作成者"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("全銀振込ファイル")
        verbose_name_plural = _("全銀振込ファイル")

    def __str__(self) -> str:
        return self.filename


class ResultImport(models.Model):
    """One result file taken in (or one hand marking), for the batch's history."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="result_imports")
    filename = models.CharField(_("ファイル名"), max_length=200, blank=True)
    file_format = models.CharField(_("形式"), max_length=10)  # zengin, csv, manual
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    paid_count = models.PositiveIntegerField(_("振込済み"), default=0)
    failed_count = models.PositiveIntegerField(_("振込不能"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("取込者"))
    created_at = models.DateTimeField(_("取込日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("振込結果の取込")
        verbose_name_plural = _("振込結果の取込")
        ordering = ["-created_at"]


class BatchJobStatus(models.TextChoices):
    QUEUED = "queued", _("受付")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    REJECTED = "rejected", _("誤りあり")
    FAILED = "failed", _("失敗")


class BatchJob(BackgroundJob):
    """One request to create a payment batch, run in the background; the page polls it.

    Creation is one transaction under the program's row lock (services.batches.create_batch), so the row
    shows phases (受付 → 作成中 → 完了/誤りあり/失敗), written outside that transaction.
    """

    ACTIVE = (BatchJobStatus.QUEUED, BatchJobStatus.RUNNING)
    RUNNER = "madoguchi.payments.services.batch_jobs.run"
    RESUMABLE = False  # a lost worker created nothing (one transaction); staff ask again, on purpose

    program = models.ForeignKey(Program, verbose_name=_("事業"), on_delete=models.PROTECT, related_name="+")
    transfer_date = models.DateField(_("振込指定日"))
    skip_invalid = models.BooleanField(_("誤りのある支払を除いて作成する"), default=False)
    status = models.CharField(_("状態"), max_length=10, choices=BatchJobStatus.choices,
                              default=BatchJobStatus.QUEUED)
    batch = models.ForeignKey(PaymentBatch, verbose_name=_("作成したバッチ"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    item_count = models.PositiveIntegerField(_("件数"), default=0)
    total_amount = models.BigIntegerField(_("合計金額"), default=0)
    problems = models.JSONField(_("誤りのある支払"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("誤りの数"), default=0)
    failure = models.TextField(_("作成できなかった理由"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("依頼者"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta(BackgroundJob.Meta):
        verbose_name = _("支払バッチの作成依頼")
        verbose_name_plural = _("支払バッチの作成依頼")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"支払バッチの作成 {self.pk}（{self.get_status_display()}）"



class CodeChangeKind(models.TextChoices):
    MERGED = "merged", _("合併")
    CLOSED = "closed", _("廃止")


class BankCodeChange(models.Model):
    """A merged or closed institution (or branch) code, kept by the ward on top of the zengin-code master
    (issue 19 §6, ADR 0016).  An empty branch code means the whole institution."""

    bank_code = models.CharField(_("金融機関コード"), max_length=4)
    branch_code = models.CharField(_("支店コード"), max_length=3, blank=True,
                                   help_text=_("空欄は金融機関全体"))
    kind = models.CharField(_("種別"), max_length=8, choices=CodeChangeKind.choices, default=CodeChangeKind.MERGED)
    effective_date = models.DateField(_("実施日"), help_text=_("この日以降、旧コードには振り込めません"))
    successor_bank_code = models.CharField(_("承継先の金融機関コード"), max_length=4, blank=True)
    successor_branch_code = models.CharField(_("承継先の支店コード"), max_length=3, blank=True,
                                             help_text=_("空欄は口座ごとに確認"))
    note = models.CharField(_("備考・根拠"), max_length=200, blank=True)
    updated_by = models.CharField(_("更新者"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("金融機関コードの統廃合")
        verbose_name_plural = _("金融機関コードの統廃合")
        ordering = ["bank_code", "branch_code"]
        constraints = [models.UniqueConstraint(fields=["bank_code", "branch_code"], name="bank_code_change_unique")]

    def __str__(self) -> str:
        where = f"{self.bank_code}-{self.branch_code}" if self.branch_code else self.bank_code
        return f"{where} {self.get_kind_display()} {self.effective_date}"
