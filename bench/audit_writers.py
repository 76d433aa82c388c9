"""Many writers on the access-log chain: throughput and latency as concurrent writers grow.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_auditbench \\
        .venv/bin/python -m bench.audit_writers [--writers 1,4,16,32] [--seconds 5] [--hold-ms 0,5] [--chains 1,8]

Each writer is a thread with its own database connection that loops for ``--seconds``: open a transaction,
append one row with ``record_access``, optionally keep the transaction open for ``--hold-ms`` (the rest of a
request that logs first and then reads or writes its data in the same transaction), commit.  ``--chains``
sets ``AUDIT_CHAINS`` (ADR 0019): 1 is one global chain head, as before.  Printed per setting: rows/s, p50
and p95 of one transaction, and the ratio against one writer on one chain in the same run.  After each
setting the chains are verified (a bench that broke the chain would be worthless).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from bench.audit_db import bench_database, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from madoguchi.accounts.context import Actor  # noqa: E402
from madoguchi.audit.events import AuditEvent  # noqa: E402
from madoguchi.audit.services import record_access  # noqa: E402
from madoguchi.audit.services.verify import verify_chain  # noqa: E402


def run(writers: int, seconds: float, hold_ms: float) -> tuple[float, list[float]]:
    latencies: list[list[float]] = [[] for _ in range(writers)]
    errors: list[BaseException] = []
    start = threading.Barrier(writers + 1)
    stop_at = [0.0]

    def write(n: int) -> None:
        actor = Actor(user=None, address=f"10.0.{n // 250}.{n % 250}", channel="bench")
        try:
            connection.ensure_connection()
            start.wait()
            while time.perf_counter() < stop_at[0]:
                t0 = time.perf_counter()
                with transaction.atomic():
                    record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[n, n + 1],
                                  target="bench", program="bench", purpose="計測")
                    if hold_ms:
                        time.sleep(hold_ms / 1000)
                latencies[n].append((time.perf_counter() - t0) * 1000)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + 0.2 + seconds
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    flat = [ms for per in latencies for ms in per]
    return len(flat) / elapsed, flat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", default="1,4,16,32")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--hold-ms", default="0,5")
    parser.add_argument("--chains", default="1,8")
    args = parser.parse_args()
    with bench_database() as description:
        print(f"access-log writers on {description}; {args.seconds:.0f} s per setting")
        baseline: float | None = None
        for hold in (float(h) for h in args.hold_ms.split(",")):
            for chains in (int(c) for c in args.chains.split(",")):
                settings.AUDIT_CHAINS = chains
                for writers in (int(w) for w in args.writers.split(",")):
                    rate, ms = run(writers, args.seconds, hold)
                    if baseline is None:
                        baseline = rate
                    p95 = sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]
                    print(f"  hold {hold:3.0f} ms  chains {chains:2d}  writers {writers:3d}: {rate:8.1f} rows/s "
                          f"({rate / baseline:5.2f}× one writer, one chain)  p50 {statistics.median(ms):7.2f} ms  "
                          f"p95 {p95:7.2f} ms  (n={len(ms)})", flush=True)
                result = verify_chain()
                assert result.ok, result.problem
        print(f"  chain verified after each setting; last check {result.rows_checked:,} rows")


if __name__ == "__main__":
    main()
