"""The resident master (住民)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.gaiji import (
    PRIVATE_USE,
    building_key,
    find_private_use,
    kana_key,
    name_key,
    split_address,
)
from madoguchi.core.jobs import BackgroundJob
from madoguchi.residents.uploads import remove_orphans, remove_upload


def _address_keys_now(address: str, address_extra: str) -> tuple[str, str]:
    base, building = split_address(address)
    return base[:300], (building + building_key(address_extra))[:300]


# members of a household share an address: imports and the demo key each address once
_address_keys_cached = lru_cache(maxsize=65_536)(_address_keys_now)


def _address_keys(address: str, address_extra: str) -> tuple[str, str]:
    if PRIVATE_USE.search(address) or PRIVATE_USE.search(address_extra):
        return _address_keys_now(address, address_extra)  # 外字: the ward's table may change; never cached
    return _address_keys_cached(address, address_extra)


def gaiji_of(*values: str) -> str:
    """The distinct vendor 外字 (Private Use Area characters) in a resident's fields, as one string."""
    return "".join(find_private_use("".join(values)))[:50]


def match_keys(*, name: str, name_kana: str, address: str, address_extra: str) -> dict[str, str]:
    """The search keys of a resident (madoguchi.core.text on the text with the ward's 外字 table applied,
    madoguchi.core.gaiji); stored beside the name, never shown."""
    address_key, building = _address_keys(address, address_extra)
    return {
        "name_key": name_key(name)[:100],
        "kana_key": kana_key(name_kana)[:200],
        "address_key": address_key,
        "building_key": building,
    }


class ResidentStatus(models.TextChoices):
    REGISTERED = "住登", _("住登")
    MOVED_OUT = "転出", _("転出")
    DECEASED = "死亡", _("死亡")


class Sex(models.TextChoices):
    MALE = "男", _("男")
    FEMALE = "女", _("女")
    UNKNOWN = "", _("不明")


class Resident(models.Model):
    resident_no = models.CharField(_("住民番号"), max_length=20, unique=True)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名カナ"), max_length=200, blank=True)
    birth_date = models.DateField(_("生年月日"), db_index=True)
    sex = models.CharField(_("性別"), max_length=2, choices=Sex.choices, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300)
    address_extra = models.CharField(_("方書"), max_length=200, blank=True)
    household_no = models.CharField(_("世帯番号"), max_length=20, blank=True)
    relation = models.CharField(_("続柄"), max_length=20, blank=True)
    resident_since = models.DateField(_("住民日"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=4, choices=ResidentStatus.choices,
                              default=ResidentStatus.REGISTERED)
    # Match keys (normalised by madoguchi.core.text); never shown, only searched (equality and prefix).
    name_key = models.CharField(max_length=100, blank=True)
    kana_key = models.CharField(max_length=200, blank=True)
    address_key = models.CharField(max_length=300, blank=True)
    building_key = models.CharField(max_length=300, blank=True)  # 方書 and any building in 住所
    # vendor 外字 in 氏名・カナ・住所・方書 (madoguchi.core.gaiji): non-empty flags the resident for the 外字対応表
    gaiji = models.CharField(_("外字"), max_length=50, null=True, blank=True)  # NULL: none (bulk imports)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("住民")
        verbose_name_plural = _("住民")
        ordering = ["resident_no"]
        # The match keys are indexed for equality and prefix lookups by migration 0003 (not declared here,
        # because the index differs by database): on PostgreSQL ``(key COLLATE "C", id)``, so a prefix is a range
        # in code-point order and the first page comes from the index already sorted, whatever the database's
        # collation; on SQLite ``(key)`` with its rowid (= id).  See madoguchi.residents.selectors.
        indexes = [models.Index(fields=["household_no"], name="resident_household_no")]

    def __str__(self) -> str:
        return f"{self.name}（{self.resident_no}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"name_key", "kana_key", "address_key", "building_key",
                                                            "gaiji"}
        super().save(*args, **kwargs)

    def refresh_keys(self) -> None:
        for field, value in match_keys(name=self.name, name_kana=self.name_kana, address=self.address,
                                       address_extra=self.address_extra).items():
            setattr(self, field, value)
        self.gaiji = gaiji_of(self.name, self.name_kana, self.address, self.address_extra) or None


