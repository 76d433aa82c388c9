"""Append-only, hash-chained access log: several chains (ADR 0019), each row keyed by an HMAC."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("日時"), db_index=True)
    user_id_ref = models.BigIntegerField(_("利用者ID"), null=True, blank=True, db_index=True)
    username = models.CharField(_("利用者"), max_length=150)
    role = models.CharField(_("ロール"), max_length=32, blank=True)
    organisation = models.CharField(_("組織"), max_length=64, blank=True)
    address = models.CharField(_("端末アドレス"), max_length=64, blank=True)
    channel = models.CharField(_("経路"), max_length=16, blank=True)
    action = models.CharField(_("操作"), max_length=40, db_index=True)
    target = models.CharField(_("対象"), max_length=200, blank=True)
    resident_ids = models.JSONField(_("対象住民"), default=list, blank=True)
    resident_count = models.PositiveIntegerField(_("対象件数"), default=0)
    program = models.CharField(_("事業"), max_length=64, blank=True, db_index=True)
    purpose = models.CharField(_("目的"), max_length=200, blank=True)
    allowed = models.BooleanField(_("許可"), default=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    break_glass = models.BooleanField(_("緊急閲覧"), default=False)
    # The chain this row belongs to and its place in it (1, 2, 3 … without gaps).  Ids come from the database
    # sequence and may have gaps (a rolled-back request); a missing row shows as a gap in ``seq``.
    chain = models.PositiveSmallIntegerField(_("チェーン"), default=1)
    seq = models.BigIntegerField(_("チェーン内の番号"), default=0)
    # Which chain key made ``row_hash`` (an HMAC); empty for the keyless rows written before ADR 0019.
    key_id = models.CharField(_("鍵ID"), max_length=16, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("アクセスログ")
        verbose_name_plural = _("アクセスログ")
        ordering = ["id"]
        indexes = [models.Index(fields=["allowed", "at"]), models.Index(fields=["username", "at"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_accesslog_chain_seq")]

    def __str__(self) -> str:
        return f"#{self.id} {self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"


class ChainHead(models.Model):
    """One row per chain: the place and hash of its newest row.  Locked by the writer to append in order; moved
    only by the database trigger on inserting the next row (ADR 0019)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("チェーン先頭")
