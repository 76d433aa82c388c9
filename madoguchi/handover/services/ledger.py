"""The hand-over ledger (管理簿): returns, recipients' erasure certificates, Zengin files, XLSX export."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Organisation, User
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import BusinessRuleError
from madoguchi.core.sheets import append_row
from madoguchi.handover import storage
from madoguchi.handover.models import EntryKind, LedgerEntry
from madoguchi.handover.services.access import require_entry_owner
from madoguchi.handover.services.packing import sha256
from madoguchi.register.models import Medium, Program

log = logging.getLogger(__name__)

CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
CERTIFICATE_TYPES = {b"%PDF": ".pdf", b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg"}
RETURNLESS_MEDIA = {Medium.ELECTRONIC, Medium.TRANSFER_FILE, Medium.VPN, Medium.CONTRACTOR_SERVER}


def _check_day(day: dt.date, entry: LedgerEntry, what: str) -> None:
    handed = timezone.localtime(entry.handed_at).date()
    if day < handed:
        raise BusinessRuleError(f"{what}が受渡日（{handed}）より前です。")
    if day > timezone.localdate():
        raise BusinessRuleError(f"{what}に未来の日付は入力できません。")


def record_return(*, entry: LedgerEntry, returned_on: dt.date, note: str = "", actor: Actor) -> LedgerEntry:
    """The medium (and the password notice) came back; the actor received it."""
    require_entry_owner(actor, entry, action="handover.return")
    if not entry.needs_return:
        raise BusinessRuleError("この受渡は媒体の返却を要しません。")
    if entry.returned_on:
        raise BusinessRuleError(f"返却は記録済みです（{entry.returned_on}）。")
    _check_day(returned_on, entry, "返却日")
    with transaction.atomic():
        entry.returned_on = returned_on
        entry.returned_to = actor.user
        entry.returned_to_name = str(actor.user)
        entry.return_note = note.strip()[:300]
        entry.save(update_fields=["returned_on", "returned_to", "returned_to_name", "return_note"])
        record_access(actor=actor, action=AuditEvent.HANDOVER_RETURN, target=f"ledger:{entry.pk}:return",
                      program=entry.program_code, reason=f"返却日 {returned_on} 媒体 {entry.medium_label}")
    return entry


def _certificate_kind(head: bytes) -> str:
    for magic, ext in CERTIFICATE_TYPES.items():
        if head.startswith(magic):
            return ext
    raise BusinessRuleError("消去証明書は PDF、PNG または JPEG のファイルを選んでください。")


def record_recipient_erasure(*, entry: LedgerEntry, erased_on: dt.date, method: str, certificate: UploadedFile,
                             actor: Actor) -> LedgerEntry:
    """The recipient erased its copy: date, method and its certificate (報告書) file."""
    require_entry_owner(actor, entry, action="handover.certificate")
    if entry.certificate_path:
        raise BusinessRuleError("消去証明書は登録済みです。")
    if not method.strip():
        raise BusinessRuleError("消去方法を入力してください。")
    _check_day(erased_on, entry, "消去日")
    if certificate.size is None or certificate.size == 0:
        raise BusinessRuleError("消去証明書のファイルが空です。")
    if certificate.size > CERTIFICATE_MAX_BYTES:
        raise BusinessRuleError("消去証明書のファイルは 10MB 以下にしてください。")
    data = certificate.read()
    ext = _certificate_kind(data[:8])
    relative = storage.write("certificates", f"ledger{entry.pk}{ext}", data)
    with transaction.atomic():
        entry.erased_on = erased_on
        entry.erasure_method = method.strip()[:200]
        entry.certificate_path = relative
        entry.certificate_name = (certificate.name or "")[:200]
        entry.certificate_sha256 = sha256(data)
        entry.certificate_uploaded_by = actor.user
        entry.certificate_uploaded_at = timezone.now()
        entry.save()
        record_access(actor=actor, action=AuditEvent.HANDOVER_RETURN, target=f"ledger:{entry.pk}:certificate",
                      program=entry.program_code,
                      reason=f"委託先の消去 {erased_on} {entry.erasure_method} SHA-256 {entry.certificate_sha256}")
    return entry


def open_certificate(*, entry: LedgerEntry, actor: Actor) -> bytes:
    from madoguchi.handover.services.access import ledger_queryset

    if not ledger_queryset(actor).filter(pk=entry.pk).exists():
        require_entry_owner(actor, entry, action="handover.certificate")
    if not entry.certificate_path:
        raise BusinessRuleError("消去証明書は登録されていません。")
    return storage.read(entry.certificate_path)


# --- Zengin files (payments' ``file_exported`` signal) -----------------------------------------------

def _pick(kwargs: dict[str, Any], *names: str, default: Any = None) -> Any:
    for name in names:
        if kwargs.get(name) not in (None, ""):
            return kwargs[name]
    return default


def record_zengin_file(sender: Any = None, **kwargs: Any) -> LedgerEntry | None:
    """Receiver of ``core.payables.file_exported``: one ledger row per Zengin file (idempotent by reference).

    Reads the keyword arguments the payments app sends; unknown extra arguments are ignored.  Known:
    ``program_code``, ``file_name``, ``sha256`` (or ``data``/``content`` bytes), ``record_count``, ``actor``,
    ``source_ref``/``batch_id`` (else the file's hash makes the row unique), ``recipient`` (bank name or Organisation), ``medium``, ``medium_label``,
    ``exported_at``.  Only ``kind="zengin"`` (or no kind) is a hand-over; a re-issue of the same bytes
    finds its row by the hash and adds none.
    """
    kind = str(kwargs.get("kind") or "zengin")
    if kind != "zengin":
        return None  # result files come in, summaries stay in the ward: only transfer files are handed over
    actor = _pick(kwargs, "actor")
    user: User | None = getattr(actor, "user", None) if actor is not None else _pick(kwargs, "user")
    program_code = str(_pick(kwargs, "program_code", "program", default=""))
    if isinstance(_pick(kwargs, "program"), Program):
        program_code = kwargs["program"].code
    program = Program.objects.filter(code=program_code).first()
    payload = _pick(kwargs, "data", "content")
    digest = _pick(kwargs, "sha256", "file_sha256", default="")
    if not digest and isinstance(payload, bytes | bytearray):
        digest = sha256(bytes(payload))
    batch = _pick(kwargs, "batch_id", "batch")
    if batch:
        default_ref = f"zengin:{getattr(batch, 'pk', batch)}"
    else:
        default_ref = f"zengin:{digest}" if digest else ""
    source_ref = str(_pick(kwargs, "source_ref", default=default_ref))
    items = [str(i) for i in _pick(kwargs, "items", default=[]) if not str(i).startswith("payment_item:")]
    recipient_value = _pick(kwargs, "recipient", "bank", "bank_name", default="指定金融機関")
    recipient = recipient_value if isinstance(recipient_value, Organisation) else None
    medium = str(_pick(kwargs, "medium", default=Medium.TRANSFER_FILE))
    count = int(_pick(kwargs, "record_count", "count", default=0) or 0)
    file_name = str(_pick(kwargs, "file_name", "filename", default=""))
    if source_ref and LedgerEntry.objects.filter(kind=EntryKind.ZENGIN, source_ref=source_ref).exists():
        return None
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                kind=EntryKind.ZENGIN, handed_at=_pick(kwargs, "exported_at", default=timezone.now()),
                handler=user, handler_name=str(user) if user else "", program=program,
                program_code=program_code, recipient=recipient,
                recipient_name=str(recipient.name if recipient else recipient_value)[:200],
                content=str(_pick(kwargs, "content_label", "purpose", default="全銀協規定 総合振込ファイル"))[:300],
                items=items or ["振込先口座", "口座名義（カナ）", "支給額"],
                record_count=count, medium=medium, medium_label=str(_pick(kwargs, "medium_label", default="")),
                file_name=file_name[:200], sha256=str(digest), source_ref=source_ref[:100],
                return_due=None if medium in RETURNLESS_MEDIA else _pick(kwargs, "return_due"),
            )
    except IntegrityError:
        return None
    return entry


def connect_zengin_signal() -> bool:
    """Connect :func:`record_zengin_file` to ``core.payables.file_exported`` if payments defines it."""
    from madoguchi.core import payables

    signal = getattr(payables, "file_exported", None)
    if signal is None:
        log.info("core.payables.file_exported がまだありません。全銀ファイルは管理簿に記録されません。")
        return False
    signal.connect(record_zengin_file, dispatch_uid="handover.record_zengin_file")
    return True


# --- XLSX ---------------------------------------------------------------------------------------------

LEDGER_HEADER = ["番号", "種別", "受渡日時", "取扱者", "事業", "受渡先", "情報の内容", "項目", "件数", "媒体",
                 "媒体の識別番号", "ファイル名", "SHA-256", "返却期限", "返却日", "受領者", "委託先の消去日",
                 "消去方法", "消去証明書", "状況"]


def entry_status(entry: LedgerEntry, today: dt.date) -> str:
    if entry.return_overdue(today):
        return "返却期限超過"
    if entry.certificate_missing(today):
        return "消去証明書未提出"
    if not entry.needs_return:
        return "返却不要"
    if entry.certificate_path:
        return "完了"
    return "返却待ち"


def ledger_xlsx(entries: list[LedgerEntry], *, actor: Actor) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    today = timezone.localdate()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "受渡管理簿"
    append_row(ws, LEDGER_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    warn = PatternFill("solid", fgColor="FFE0E0")
    for e in entries:
        status = entry_status(e, today)
        append_row(ws, [
            e.pk, e.get_kind_display(), timezone.localtime(e.handed_at).strftime("%Y-%m-%d %H:%M"), e.handler_name,
            e.program_code, e.recipient_name, e.content, "、".join(e.items), e.record_count,
            str(dict(Medium.choices).get(e.medium, e.medium)), e.medium_label, e.file_name, e.sha256,
            e.return_due, e.returned_on, e.returned_to_name, e.erased_on, e.erasure_method,
            "あり" if e.certificate_path else "", status,
        ])
        if status in ("返却期限超過", "消去証明書未提出"):
            for cell in ws[ws.max_row]:
                cell.fill = warn
    for column, width in zip("ABCDEFGHIJKLMNOPQRST", [6, 14, 17, 16, 22, 26, 30, 30, 8, 12, 16, 30, 66, 11, 11,
                                                      14, 13, 18, 10, 16], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    record_access(actor=actor, action=AuditEvent.HANDOVER_EXPORT, target="ledger.xlsx",
                  reason=f"受渡管理簿 {len(entries)} 行")
    return buf.getvalue()
