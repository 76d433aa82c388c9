"""The registry of program types (ADR 0010).

:func:`register` is called once per type, from the type package's ``__init__``; it checks the spec against
the fixed list (:class:`madoguchi.register.models.ProgramType`) and wires its parts into the generic
engines' registries, each keyed by the type code:

- application rules → :mod:`madoguchi.casework.rules`
- payables → :mod:`madoguchi.core.payables`
- hand-over datasets → :mod:`madoguchi.handover.datasets`
- erasers → :mod:`madoguchi.handover.erasers`

A second registration of the same type, or a part registered twice, raises at import
(:class:`DuplicateRegistration`), so a misconfigured start fails loudly instead of silently replacing.
"""

from __future__ import annotations

import importlib

from madoguchi.casework.rules import register_rules
from madoguchi.core.errors import DuplicateRegistration
from madoguchi.core.payables import register_provider
from madoguchi.handover.datasets import register_dataset
from madoguchi.handover.erasers import register_eraser
from madoguchi.programs.spec import ProgramTypeSpec
from madoguchi.register.models import Program, ProgramType

TYPES_PACKAGE = "madoguchi.programs.types"
_specs: dict[str, ProgramTypeSpec] = {}


class UnknownProgramType(LookupError):
    """A program whose type has no registered spec (blank or not in the fixed list)."""

    def __init__(self, program_type: str, program: str = "") -> None:
        label = f"事業「{program}」の" if program else ""
        shown = program_type or "（未設定）"
        super().__init__(f"{label}事業類型「{shown}」は登録されていません。事業類型は "
                         f"{'、'.join(str(t.label) for t in ProgramType)} のいずれかです。")


def register(spec: ProgramTypeSpec) -> ProgramTypeSpec:
    """Register a program type and wire its parts into the engines; returns the spec.

    Raises :class:`DuplicateRegistration` when the type is registered twice and ``ValueError`` when the
    code is not in the fixed list or the label differs from it."""
    if spec.code in _specs:
        raise DuplicateRegistration(f"program type {spec.code!r} is already registered")
    if spec.code not in ProgramType.values:
        raise ValueError(f"program type {spec.code!r} is not in register.models.ProgramType")
    if str(ProgramType(spec.code).label) != spec.label:
        raise ValueError(f"program type {spec.code!r}: label {spec.label!r} differs from ProgramType")
    if spec.application_rules is not None:
        register_rules(spec.code, spec.application_rules)
    if spec.payables is not None:
        register_provider(spec.code, spec.payables)
    for dataset in spec.datasets[:1]:
        register_dataset(spec.code, dataset)
    for eraser in spec.erasers:
        register_eraser(eraser, program_type=spec.code)
    _specs[spec.code] = spec
    return spec


def autodiscover() -> None:
    """Import every type package (one per ProgramType value); called from the app's ``ready()``."""
    for code in ProgramType.values:
        importlib.import_module(f"{TYPES_PACKAGE}.{code}")


def specs() -> list[ProgramTypeSpec]:
    """Registered specs in the order of the fixed list."""
    return [_specs[code] for code in ProgramType.values if code in _specs]


def spec_for_type(program_type: str) -> ProgramTypeSpec:
    """The spec of a type code; raises :class:`UnknownProgramType`."""
    try:
        return _specs[program_type]
    except KeyError:
        raise UnknownProgramType(program_type) from None


def spec_for(program: Program) -> ProgramTypeSpec:
    """The spec of a program's type; raises :class:`UnknownProgramType` naming the program."""
    try:
        return _specs[program.program_type]
    except KeyError:
        raise UnknownProgramType(program.program_type, program.name) from None
