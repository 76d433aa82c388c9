"""Which people a program may take in: the person scopes (個人の範囲) of its newest approved revision.

Every list of people a program takes in — an enrolment from the master, a roster CSV, one resident at a
time, a past-grantee list — is allowed only where the registration in force declares that kind of person
(ADR 0010).  A scope is named in the register in the ward's own words ("防犯機器等購入緊急補助事業の申請者",
"過去の交付決定者"); an operation asks for it by a keyword that the declared name must contain
("申請者", "過去の交付決定者").  A withdrawn program takes in nobody.
"""

from __future__ import annotations

from madoguchi.core.errors import AccessRefused
from madoguchi.register.models import PersonScope, Program, Revision, RevisionStatus


def newest_decided_revision(program: Program) -> Revision | None:
    """The newest revision that the council decided (approved or withdrawn), or None."""
    return (program.revisions.filter(status__in=[RevisionStatus.APPROVED, RevisionStatus.WITHDRAWN])
            .order_by("-number").first())


def revision_in_force(program: Program) -> Revision:
    """The newest approved revision of a program that is not withdrawn.

    Raises :class:`AccessRefused` naming the reason (never approved; withdrawn on a date)."""
    decided = newest_decided_revision(program)
    if decided is None:
        raise AccessRefused(f"事業「{program.name}」は審議会で承認された登録がないため、対象者を取り込めません。",
                            program=program.code, action="program.enrol")
    if decided.status == RevisionStatus.WITHDRAWN:
        when = f"（{decided.withdrawn_on}）" if decided.withdrawn_on else ""
        raise AccessRefused(f"事業「{program.name}」は廃止されています{when}。対象者を取り込めません。",
                            program=program.code, action="program.enrol")
    return decided


def declared_scopes(program: Program) -> list[str]:
    """Names of the person scopes of the revision in force; [] when there is none."""
    try:
        revision = revision_in_force(program)
    except AccessRefused:
        return []
    return list(revision.scopes.order_by("order", "id").values_list("name", flat=True))


def require_declared_scope(program: Program, keyword: str) -> PersonScope:
    """The declared scope whose name contains ``keyword`` in the revision in force.

    Raises :class:`AccessRefused` with the reason when the program is withdrawn, has no approved
    revision, or its revision in force does not declare such a scope (e.g. seed 000 v1 has no
    「過去の交付決定者」)."""
    revision = revision_in_force(program)
    scope = revision.scopes.filter(name__contains=keyword).order_by("order", "id").first()
    if scope is None:
        declared = "、".join(revision.scopes.values_list("name", flat=True)) or "なし"
        raise AccessRefused(
            f"承認された登録（第{revision.number}版）の個人の範囲に「{keyword}」がありません"
            f"（登録されている範囲: {declared}）。登録を変更して審議会の承認を受けてから取り込んでください。",
            program=program.code, action="program.enrol")
    return scope

