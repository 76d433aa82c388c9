"""Who may read, write and decide registrations.

- Department staff author their own department's programs.
- The privacy office reads every register, records the council's decisions and edits the templates.
- Auditors and administrators read every register (it holds no residents' data).
- Contractors and sub-contractors read the programs in which their organisation is declared.
- Everyone else is refused with :class:`AccessRefused` (the web layer logs the refusal).
"""

from __future__ import annotations

from django.db.models import QuerySet

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import Outsourcing, Program, Revision

READ_ALL = {Role.PRIVACY_OFFICE, Role.AUDITOR, Role.ADMINISTRATOR}


def _active_user(actor: Actor) -> bool:
    return actor.user is not None and actor.user.is_active


def visible_programs(actor: Actor) -> QuerySet[Program]:
    if not _active_user(actor):
        return Program.objects.none()
    user = actor.user
    assert user is not None
    qs = Program.objects.select_related("department")
    if user.role in READ_ALL:
        return qs
    if user.role == Role.DEPARTMENT_STAFF:
        return qs.filter(department_id=user.organisation_id)
    if user.role in (Role.CONTRACTOR, Role.SUBCONTRACTOR):
        ids = Outsourcing.objects.filter(contractor_id=user.organisation_id).values("revision__program_id")
        return qs.filter(pk__in=ids)
    return qs.none()


def require_read(actor: Actor, program: Program) -> None:
    if not visible_programs(actor).filter(pk=program.pk).exists():
        raise AccessRefused("この事業の登録を閲覧する権限がありません。", action="register.read",
                            target=program.code, program=program.code)


def can_author(actor: Actor, program: Program) -> bool:
    user = actor.user
    return bool(user and user.is_active and user.role == Role.DEPARTMENT_STAFF
                and user.organisation_id == program.department_id)


def require_author(actor: Actor, program: Program) -> None:
    if not can_author(actor, program):
        raise AccessRefused("この事業の登録を作成・変更できるのは、担当課の職員だけです。", action="register.write",
                            target=program.code, program=program.code)


def can_decide(actor: Actor) -> bool:
    user = actor.user
    return bool(user and user.is_active and user.role == Role.PRIVACY_OFFICE)


def require_decider(actor: Actor, program: Program | None = None) -> None:
    if not can_decide(actor):
        code = program.code if program else ""
        raise AccessRefused("審議会の決定を記録できるのは、個人情報保護担当課だけです。", action="register.decide",
                            target=code, program=code)


def require_template_editor(actor: Actor) -> None:
    if not can_decide(actor):
        raise AccessRefused("チェックリストと特記事項のひな形を編集できるのは、個人情報保護担当課だけです。",
                            action="register.templates")


def require_editable(actor: Actor, revision: Revision) -> None:
    """The actor may author the program and the revision is not frozen."""
    from madoguchi.core.errors import BusinessRuleError

    require_author(actor, revision.program)
    # Read the status from the database: the caller's object may be stale (a form opened before approval).
    revision.status = Revision.objects.values_list("status", flat=True).get(pk=revision.pk)
    if revision.is_frozen:
        raise BusinessRuleError(
            f"第{revision.number}版は「{revision.get_status_display()}」のため変更できません。"
            "変更するには新しい版を作成してください。")
