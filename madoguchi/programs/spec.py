"""The program-type seam (ADR 0010): what one program type declares, in one frozen value.

A program type is one package ``madoguchi/programs/types/<code>/`` whose ``__init__`` builds a
:class:`ProgramTypeSpec` and calls :func:`madoguchi.programs.registry.register` once.  Registration wires
the spec into the generic engines below (payables, hand-over datasets, erasers, application rules), each
keyed by the type's code, and fails at import on a duplicate.  Nothing in casework, payments or handover
compares the type by name.

A spec declares only what the type really does: an empty tuple or ``None`` means "this type has none".
The contract test (``tests/programs/test_contract.py``) runs over every registered spec.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from madoguchi.casework.rules import ApplicationRules
    from madoguchi.core.payables import Provider
    from madoguchi.handover.datasets import DatasetProvider
    from madoguchi.handover.erasers import Eraser
    from madoguchi.register.models import Program
    from madoguchi.residents.models import Resident


@dataclass(frozen=True)
class ExtractionRule:
    """A rule that picks people from the resident master (``enrol --from-master CODE``).

    ``residents(program, on)`` returns the residents the rule selects on a day (a queryset, not shown to
    anyone); ``admits(program, resident, on)`` says why one resident is outside the rule ('' when inside;
    a type may pass the same function as its ``roster_admits`` so that rosters keep the rule).  ``scope`` is
    the keyword the declared person scope must contain (e.g. 「対象者」)."""

    code: str
    label: str
    scope: str
    residents: Callable[[Program, dt.date], QuerySet[Resident]]
    admits: Callable[[Program, Resident, dt.date], str]
    source: str = ""  # where the rule comes from (seed, statute, reference section)


@dataclass(frozen=True)
class Screen:
    """A screen of the type, reached from the program page: a URL name taking the program code."""

    url_name: str
    label: str
    owner_only: bool = True  # only the owning department's staff may open it (the contract test checks it)


@dataclass(frozen=True)
class Simulator:
    """Money computed by the type: ``run(program, inputs) -> yen``; ``inputs`` names the parameters."""

    label: str
    inputs: tuple[tuple[str, str], ...]  # (key, Japanese label); values are integers (yen, counts)
    run: Callable[[Program, dict[str, int]], int]


@dataclass(frozen=True)
class ProgramTypeSpec:
    """Everything one program type brings.  Build it with keyword arguments; it is frozen."""

    code: str  # one of madoguchi.register.models.ProgramType
    label: str  # Japanese label, as in ProgramType
    summary: str  # one sentence for the program page and the create form
    seed: str  # the council document the type was modelled on (e.g. "seed 000")
    reads: frozenset[str] = frozenset()  # catalogue item keys the type reads
    writes: frozenset[str] = frozenset()  # catalogue item keys the type writes
    roster_scope: str = ""  # person-scope keyword for a roster CSV or one resident ('' = the type takes none)
    roster_role: str = "対象者"  # Participation.role written for people enrolled by roster or one by one
    # why one person of a roster is outside the type's people ('' = inside); None = the engine's default
    # check (registered in the ward, :func:`madoguchi.programs.services.enrolment.registered_in_ward`)
    roster_admits: Callable[[Program, Resident, dt.date], str] | None = None
    extraction_rules: tuple[ExtractionRule, ...] = ()
    rule_model: type[Model] | None = None  # the parameters of the type's rule, one row per program
    simulator: Simulator | None = None
    application_rules: ApplicationRules | None = None  # the type takes applications (casework)
    screens: tuple[Screen, ...] = ()
    urlconf: str = ""  # dotted module with ``urlpatterns`` of the type's own screens ('' = none)
    notice_kinds: tuple[tuple[str, str], ...] = ()  # (code, Japanese label) of notices the type sends
    payables: Provider | None = None  # what the type has ready to pay, for payment batches
    datasets: tuple[DatasetProvider, ...] = ()  # hand-over datasets; the first is the default
    erasers: tuple[Eraser, ...] = ()  # erasers of tables only this type keeps
    person_models: tuple[str, ...] = ()  # "app.Model" labels of tables the type keeps people in
    retention: str = ""  # how long the type keeps its people's data (shown on the program page)
    demo: Callable[..., None] | None = None  # seed(*, rng, scale, stdout) run by seed_demo

    def extraction_rule(self, code: str) -> ExtractionRule | None:
        return next((r for r in self.extraction_rules if r.code == code), None)

    def scope_keywords(self) -> Iterable[str]:
        if self.roster_scope:
            yield self.roster_scope
        for rule in self.extraction_rules:
            yield rule.scope