class AddressHistory(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="address_history")
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300)
    address_extra = models.CharField(_("方書"), max_length=200, blank=True)
    valid_until = models.DateTimeField(_("変更日時"))

    class Meta:
        verbose_name = _("住所履歴")
        verbose_name_plural = _("住所履歴")
        ordering = ["-valid_until"]


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("受付")
    READING = "reading", _("読込中")
    WRITING = "writing", _("書込中")
    DONE = "done", _("完了")
    REJECTED = "rejected", _("誤りあり")
    FAILED = "failed", _("失敗")


class ImportJob(BackgroundJob):
    """One uploaded registry extract imported in the background; the upload page polls it.

    The file waits under ``MEDIA_ROOT/private/`` (never served) and is deleted when the job ends.  The
    import itself is one transaction: the phases (受付 → 読込中 → 書込中 → 完了/誤りあり) are written to this row
    outside it, so a page polling from another connection sees them on every database.
    """

    ACTIVE = (ImportJobStatus.QUEUED, ImportJobStatus.READING, ImportJobStatus.WRITING)
    RUNNING = ImportJobStatus.READING
    RUNNER = "madoguchi.residents.services.import_jobs.run"
    RESUMABLE = False  # the import is one transaction: a lost worker changed nothing; the file is removed

    status = models.CharField(_("状態"), max_length=10, choices=ImportJobStatus.choices,
                              default=ImportJobStatus.QUEUED)
    filename = models.CharField(_("ファイル名"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("ファイルの大きさ"), default=0)
    file_path = models.CharField(_("保管中のファイル"), max_length=300, blank=True)
    rows_read = models.PositiveIntegerField(_("読み込んだ行"), default=0)
    rows_total = models.PositiveIntegerField(_("ファイルの行数"), default=0)
    rows_written = models.PositiveIntegerField(_("書き込んだ行"), default=0)
    created = models.PositiveIntegerField(_("新規"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("変更なし"), default=0)
    moved = models.PositiveIntegerField(_("住所の変更"), default=0)
    error_count = models.PositiveIntegerField(_("誤りの数"), default=0)
    errors = models.JSONField(_("誤り（行・列・理由）"), default=list, blank=True)
    gaiji_residents = models.PositiveIntegerField(_("外字を含む住民"), default=0)
    gaiji_unmapped = models.JSONField(_("外字対応表にない外字（コード）"), default=list, blank=True)
    failure = models.TextField(_("失敗の理由"), blank=True)
    # what suggests a spreadsheet edit (madoguchi.core.idformat.SheetSigns.messages), shown whatever the outcome
    notes = models.JSONField(_("ファイルについての注意"), default=list, blank=True)
    allow_same_person = models.BooleanField(_("既存の住民と同じ氏名・生年月日・住所の新規登録を確認済み"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("取込者"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta(BackgroundJob.Meta):
        verbose_name = _("住民記録の取込み")
        verbose_name_plural = _("住民記録の取込み")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @classmethod
    def sweep_leftovers(cls) -> int:
        """Remove stored uploads older than an hour that no job row names (the process that stored one
        died before it created its job)."""
        owned = set(cls.objects.exclude(file_path="").values_list("file_path", flat=True))
        return remove_orphans(owned, older_than_seconds=3600)

    def release(self) -> None:
        """Remove the stored upload (the job has ended, whatever the end)."""
        if self.file_path:
            remove_upload(self.file_path)
            ImportJob.objects.filter(pk=self.pk).update(file_path="")
            self.file_path = ""


class GaijiMapping(models.Model):
    """One vendor 外字 and the standard character the ward maps it to (the ward-kept 外字対応表, ADR 0016).

    A row with an empty ``standard`` is a 外字 seen on import and not yet mapped: residents holding it are
    flagged, and no hand-over holding it is made until it is mapped.
    """

    char = models.CharField(_("外字"), max_length=1, unique=True)
    vendor_code = models.CharField(_("外字コード"), max_length=12)
    standard = models.CharField(_("標準の文字"), max_length=16, blank=True,
                                help_text=_("Unicode の文字（必要なら異体字セレクタ付き）"))
    mj_name = models.CharField(_("MJ文字図形名"), max_length=8, blank=True, help_text=_("例 MJ022335"))
    note = models.CharField(_("備考"), max_length=200, blank=True)
    first_seen = models.CharField(_("最初に見つかった所"), max_length=100, blank=True)
    updated_by = models.CharField(_("更新者"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("外字対応")
        verbose_name_plural = _("外字対応表")
        ordering = ["vendor_code"]

    def __str__(self) -> str:
        return f"{self.vendor_code} → {self.standard or '（未登録）'}"

    @property
    def mapped(self) -> bool:
        return bool(self.standard)
