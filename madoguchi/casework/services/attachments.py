"""Attachment files of an application (領収書, 保証書, 設置写真 …).

- Stored privately under ``MEDIA_ROOT/private/casework/<program>/<case>/`` with a random name; the web
  server never serves that folder, the files are read only through :func:`read_attachment`.
- Checked before anything is saved: PDF, JPEG or PNG by their first bytes (the name's extension must
  agree), at most :data:`MAX_BYTES`, not empty.  A refused file leaves nothing behind.
- Adding needs the intake action (the department, or a contractor with data entry) and the declared
  item ``purchase`` (receipts and photos are the purchase's evidence); reading needs a grant on the
  program and the same item.  Both are written to the access log in the same transaction.
- The program's required attachments (``SubsidyRule.required_attachments``) give
  :func:`attachment_checks`: a required document is *present* when a file of that kind is stored or the
  application records it as received (e-form column, paper check box).  A missing one blocks the grant
  (:mod:`madoguchi.casework.services.eligibility`); one recorded without a file is a warning only.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.casework.models import Case, CaseAttachment, CaseEvent, Status
from madoguchi.casework.services.access import require_action
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.register.policy import AccessPolicy, policy_for

MAX_BYTES = 10 * 1024 * 1024
ITEM = "purchase"
OTHER_KIND = "その他"
# content type → (magic bytes, label, extensions the name may have)
FORMATS: dict[str, tuple[bytes, str, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", "PDF", (".pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", "JPEG", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", "PNG", (".png",)),
}
CLOSED_STATUSES = (Status.PAID, Status.CLOSED, Status.NOT_GRANTED)


def private_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private"


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (by their magic bytes), or None."""
    for content_type, (magic, _label, _exts) in FORMATS.items():
        if data.startswith(magic):
            return content_type
    return None


def check_file(name: str, data: bytes) -> str:
    """The file's content type; :class:`BusinessRuleError` with the reason when it is refused."""
    if not data:
        raise BusinessRuleError("ファイルが空です。")
    if len(data) > MAX_BYTES:
        raise BusinessRuleError(f"ファイルが大きすぎます（{len(data) / 1024 / 1024:.1f} MB）。"
                                f"{MAX_BYTES // 1024 // 1024} MB 以下にしてください。")
    content_type = sniff(data)
    if content_type is None:
        raise BusinessRuleError("PDF・JPEG・PNG のファイルだけを登録できます（ファイルの中身がこれらの形式ではありません）。")
    _magic, label, exts = FORMATS[content_type]
    ext = os.path.splitext(name or "")[1].lower()
    if ext not in exts:
        raise BusinessRuleError(f"ファイル名の拡張子（{ext or 'なし'}）と中身（{label}）が一致しません。"
                                f"{label} のファイルは {'・'.join(exts)} で登録してください。")
    return content_type


def attachment_kinds(case: Case) -> list[str]:
    from madoguchi.casework.services.eligibility import required_attachments

    required = required_attachments(case.program)
    return [*required, *([OTHER_KIND] if OTHER_KIND not in required else [])]


def _require_item(policy: AccessPolicy, case: Case, action: str) -> None:
    if ITEM not in policy.items_for(case.program.code):
        raise AccessRefused("添付書類（購入の内容）を扱う権限がありません（登録で申告された項目にありません）。",
                            program=case.program.code, action=action, target=f"case:{case.pk}")


def may_read(policy: AccessPolicy, case: Case) -> bool:
    try:
        require_action(policy.actor, case.program.code, "view", policy=policy)
        _require_item(policy, case, "attachment.read")
    except AccessRefused:
        return False
    return True


def may_add(policy: AccessPolicy, case: Case) -> bool:
    try:
        require_action(policy.actor, case.program.code, "intake", policy=policy)
        _require_item(policy, case, "attachment.add")
    except AccessRefused:
        return False
    return True


