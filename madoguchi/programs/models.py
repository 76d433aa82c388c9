"""Rules of each program type, configured by parameters (not code).

An application subsidy (申請型補助金) is described by a :class:`SubsidyRule`: rate, cap, rounding unit,
one application per household, exclusion of past grantees, residence in the ward, the application
period and the attachments an applicant must send.  The next subsidy of the same type is a new row.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rounding(models.TextChoices):
    FLOOR = "floor", _("切り捨て")
    ROUND = "round", _("四捨五入")
    CEIL = "ceil", _("切り上げ")


class SubsidyRule(models.Model):
    program = models.OneToOneField("register.Program", verbose_name=_("事業"), on_delete=models.CASCADE,
                                   related_name="subsidy_rule")
    rate_numerator = models.PositiveIntegerField(_("補助率（分子）"), default=1)
    rate_denominator = models.PositiveIntegerField(_("補助率（分母）"), default=2)
    cap = models.PositiveIntegerField(_("上限額（円）"), default=20000)
    rounding_unit = models.PositiveIntegerField(_("端数処理の単位（円）"), default=1000)
    rounding = models.CharField(_("端数処理"), max_length=8, choices=Rounding.choices, default=Rounding.FLOOR)
    one_per_household = models.BooleanField(_("1世帯につき1回限り"), default=True)
    exclude_past_grantees = models.BooleanField(_("過去の交付決定者を対象外とする"), default=True)
    require_residence = models.BooleanField(_("区内に住所があること"), default=True)
    residence_prefix = models.CharField(_("区域（住所の先頭）"), max_length=100, blank=True,
                                        default="東京都新宿区")
    period_start = models.DateField(_("申請受付開始日"), null=True, blank=True)
    period_end = models.DateField(_("申請受付終了日"), null=True, blank=True)
    required_attachments = models.JSONField(_("必要な添付書類"), default=list, blank=True)
    pledges = models.JSONField(_("誓約・同意事項"), default=list, blank=True)
    fiscal_label = models.CharField(_("年度の表示"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.CharField(_("更新者"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("補助金の交付ルール")
        verbose_name_plural = _("補助金の交付ルール")
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_denominator__gt=0), name="subsidy_rule_denominator_positive"),
            models.CheckConstraint(condition=models.Q(rounding_unit__gt=0), name="subsidy_rule_unit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.rate_numerator}/{self.rate_denominator}, 上限{self.cap:,}円"

    @property
    def rate_text(self) -> str:
        return f"{self.rate_denominator}分の{self.rate_numerator}"
