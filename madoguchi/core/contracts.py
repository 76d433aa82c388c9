"""The seam between the access-log analysis (audit) and the register, which knows the contracts (ADR 0001).

The register registers a *provider*: ``fn(organisation_code, day) -> bool | None`` answering whether the
organisation had a valid (approved, declared) contract on that day; ``None`` means "no opinion" (e.g. the
organisation is not a contractor).  The analysis asks :func:`has_valid_contract` and reports access by
contractors' users on days without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

ContractPeriodProvider = Callable[[str, dt.date], bool | None]
_providers: dict[str, ContractPeriodProvider] = {}


def register_contract_period_provider(fn: ContractPeriodProvider, *, name: str | None = None) -> None:
    """Register (or replace, by name) a provider.  Called from an app's ``ready()``."""
    _providers[name or f"{fn.__module__}.{fn.__qualname__}"] = fn


def unregister_contract_period_provider(name: str) -> None:
    _providers.pop(name, None)


def contract_providers_registered() -> bool:
    return bool(_providers)


def has_valid_contract(organisation_code: str, day: dt.date) -> bool | None:
    """True if any provider knows a valid contract that day, False if one says there is none, else None."""
    answer: bool | None = None
    for provider in _providers.values():
        result = provider(organisation_code, day)
        if result:
            return True
        if result is False:
            answer = False
    return answer
