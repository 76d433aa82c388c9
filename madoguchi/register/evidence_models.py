"""Evidence that a registered protective measure is applied (証跡).

One :class:`Evidence` row is one piece of proof — an on-site inspection with its findings, a list of the
responsible persons and handlers, a training session, an incident with its timeline, an attestation of a
physical measure (locked storage, entry-room records), or a contractor's report that it erased data on its
own systems — tied to the ○ measures of the program's approved registration that it proves, and to the
contract (委託・再委託) it concerns.  The ward records it, or the contractor itself where its contract is
declared.  A file may be attached (hashed, stored privately).  Imported into :mod:`madoguchi.register.models`.

Rows hold no residents' personal data: they describe the handling, not the people.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    INSPECTION = "inspection", _("立入調査・実地確認")
    HANDLER_LIST = "handler_list", _("取扱責任者・取扱者の名簿")
    TRAINING = "training", _("従事者への研修")
    INCIDENT = "incident", _("事故の報告")
    ATTESTATION = "attestation", _("物理的対策の確認（施錠保管・入退室記録など）")
    CONTRACTOR_ERASURE = "contractor_erasure", _("委託先での消去の報告")


class Evidence(models.Model):
    program = models.ForeignKey("register.Program", verbose_name=_("事業"), on_delete=models.PROTECT,
                                related_name="evidence")
    outsourcing = models.ForeignKey("register.Outsourcing", verbose_name=_("対象の委託・再委託"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("証跡の種類"), max_length=24, choices=EvidenceKind.choices)
    measures = models.ManyToManyField("register.ChecklistMeasure", verbose_name=_("証明する対策"),
                                      related_name="evidence")
    title = models.CharField(_("件名"), max_length=200)
    happened_on = models.DateField(_("実施日・作成日"))
    findings = models.TextField(_("内容・指摘事項"), blank=True)
    follow_up = models.TextField(_("改善の措置"), blank=True)
    follow_up_due = models.DateField(_("改善の期限"), null=True, blank=True)
    # incidents (事故発生時の報告: 特記事項) — the first report date is required for an incident
    occurred_on = models.DateField(_("事故の発生日"), null=True, blank=True)
    first_reported_on = models.DateField(_("第一報の日"), null=True, blank=True)
    reported_to_ward_on = models.DateField(_("区への書面報告の日"), null=True, blank=True)
    recorded_by = models.CharField(_("記録した人"), max_length=150)
    recorded_by_organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("記録した組織"),
                                                 on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("記録日時"), auto_now_add=True)
    file_name = models.CharField(_("添付ファイル名"), max_length=200, blank=True)
    file_path = models.CharField(_("保存先"), max_length=300, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    file_size = models.PositiveIntegerField(_("大きさ（バイト）"), default=0)

    class Meta:
        verbose_name = _("証跡")
        verbose_name_plural = _("証跡")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["program", "kind", "happened_on"], name="evidence_program_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"
