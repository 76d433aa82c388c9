"""Errors that services raise and the web, API and command layers turn into messages."""

from __future__ import annotations

from dataclasses import dataclass, field


class AccessRefused(Exception):
    """The actor may not do this.  The web layer logs the refusal and answers 403."""

    def __init__(self, reason: str, *, action: str = "", target: str = "", program: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.action = action
        self.target = target
        self.program = program


def hidden_object(what: str, target: str, *, program: str = "") -> AccessRefused:
    """The one refusal for an object looked up by id that does not exist *or* that the actor may not see.

    Both answer the same words (403, logged by the caller's layer), so that nobody can learn by probing ids
    whether a case, resident or file exists (issue 16 item 9; ADR 0013).  ``what`` names the kind of
    object in Japanese (e.g. "申請"); ``target`` (e.g. ``case:123``) and ``program`` go only to the log.
    """
    return AccessRefused(f"指定された{what}は、存在しないか、閲覧する権限がありません。", target=target, program=program)


class DuplicateRegistration(RuntimeError):
    """A second registration under the same key in a registry (payables, datasets, erasers, program types).

    Raised at import, so that a misconfigured start fails loudly instead of silently replacing (ADR 0010)."""


class BusinessRuleError(Exception):
    """A request that breaks a rule of the program or of the register (shown to the user as is)."""


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line in the file (the header is line 1)
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.line}行目" if self.line else "ファイル"
        col = f"「{self.column}」列" if self.column else ""
        return f"{where}{col}: {self.reason}"


@dataclass
class ImportRejected(Exception):
    """An import that was refused as a whole; nothing was changed."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{len(self.errors)}件の誤りがあるため、取り込みませんでした（何も変更していません）。"
        return head + "\n" + "\n".join(str(e) for e in self.errors[:200])
