"""The common part of a background job row that a page polls (an abstract model: core has no tables)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """Where it was asked from and when it was received, started and finished.

    Subclasses set ``ACTIVE`` to the statuses in which the job is still queued or running and define
    ``status``.
    """

    ACTIVE: ClassVar[tuple[str, ...]] = ()

    address = models.CharField(_("端末のアドレス"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def active(self) -> bool:
        return getattr(self, "status", None) in self.ACTIVE
