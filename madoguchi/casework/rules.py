"""The seam between casework (the generic engine of applications and cases) and the program types that
run applications (ADR 0010).

Casework knows how a case moves (received → reviewed → decided → paid) but not what makes an applicant
eligible or how much is granted: that is the program type's rule.  A program type registers one
:class:`ApplicationRules` for its type code at import (``madoguchi.programs.types.<type>``); casework asks
:func:`rules_for` with the program's type.  A second registration for the same type fails at import.

A program whose type registered no rules has no case screens (:func:`case_program_types`), unless cases
already exist for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from madoguchi.core.errors import DuplicateRegistration

if TYPE_CHECKING:
    from madoguchi.casework.models import Case
    from madoguchi.register.models import Program


@dataclass(frozen=True)
class DuplicatePolicy:
    """What the duplicate check compares an application with."""

    exclude_past_grantees: bool = True  # against the imported past-grantee lists
    one_per_household: bool = True  # against other applications of the same household


class ApplicationRules(Protocol):
    """The rule of a program type that takes applications.  Every method is read-only."""

    def findings(self, case: Case) -> list[tuple[bool, str]]:
        """(ok, text) per rule, shown to reviewers; a failing one (except duplicates) stops a grant."""

    def computed_amount(self, case: Case) -> int:
        """The amount in yen the rule gives for the case (0 when the program has no rule yet)."""

    def required_attachments(self, program: Program) -> list[str]:
        """Kinds of attachment an applicant must send (e.g. 領収書)."""

    def pledges(self, program: Program) -> list[str]:
        """Pledges and consents the applicant must agree to."""

    def duplicate_policy(self, program: Program) -> DuplicatePolicy:
        """What the duplicate check of this program compares."""


_rules: dict[str, ApplicationRules] = {}


def register_rules(program_type: str, rules: ApplicationRules) -> None:
    """Register the application rules of a program type; a second registration raises."""
    if program_type in _rules:
        raise DuplicateRegistration(f"application rules for program type {program_type!r} are already registered")
    _rules[program_type] = rules


def rules_for(program: Program) -> ApplicationRules | None:
    """The rules of the program's type, or None when the type takes no applications."""
    return _rules.get(program.program_type)


def case_program_types() -> tuple[str, ...]:
    """Program types that run applications (cases)."""
    return tuple(sorted(_rules))


def duplicate_policy(program: Program) -> DuplicatePolicy:
    rules = rules_for(program)
    return rules.duplicate_policy(program) if rules else DuplicatePolicy()
