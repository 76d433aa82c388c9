"""Users, organisations, roles and terminals."""

from __future__ import annotations

import datetime
import ipaddress

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("区の課")
    PRIVACY_OFFICE = "privacy_office", _("個人情報保護担当課")
    CONTRACTOR = "contractor", _("委託先")
    SUBCONTRACTOR = "subcontractor", _("再委託先")
    AUDIT = "audit", _("監査")
    IT = "it", _("情報システム")


class Organisation(models.Model):
    code = models.SlugField(_("コード"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("委託元"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    representative = models.CharField(_("代表者"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ward(self) -> bool:
        return self.kind in {OrganisationKind.DEPARTMENT, OrganisationKind.PRIVACY_OFFICE,
                             OrganisationKind.AUDIT, OrganisationKind.IT}

    @property
    def is_contractor(self) -> bool:
        return self.kind in {OrganisationKind.CONTRACTOR, OrganisationKind.SUBCONTRACTOR}


class Role(models.TextChoices):
    DEPARTMENT_STAFF = "department_staff", _("担当課職員")
    PRIVACY_OFFICE = "privacy_office", _("個人情報保護担当")
    CONTRACTOR = "contractor", _("委託先オペレーター")
    SUBCONTRACTOR = "subcontractor", _("再委託先オペレーター")
    AUDITOR = "auditor", _("監査担当")
    ADMINISTRATOR = "administrator", _("システム管理者")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("ロール"), max_length=32, choices=Role.choices, default=Role.DEPARTMENT_STAFF)
    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    failed_logins = models.PositiveIntegerField(_("連続失敗回数"), default=0)
    locked_until = models.DateTimeField(_("ロック解除日時"), null=True, blank=True)
    totp_secret = models.CharField(_("TOTP秘密鍵"), max_length=64, blank=True)
    totp_confirmed = models.BooleanField(_("TOTP登録済み"), default=False)
    # The time step of the last accepted TOTP code: a code is accepted once (no replay).
    totp_last_step = models.BigIntegerField(_("最後に使われたTOTPの時間枠"), default=0)

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.display_name or self.username

    def is_locked(self, now: datetime.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return bool(self.locked_until and self.locked_until > moment)


class RoleSetting(models.Model):
    """Per-role security settings: TOTP required, bound to registered terminals."""

    role = models.CharField(_("ロール"), max_length=32, choices=Role.choices, unique=True)
    require_totp = models.BooleanField(_("二要素認証を必須とする"), default=False)
    terminal_bound = models.BooleanField(_("登録端末からのみ利用可"), default=False)

    class Meta:
        verbose_name = _("ロール設定")
        verbose_name_plural = _("ロール設定")

    def __str__(self) -> str:
        return self.get_role_display()


class Terminal(models.Model):
    """A registered terminal (or network segment), given as an IP address range."""

    name = models.CharField(_("端末名"), max_length=100)
    organisation = models.ForeignKey(Organisation, verbose_name=_("設置組織"), on_delete=models.PROTECT,
                                     related_name="terminals")
    network = models.CharField(_("IPアドレス範囲"), max_length=64, help_text=_("例: 10.20.30.0/24"))
    roles = models.JSONField(_("利用できるロール"), default=list, blank=True)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("登録端末")
        verbose_name_plural = _("登録端末")

    def __str__(self) -> str:
        return f"{self.name} ({self.network})"

    def contains(self, address: str) -> bool:
        try:
            return ipaddress.ip_address(address) in ipaddress.ip_network(self.network, strict=False)
        except ValueError:
            return False


class ApiToken(models.Model):
    """A bearer token for the JSON API, issued to one user of one organisation (ADR 0013).

    Only the SHA-256 digest of the token is stored; the token itself is shown once, when it is issued.
    ``prefix`` (the first characters after ``mdg_``) lets people tell tokens apart on screens and in logs.
    A token answers only while it is not revoked, not expired, its user is active and still belongs to the
    organisation it was issued for.
    """

    user = models.ForeignKey(User, verbose_name=_("利用者"), on_delete=models.PROTECT, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, verbose_name=_("組織"), on_delete=models.PROTECT,
                                     related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("識別子"), max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    created_by = models.CharField(_("発行者"), max_length=150)
    expires_at = models.DateTimeField(_("有効期限"))
    last_used_at = models.DateTimeField(_("最終利用日時"), null=True, blank=True)
    last_used_address = models.CharField(_("最終利用元"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    revoked_by = models.CharField(_("取消者"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"mdg_{self.prefix}… ({self.name})"

    def state(self, now: datetime.datetime | None = None) -> str:
        """``active``, ``revoked`` or ``expired`` (the user's state is checked when the token is used)."""
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"


class LoginFailure(models.Model):
    """One failed password log-in: the name typed (known or not) and the source address (ADR 0020).

    Counted within ``LOGIN_LOCK_MINUTES`` to throttle by (name, source), by source, and by account."""

    at = models.DateTimeField(_("日時"), db_index=True)
    username = models.CharField(_("入力された利用者ID"), max_length=150)
    address = models.CharField(_("端末アドレス"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("ログイン失敗")
        verbose_name_plural = _("ログイン失敗")
        indexes = [models.Index(fields=["username", "at"]), models.Index(fields=["address", "at"])]
