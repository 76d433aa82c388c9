"""Measures checklists (電算処理・外部結合・業務委託), contract clause sets (乙・丙) and the data flow.

Templates and clause sets belong to the municipality (it edits them); answers and flow steps belong to a
revision and are frozen with it.  Imported into :mod:`madoguchi.register.models`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChecklistKind(models.TextChoices):
    COMPUTER = "computer", _("電算処理")
    LINKAGE = "linkage", _("外部結合")
    OUTSOURCING = "outsourcing", _("業務委託")


class ChecklistSide(models.TextChoices):
    WARD = "ward", _("区が行う対策")
    CONTRACTOR = "contractor", _("委託先・結合先に行わせる対策")


class ChecklistAspect(models.TextChoices):
    OPERATIONAL = "operational", _("運用上の対策")
    TECHNICAL = "technical", _("システム上の対策")


class ChecklistTemplate(models.Model):
    kind = models.CharField(_("種類"), max_length=20, choices=ChecklistKind.choices, unique=True)
    title = models.CharField(_("表題"), max_length=200)
    note = models.CharField(_("注記"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("チェックリストのひな形")
        verbose_name_plural = _("チェックリストのひな形")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title


class ChecklistMeasure(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="measures")
    key = models.SlugField(_("キー"), max_length=40)
    side = models.CharField(_("区分"), max_length=20, choices=ChecklistSide.choices)
    aspect = models.CharField(_("対策の種類"), max_length=20, choices=ChecklistAspect.choices)
    text = models.TextField(_("対策"))
    order = models.PositiveIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使用する"), default=True)

    class Meta:
        verbose_name = _("対策")
        verbose_name_plural = _("対策")
        ordering = ["template", "side", "aspect", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="measure_unique_key")]

    def __str__(self) -> str:
        return self.text[:40]


class MeasureAnswer(models.TextChoices):
    APPLIED = "○", _("○（対策を行う）")
    NOT_NEEDED = "－", _("－（対策の必要がない）")


class ChecklistAnswer(models.Model):
    revision = models.ForeignKey("register.Revision", on_delete=models.CASCADE, related_name="answers")
    measure = models.ForeignKey(ChecklistMeasure, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("回答"), max_length=1, choices=MeasureAnswer.choices, blank=True)
    reason = models.TextField(_("必要がない理由"), blank=True)

    class Meta:
        verbose_name = _("チェックリストの回答")
        verbose_name_plural = _("チェックリストの回答")
        constraints = [models.UniqueConstraint(fields=["revision", "measure"], name="answer_unique_measure")]


class ClauseParty(models.TextChoices):
    CONTRACTOR = "乙", _("委託先（乙）")
    SUBCONTRACTOR = "丙", _("再委託先（丙）")


class ClauseSet(models.Model):
    party = models.CharField(_("相手方"), max_length=1, choices=ClauseParty.choices, unique=True)
    title = models.CharField(_("表題"), max_length=200)
    preamble = models.TextField(_("前文"), blank=True)

    class Meta:
        verbose_name = _("特記事項")
        verbose_name_plural = _("特記事項")
        ordering = ["party"]

    def __str__(self) -> str:
        return self.title


class Clause(models.Model):
    clause_set = models.ForeignKey(ClauseSet, on_delete=models.CASCADE, related_name="clauses")
    order = models.PositiveIntegerField(_("番号"), default=0)
    heading = models.CharField(_("見出し"), max_length=100)
    text = models.TextField(_("条文"))
    active = models.BooleanField(_("使用する"), default=True)

    class Meta:
        verbose_name = _("条項")
        verbose_name_plural = _("条項")
        ordering = ["clause_set", "order", "id"]

    def __str__(self) -> str:
        return self.heading


class FlowNode(models.TextChoices):
    RESIDENT = "resident", _("区民・対象者")
    DEPARTMENT = "department", _("担当課")
    SYSTEM = "system", _("システム")
    CONTRACTOR = "contractor", _("委託先")
    SUBCONTRACTOR = "subcontractor", _("再委託先")
    POST_OFFICE = "post_office", _("郵便局")
    OTHER = "other", _("その他")


class FlowStep(models.Model):
    """One numbered step of the data flow (個人情報の流れ)."""

    revision = models.ForeignKey("register.Revision", on_delete=models.CASCADE, related_name="flow_steps")
    # A registration may draw several flows (seed 003: push type, application type, enclosure); each has its
    # own numbered steps (①, ②, … again).  The first flow may stay untitled (the program's flow).
    flow_no = models.PositiveSmallIntegerField(_("流れの番号"), default=1)
    flow_title = models.CharField(_("流れの名称"), max_length=100, blank=True,
                                  help_text=_("流れが複数あるときの名称。例: プッシュ型、申請型、封入封緘の委託"))
    number = models.PositiveSmallIntegerField(_("番号"))
    source_kind = models.CharField(_("送り手の種類"), max_length=20, choices=FlowNode.choices)
    source = models.CharField(_("送り手"), max_length=100)
    target_kind = models.CharField(_("受け手の種類"), max_length=20, choices=FlowNode.choices)
    target = models.CharField(_("受け手"), max_length=100)
    items = models.ManyToManyField("register.DataItem", verbose_name=_("項目"), related_name="+", blank=True)
    medium = models.CharField(_("媒体"), max_length=20, blank=True)
    note = models.CharField(_("内容"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("個人情報の流れ")
        verbose_name_plural = _("個人情報の流れ")
        ordering = ["revision", "flow_no", "number"]
        constraints = [models.UniqueConstraint(fields=["revision", "flow_no", "number"],
                                               name="flow_step_unique_flow_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.source}→{self.target}"
