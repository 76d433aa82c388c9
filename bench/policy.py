"""What the access policy costs per request: ``policy_for`` and one resident through the policy.

    .venv/bin/madoguchi seed_demo --scale small     # once, into the database the settings point to
    .venv/bin/python -m bench.policy [--rounds 300]

Runs against the configured database (``DATABASE_URL`` or the embedded SQLite of ``MADOGUCHI_VAR_DIR``)
and the demo users of ``madoguchi.accounts.services.demo``; changes nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from madoguchi.accounts.context import Actor  # noqa: E402
from madoguchi.accounts.models import User  # noqa: E402
from madoguchi.register.policy import open_resident, policy_for, resident_queryset  # noqa: E402

USERS = ["tanto", "itaku", "callcenter", "saiitaku", "hogo"]


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"median {statistics.median(samples) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for username in USERS:
        user = User.objects.select_related("organisation").filter(username=username).first()
        if user is None:
            print(f"{username}: missing (run `madoguchi seed_demo` first)")
            continue
        actor = Actor(user=user, address="127.0.0.1", channel="web")
        with CaptureQueriesContext(connection) as queries:
            policy = policy_for(actor)
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            policy_for(actor)
            times.append(time.perf_counter() - t0)
        print(f"policy_for({username}): {len(policy.grants)} grants, {len(queries)} queries, {_ms(times)}")
        if not policy.grants:
            continue
        first = resident_queryset(actor, policy=policy).order_by("pk").values_list("pk", flat=True).first()
        if first is None:
            continue
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            open_resident(actor, first, policy=policy)
            times.append(time.perf_counter() - t0)
        print(f"  open_resident (policy given): {_ms(times)}")
        reset_queries()


if __name__ == "__main__":
    main()