def add_attachment(*, actor: Actor, case: Case, kind: str, name: str, data: bytes) -> CaseAttachment:
    """Check and store one file for the case; nothing is written when it is refused."""
    policy = policy_for(actor)
    require_action(actor, case.program.code, "intake", policy=policy)
    _require_item(policy, case, "attachment.add")
    if kind not in attachment_kinds(case):
        raise BusinessRuleError("書類の種類を選んでください。")
    content_type = check_file(name, data)
    if case.status in CLOSED_STATUSES:
        raise BusinessRuleError(f"「{case.get_status_display()}」の申請には添付ファイルを追加できません。")
    ext = FORMATS[content_type][2][0]
    relative = Path("private", "casework", case.program.code, str(case.pk), f"{uuid.uuid4().hex}{ext}")
    full = Path(settings.MEDIA_ROOT) / relative
    full.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(full, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    original = os.path.basename((name or "").replace("\\", "/"))[:200] or f"file{ext}"
    try:
        with transaction.atomic():
            attachment = CaseAttachment.objects.create(
                case=case, kind=kind, original_name=original, content_type=content_type, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), path=relative.as_posix(), uploaded_by=actor.username,
                uploaded_at=timezone.now())
            CaseEvent.objects.create(case=case, at=timezone.now(), on=timezone.localdate(), actor=actor.username,
                                     organisation=actor.organisation_code,
                                     note=f"添付ファイルを登録: {kind}（{original}）")
            record_access(actor=actor, action=AuditEvent.ATTACHMENT_ADD, target=f"case:{case.pk}:file:{attachment.pk}",
                          residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                          purpose=f"添付書類の登録（{kind}）")
    except BaseException:
        full.unlink(missing_ok=True)
        raise
    return attachment


def read_attachment(*, actor: Actor, attachment: CaseAttachment) -> bytes:
    """The file's bytes for download, after the policy check; the download is logged."""
    case = attachment.case
    policy = policy_for(actor)
    require_action(actor, case.program.code, "view", policy=policy)
    _require_item(policy, case, "attachment.read")
    root = private_root().resolve()
    full = (Path(settings.MEDIA_ROOT) / attachment.path).resolve()
    if root not in full.parents or not full.is_file():
        raise BusinessRuleError("添付ファイルが見つかりません。システム管理者に連絡してください。")
    data = full.read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise BusinessRuleError("添付ファイルが登録時から変わっています。システム管理者に連絡してください。")
    with transaction.atomic():
        record_access(actor=actor, action=AuditEvent.ATTACHMENT_VIEW, target=f"case:{case.pk}:file:{attachment.pk}",
                      residents=[case.resident_id] if case.resident_id else [], program=case.program.code,
                      purpose=f"添付書類の表示（{attachment.kind}）")
    return data


@dataclass(frozen=True)
class AttachmentCheck:
    kind: str
    files: int
    recorded: bool  # the application records it as received (e-form, paper check box)

    @property
    def state(self) -> str:
        return "file" if self.files else ("recorded" if self.recorded else "missing")


def attachment_checks(case: Case, required: list[str]) -> list[AttachmentCheck]:
    counts: dict[str, int] = {}
    for kind in CaseAttachment.objects.filter(case=case).values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    recorded = set(case.attachments or [])
    return [AttachmentCheck(kind, counts.get(kind, 0), kind in recorded) for kind in required]


def missing_attachments(case: Case, required: list[str]) -> list[str]:
    return [c.kind for c in attachment_checks(case, required) if c.state == "missing"]


def delete_stored_file(sender: Any, instance: CaseAttachment, **kwargs: Any) -> None:
    """post_delete: the case's erasure (or the row's deletion) takes the file on disk with it."""
    full = Path(settings.MEDIA_ROOT) / instance.path
    if private_root().resolve() in full.resolve().parents:
        transaction.on_commit(lambda: full.unlink(missing_ok=True))
