"""The job mechanism's pure parts: when a worker counts as dead (ADR 0012)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.jobs.sweeper import worker_is_dead

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@given(silent=st.floats(min_value=0, max_value=86_400), stale=st.floats(min_value=1, max_value=3_600),
       host=st.text(alphabet="abcdefghij-", min_size=1, max_size=20).map(lambda h: f"elsewhere-{h}"))
def test_a_worker_elsewhere_is_dead_exactly_when_its_heartbeat_is_older_than_the_threshold(
        silent: float, stale: float, host: str) -> None:
    beat = NOW - dt.timedelta(seconds=silent)
    dead = worker_is_dead(f"{host}:123:tok", beat, now=NOW, stale_after=stale)
    assert dead == (beat < NOW - dt.timedelta(seconds=stale))


def test_a_claim_without_any_heartbeat_from_elsewhere_is_dead() -> None:
    assert worker_is_dead("elsewhere:1:x", None, now=NOW, stale_after=120)


def test_every_job_row_keeps_the_contract_of_the_one_mechanism() -> None:
    """Each job type (today's and each program type's) can be claimed, failed, swept and run."""
    from pathlib import Path

    from django.utils.module_loading import import_string

    from madoguchi.core.jobs.sweeper import job_models

    models = job_models()
    assert {m._meta.label for m in models} >= {"residents.ImportJob", "payments.BatchJob", "casework.NoticeJob",
                                               "handover.PackageJob"}
    for model in models:
        statuses = {value for value, _ in model._meta.get_field("status").choices}
        assert {model.QUEUED, model.RUNNING, model.FAILED} <= statuses, model
        assert model.QUEUED in model.ACTIVE and model.RUNNING in model.ACTIVE and model.FAILED not in model.ACTIVE
        assert callable(import_string(model.RUNNER)), model
        field = model._meta.get_field(model.FAILURE_FIELD)
        assert field.get_internal_type() == "TextField", model
    # and one task for all of them: no app keeps a tasks module that its services import back
    root = Path(__file__).resolve().parents[2] / "madoguchi"
    assert sorted(str(p.relative_to(root)) for p in root.glob("*/tasks.py")) == []
