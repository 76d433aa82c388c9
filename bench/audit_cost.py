"""What the access log costs: ``record_access`` per call, and per request of a logged page.

    .venv/bin/python -m bench.audit_cost [--calls 2000] [--requests 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_auditbench .venv/bin/python -m bench.audit_cost

Per request: the same minimal view with and without one ``record_access`` call, through the Django test
client (session, authentication, all middleware including terminal binding); the difference is what the
log adds to a request.  Target (issue 2): ≤ 2 ms per request.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.audit_db import bench_database, setup_django

setup_django()

from django.db import transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from madoguchi.accounts.context import Actor  # noqa: E402
from madoguchi.audit.events import AuditEvent  # noqa: E402
from madoguchi.audit.services import record_access  # noqa: E402


def plain_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def logged_view(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        record_access(actor=Actor.from_request(request), action=AuditEvent.RESIDENT_VIEW, residents=[1, 2, 3],
                      target="bench", program="bench", purpose="計測")
        return HttpResponse("ok")


urlpatterns = [path("plain/", plain_view), path("logged/", logged_view)]


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def describe(name: str, ms: list[float]) -> str:
    ms_sorted = sorted(ms)
    p95 = ms_sorted[int(len(ms_sorted) * 0.95) - 1]
    return (f"  {name:<44} mean {statistics.fmean(ms):6.3f} ms  p50 {statistics.median(ms):6.3f} ms  "
            f"p95 {p95:6.3f} ms  (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--sqlite-wal", action="store_true",
                        help="SQLite: journal_mode=WAL, synchronous=NORMAL (durable at checkpoints, no fsync per commit)")
    parser.add_argument("--async-commit", action="store_true",
                        help="PostgreSQL: settings.AUDIT_ASYNC_COMMIT=True (SET LOCAL synchronous_commit=off)")
    args = parser.parse_args()
    if args.async_commit:
        from django.conf import settings

        settings.AUDIT_ASYNC_COMMIT = True
    with bench_database() as where:
        if args.async_commit:
            where += " with AUDIT_ASYNC_COMMIT=True"
        if args.sqlite_wal:
            from django.db import connection as conn

            with conn.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            where += " with journal_mode=WAL, synchronous=NORMAL"
        from django.test import Client
        from django.test.utils import override_settings

        from madoguchi.accounts.models import Organisation, Role, User
        from madoguchi.audit.services.verify import verify_chain

        print(f"access-log cost on {where}")
        org = Organisation.objects.create(code="bench", name="計測課", kind="department")
        user = User.objects.create(username="bench", role=Role.DEPARTMENT_STAFF, organisation=org)
        actor = Actor(user=user, address="127.0.0.1", channel="bench")
        for _ in range(50):  # warm up
            record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[1])

        def autocommit() -> None:
            record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[1, 2, 3], target="bench")

        def in_transaction() -> None:
            with transaction.atomic():
                record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[1, 2, 3], target="bench")

        from django.db import connection

        def bare_commit() -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("UPDATE accounts_user SET failed_logins = failed_logins + 1 WHERE username = 'bench'")

        print(describe("floor: a transaction with one one-row UPDATE", timed(bare_commit, args.calls)))
        print(describe("record_access, own transaction", timed(autocommit, args.calls)))
        print(describe("record_access, inside a caller's transaction", timed(in_transaction, args.calls)))
        big = list(range(1, 1001))
        print(describe("record_access, 1,000 residents in one row",
                       timed(lambda: record_access(actor=actor, action=AuditEvent.RESIDENT_EXPORT, residents=big),
                             max(args.calls // 10, 50))))

        with override_settings(ROOT_URLCONF="bench.audit_cost", DEBUG=False):
            client = Client(REMOTE_ADDR="127.0.0.1")
            client.force_login(user)
            for _ in range(50):
                client.get("/plain/")
                client.get("/logged/")
            plain: list[float] = []
            logged: list[float] = []
            for _ in range(args.requests):  # interleaved, so drift hits both alike
                plain += timed(lambda: client.get("/plain/"), 1)
                logged += timed(lambda: client.get("/logged/"), 1)
        print(describe("request, minimal view, no log row", plain))
        print(describe("request, same view + record_access", logged))
        added_mean = statistics.fmean(logged) - statistics.fmean(plain)
        added_p50 = statistics.median(logged) - statistics.median(plain)
        print(f"  => the log adds {added_mean:.3f} ms (mean), {added_p50:.3f} ms (p50) per request (target ≤ 2 ms)")
        # The same calls with the commit not waiting for the disk: what the log costs in queries and CPU.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off" if connection.vendor == "postgresql"
                           else "PRAGMA synchronous = OFF")
        print("without waiting for the disk at commit (synchronous_commit=off / PRAGMA synchronous=OFF):")
        print(describe("floor: a transaction with one one-row UPDATE", timed(bare_commit, args.calls)))
        print(describe("record_access, own transaction", timed(autocommit, args.calls)))
        print(describe("record_access, inside a caller's transaction", timed(in_transaction, args.calls)))
        result = verify_chain()
        print(f"  chain after the bench: {result.rows_checked} rows, intact={result.ok}")


if __name__ == "__main__":
    main()
