"""Hand-overs (export packages and the 管理簿), retention and erasure.

- :class:`PackageJob` is one export package: a job row the page polls, then the encrypted ZIP on disk and
  its password (encrypted at rest) from which the separate password notice is printed.
- :class:`LedgerEntry` is one row of the hand-over ledger (管理簿): every package and every Zengin file,
  then its return and the recipient's erasure with the certificate file.
- :class:`ErasureRun` is one erasure of a program's (or one participant's) data: dry run → approval →
  execution; :class:`ErasureRecord` is written before the data goes and is never erased.

These rows hold counts, names of items and hashes, never residents' personal data (the package file and
its password are removed by the erasure of the program).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.models import Organisation
from madoguchi.core.crypto import EncryptedTextField
from madoguchi.core.jobs import BackgroundJob
from madoguchi.register.models import Outsourcing, Program


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")
    ERASED = "erased", _("消去済み")


class PackageJob(BackgroundJob):
    """One export package for a declared recipient, task and medium (a job row, ADR 0012).  The package
    is written in one go and recorded in one transaction: a job whose worker died is queued again."""

    ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
    RUNNER = "madoguchi.handover.services.packages.run"
    FAILURE_FIELD = "error"
    RESUMABLE = True

    program = models.ForeignKey(Program, verbose_name=_("事業"), on_delete=models.PROTECT, related_name="+")
    outsourcing = models.ForeignKey(Outsourcing, verbose_name=_("委託"), on_delete=models.PROTECT,
                                    related_name="+")
    recipient = models.ForeignKey(Organisation, verbose_name=_("受渡先"), on_delete=models.PROTECT,
                                  related_name="+")
    task = models.CharField(_("業務"), max_length=40)
    medium = models.CharField(_("媒体"), max_length=40)
    medium_label = models.CharField(_("媒体の識別番号"), max_length=100, blank=True,
                                    help_text=_("USBメモリの製造番号、CD-R のラベル番号など"))
    items = models.JSONField(_("項目"), default=list)
    encoding = models.CharField(_("文字コード"), max_length=16, default="cp932")
    replace_unencodable = models.BooleanField(_("表せない文字を〓に置き換える"), default=False)
    purpose = models.CharField(_("内容"), max_length=200)
    status = models.CharField(_("状態"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(_("処理済み件数"), default=0)
    progress_total = models.PositiveIntegerField(_("対象件数"), default=0)
    error = models.TextField(_("エラー"), blank=True)
    replaced_count = models.PositiveIntegerField(_("置き換えた欄の数"), default=0)
    file_path = models.CharField(_("ファイル"), max_length=300, blank=True)
    file_name = models.CharField(_("ファイル名"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    password = EncryptedTextField(_("パスワード"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作成者"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    package_downloaded_at = models.DateTimeField(_("データ取得日時"), null=True, blank=True)
    notice_downloaded_at = models.DateTimeField(_("通知書取得日時"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("受渡データ")
        verbose_name_plural = _("受渡データ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.program.code} → {self.recipient}（{self.purpose}）"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, int(self.progress_done * 100 / self.progress_total))


class EntryKind(models.TextChoices):
    PACKAGE = "package", _("受渡データ")
    ZENGIN = "zengin", _("全銀振込ファイル")
    PAPER = "paper", _("紙の受渡し")


class LedgerEntry(models.Model):
    """One row of the hand-over ledger (管理簿)."""

    kind = models.CharField(_("種別"), max_length=10, choices=EntryKind.choices)
    handed_at = models.DateTimeField(_("受渡日時"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("取扱者"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    handler_name = models.CharField(_("取扱者名"), max_length=150, blank=True)
    program = models.ForeignKey(Program, verbose_name=_("事業"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    program_code = models.CharField(_("事業コード"), max_length=64, blank=True)
    recipient = models.ForeignKey(Organisation, verbose_name=_("受渡先"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    recipient_name = models.CharField(_("受渡先名"), max_length=200)
    content = models.CharField(_("情報の内容"), max_length=300)
    items = models.JSONField(_("項目"), default=list, blank=True)
    record_count = models.PositiveIntegerField(_("件数"))
    medium = models.CharField(_("媒体"), max_length=40)
    medium_label = models.CharField(_("媒体の識別番号"), max_length=100, blank=True)
    file_name = models.CharField(_("ファイル名"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    package = models.OneToOneField(PackageJob, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="ledger_entry")
    source_ref = models.CharField(_("元データ"), max_length=100, blank=True, db_index=True)
    return_due = models.DateField(_("返却期限"), null=True, blank=True,
                                  help_text=_("空欄は返却不要（オンライン送信など）"))
    returned_on = models.DateField(_("返却日"), null=True, blank=True)
    returned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受領者"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    returned_to_name = models.CharField(_("受領者名"), max_length=150, blank=True)
    return_note = models.CharField(_("返却時の確認事項"), max_length=300, blank=True)
    erased_on = models.DateField(_("委託先の消去日"), null=True, blank=True)
    erasure_method = models.CharField(_("消去方法"), max_length=200, blank=True)
    certificate_path = models.CharField(_("消去証明書ファイル"), max_length=300, blank=True)
    certificate_name = models.CharField(_("消去証明書の元のファイル名"), max_length=200, blank=True)
    certificate_sha256 = models.CharField(_("消去証明書の SHA-256"), max_length=64, blank=True)
    certificate_uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登録者"), null=True,
                                                blank=True, on_delete=models.SET_NULL, related_name="+")
    certificate_uploaded_at = models.DateTimeField(_("証明書登録日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("受渡管理簿")
        verbose_name_plural = _("受渡管理簿")
        ordering = ["-handed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_ref"], condition=~models.Q(source_ref=""),
                                    name="ledger_unique_source"),
        ]

    def __str__(self) -> str:
        return f"{self.handed_at:%Y-%m-%d} {self.recipient_name} {self.content}"

    @property
    def needs_return(self) -> bool:
        return self.return_due is not None

    def return_overdue(self, today: dt.date) -> bool:
        return self.return_due is not None and self.returned_on is None and today > self.return_due

    def certificate_missing(self, today: dt.date) -> bool:
        """The recipient's erasure certificate is due once the medium is back or its return is overdue."""
        if not self.needs_return or self.certificate_path:
            return False
        return self.returned_on is not None or self.return_overdue(today)


