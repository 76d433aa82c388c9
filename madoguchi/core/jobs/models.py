"""The common part of every background-job row that a page polls (an abstract model: core has no tables).

Each app's job row (resident import, payment batch, notices, hand-over package, and each program type's
jobs) subclasses :class:`BackgroundJob` and names, in class attributes, its statuses, the field that holds
its failure message and the service function that does the work (``RUNNER``, a dotted path taking the
claimed row and a :class:`~madoguchi.core.jobs.runner.Progress`).  The runner, the claim, the heartbeat
and the sweeper (ADR 0012) work on these fields only.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The failure codes a job row may hold (the message beside it is a fixed sentence, never an exception's
#: text: an exception may quote a resident's name or address).
FAILURE_CODES: dict[str, str] = {
    "unexpected": "予期しないエラー",
    "worker_lost": "処理していたワーカーの停止",
    "refused": "権限がない",
    "rejected": "内容の誤り",
    "rule": "業務上の決まりに合わない",
    "missing_file": "ファイルがない",
}

#: the name of the status field every job row defines (with its own choices)
STATUS = "status"


class BackgroundJob(models.Model):
    """Where it was asked from, when it was received, started and finished, and who is running it.

    Subclasses define ``status`` (with a ``"queued"`` value) and set:

    - ``ACTIVE``: the statuses in which the job is queued or running (the page keeps polling);
    - ``RUNNING``: the status a claim moves a queued job to;
    - ``FAILED``: the status of a job that could not finish;
    - ``FAILURE_FIELD``: the text field shown to staff when it failed;
    - ``RUNNER``: dotted path of ``def run(job, progress) -> None`` (the service that does the work);
    - ``RESUMABLE``: whether a job whose worker died is queued again (its work is one transaction or
      idempotent) rather than failed; ``MAX_ATTEMPTS`` bounds the retries.
    """

    QUEUED: ClassVar[str] = "queued"
    ACTIVE: ClassVar[tuple[str, ...]] = ()
    RUNNING: ClassVar[str] = "running"
    FAILED: ClassVar[str] = "failed"
    FAILURE_FIELD: ClassVar[str] = "failure"
    RUNNER: ClassVar[str] = ""
    RESUMABLE: ClassVar[bool] = False
    MAX_ATTEMPTS: ClassVar[int] = 3
    #: fixed messages by failure code, in ward staff's words (a subclass may add its own)
    FAILURE_MESSAGES: ClassVar[dict[str, str]] = {
        "unexpected": "予期しないエラーのため処理できませんでした。何も変更していません。システム管理者に連絡してください。",
        "worker_lost": "処理していたサーバーのプログラム（ワーカー）が途中で止まったため、中断しました。"
                       "何も変更していません。もう一度依頼してください。",
        "missing_file": "取り込むファイルが見つかりません。もう一度アップロードしてください。",
    }

    address = models.CharField(_("端末のアドレス"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    claimed_by = models.CharField(_("処理中のワーカー"), max_length=120, blank=True,
                                  help_text=_("ホスト名:プロセス番号:識別子"))
    heartbeat_at = models.DateTimeField(_("最終応答日時"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("実行回数"), default=0)
    failure_code = models.CharField(_("失敗の区分"), max_length=20, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def status_value(self) -> str:
        """The row's status (each subclass defines the field with its own choices)."""
        return str(self.__dict__.get(STATUS, ""))

    @property
    def active(self) -> bool:
        return self.status_value in self.ACTIVE

    @classmethod
    def failure_message(cls, code: str) -> str:
        """The fixed Japanese sentence stored with ``code`` (never an exception's text)."""
        return cls.FAILURE_MESSAGES.get(code) or BackgroundJob.FAILURE_MESSAGES["unexpected"]

    @classmethod
    def sweep_leftovers(cls) -> int:
        """Remove what jobs of this type left outside the database with no job to own it (e.g. a file
        stored by a process that died before it created its job row); returns how many.  Called by the
        sweeper.  The default holds nothing."""
        return 0

    def release(self) -> None:
        """Free what the job holds outside the database once it has ended (e.g. an uploaded file).

        Called by the runner when the job ends, whatever the end, and by the sweeper when it fails a job
        whose worker died.  Must be idempotent.  The default holds nothing.
        """
