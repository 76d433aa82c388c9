"""The seam through which the council document shows each measure's evidence status (ADR 0001).

The status needs the hand-over ledger, which lives above the register; the hand-over app registers a
provider here in its ``ready()``: ``fn(program) -> {measure key: status label}`` (the worst status over the
program's contracts, e.g. 期限切れ).  Without a provider the documents simply leave the column out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from madoguchi.register.models import Program

MeasureStatusProvider = Callable[["Program"], dict[str, str]]
_provider: list[MeasureStatusProvider] = []


def register_measure_status_provider(fn: MeasureStatusProvider) -> None:
    """Set the provider; a second registration is a programming error and fails loudly."""
    if _provider and _provider[0] is not fn:
        raise RuntimeError("measure status provider registered twice")
    _provider[:] = [fn]


def measure_status_labels(program: Program) -> dict[str, str] | None:
    """{measure key: status label} from the provider, or None when no provider is registered."""
    return _provider[0](program) if _provider else None