class ErasureScope(models.TextChoices):
    PROGRAM = "program", _("事業の保存期間満了")
    PARTICIPANT = "participant", _("参加者の退会")


class ErasureStatus(models.TextChoices):
    DRY_RUN = "dry_run", _("試行済み（承認待ち）")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")
    EXECUTED = "executed", _("消去済み")


class ErasureRun(models.Model):
    program = models.ForeignKey(Program, verbose_name=_("事業"), on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("範囲"), max_length=12, choices=ErasureScope.choices)
    resident_ref = models.PositiveBigIntegerField(_("対象住民（内部番号）"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    status = models.CharField(_("状態"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.DRY_RUN)
    planned = models.JSONField(_("試行結果（種類ごとの件数）"), default=list)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("依頼者"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承認者"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    decision_note = models.CharField(_("承認時の意見"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("消去の実施")
        verbose_name_plural = _("消去の実施")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.program.code} {self.get_scope_display()} {self.get_status_display()}"

    @property
    def planned_total(self) -> int:
        return sum(int(row.get("count", 0)) for row in self.planned)


class ErasureRecord(models.Model):
    """What was erased, how many, approved by whom, when and why.  Written before the data goes; kept."""

    run = models.OneToOneField(ErasureRun, on_delete=models.PROTECT, related_name="record")
    program_code = models.CharField(_("事業コード"), max_length=64)
    program_name = models.CharField(_("事業名"), max_length=200)
    scope = models.CharField(_("範囲"), max_length=12, choices=ErasureScope.choices)
    counts = models.JSONField(_("消去した件数（種類ごと）"), default=list)
    reason = models.TextField(_("理由"))
    method = models.CharField(_("消去方法"), max_length=200)
    requested_by_name = models.CharField(_("依頼者"), max_length=150)
    approved_by_name = models.CharField(_("承認者"), max_length=150)
    executed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("実施者"), on_delete=models.PROTECT,
                                    related_name="+")
    executed_by_name = models.CharField(_("実施者名"), max_length=150)
    started_at = models.DateTimeField(_("開始日時"))
    finished_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    certificate_no = models.CharField(_("証明書番号"), max_length=40, unique=True)
    certificate_path = models.CharField(_("消去証明書ファイル"), max_length=300, blank=True)
    certificate_sha256 = models.CharField(_("消去証明書の SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("消去記録")
        verbose_name_plural = _("消去記録")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.certificate_no} {self.program_code}"

    @property
    def total(self) -> int:
        return sum(int(row.get("count", 0)) for row in self.counts)
