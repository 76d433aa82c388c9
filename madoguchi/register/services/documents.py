"""Generating the council documents and the file register (each generation is logged)."""

from __future__ import annotations

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core.errors import BusinessRuleError
from madoguchi.register.models import Program, Revision
from madoguchi.register.services.access import require_read, visible_programs

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8"}


def pick_revision(program: Program, number: int | None = None) -> Revision:
    if number is not None:
        revision = program.revisions.filter(number=number).first()
        if revision is None:
            raise BusinessRuleError(f"{program.code} に第{number}版はありません。")
        return revision
    revision = program.revisions.order_by("-number").first()
    if revision is None:
        raise BusinessRuleError(f"{program.code} には登録がありません。")
    return revision


def council_document(*, revision: Revision, fmt: str, actor: Actor) -> bytes:
    """The 付議事項 of one revision as DOCX or PDF."""
    from madoguchi.register.documents.agenda import build_agenda

    require_read(actor, revision.program)
    blocks = build_agenda(revision)
    title = f"{revision.get_agenda_kind_display()} {revision.program.name} 第{revision.number}版"
    if fmt == "docx":
        from madoguchi.register.documents.docx_writer import render_docx

        data = render_docx(blocks, title=title)
    elif fmt == "pdf":
        from madoguchi.register.documents.pdf_writer import render_pdf

        data = render_pdf(blocks, title=title)
    else:
        raise BusinessRuleError("形式は docx 又は pdf を選んでください。")
    record_access(actor=actor, action=AuditEvent.REGISTER_DOCUMENT, target=f"{revision} 付議事項（{fmt}）",
                  program=revision.program.code)
    return data


def file_register(*, fmt: str, actor: Actor) -> bytes:
    """個人情報ファイル簿 of the programs the actor may read."""
    from madoguchi.register.documents.file_register import register_rows, to_csv, to_xlsx

    programs = list(visible_programs(actor).order_by("code"))
    rows = register_rows(programs)
    if fmt == "xlsx":
        data = to_xlsx(rows)
    elif fmt == "csv":
        data = to_csv(rows)
    else:
        raise BusinessRuleError("形式は xlsx 又は csv を選んでください。")
    record_access(actor=actor, action=AuditEvent.REGISTER_DOCUMENT, target=f"個人情報ファイル簿（{fmt}）")
    return data
