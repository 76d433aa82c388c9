"""gunicorn or granian for the WSGI application (ADR 0017): the same app, the same worker count, wrk on loopback.

    .venv/bin/python -m bench.servers [--duration 10] [--connections 20] [--workers 2]

Needs ``wrk`` (Debian package ``wrk``).  Builds a scratch SQLite database in a temporary folder
(MADOGUCHI_ENV=production, generated secrets, collected static files), then for each server starts it on a
free loopback port and measures three paths: ``/healthz`` (one query, JSON), ``/accounts/login/`` (template,
CSRF, session) and a static file (whitenoise).  Prints req/s, p50/p99 latency and the CPU seconds the server
used, and the ratio granian/gunicorn from the same run.  The load generator shares the machine's cores.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["/healthz", "/accounts/login/", "/static/web/madoguchi.css"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a server: the master (with its reaped children) and its live workers, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        ppid, utime, stime, cutime, cstime = (int(fields[i]) for i in (1, 11, 12, 13, 14))
        if int(stat.parent.name) == pid:
            total += (utime + stime + cutime + cstime) / ticks
        elif ppid == pid:
            total += (utime + stime) / ticks
    return total


def _wrk(url: str, duration: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency",
                          "-H", "X-Forwarded-Proto: https", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, pct("50"), pct("99")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y --no-install-recommends wrk")
    sys.path.insert(0, str(ROOT))
    from madoguchi.core.secrets import django_secret_key, fernet_key

    var = Path(tempfile.mkdtemp(prefix="bench-servers-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MADOGUCHI_")}
    env.update({"MADOGUCHI_ENV": "production", "MADOGUCHI_SSL_REDIRECT": "0", "MADOGUCHI_VAR_DIR": str(var),
                "MADOGUCHI_SECRET_KEY": django_secret_key(), "MADOGUCHI_FIELD_KEYS": fernet_key(),
                "DATABASE_URL": f"sqlite:///{var / 'bench.sqlite3'}", "PYTHONPATH": str(ROOT),
                "MADOGUCHI_ALLOWED_HOSTS": "127.0.0.1"})
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "python:madoguchi.gunicorn_conf", "madoguchi.wsgi:application"]
    servers = {
        "gunicorn": gunicorn,
        "gunicorn4t": [*gunicorn, "--threads", "4"],
        "granian": [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", str(args.workers),
                    "--no-ws", "--log-level", "warning", "madoguchi.wsgi:application"],
    }
    results: dict[str, dict[str, tuple[float, float, float, float]]] = {}
    print(f"load: {os.getloadavg()[0]:.2f}; {args.connections} connections, {args.duration} s per path, "
          f"{args.workers} server workers, wrk -t2")
    for name, command in servers.items():
        port = _free_port()
        run_env = dict(env, MADOGUCHI_BIND=f"127.0.0.1:{port}", MADOGUCHI_WEB_WORKERS=str(args.workers),
                       MADOGUCHI_WEB_MAX_REQUESTS="0")  # no worker recycling inside a measurement
        if name == "granian":
            command = [*command, "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(command, cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    page = urllib.request.urlopen(base + "/accounts/login/", timeout=5).read().decode()
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise SystemExit(f"{name} did not start")
            css = re.search(r'href="(/static/web/madoguchi\.[0-9a-f]+\.css)"', page)
            paths = [*PATHS[:2], css.group(1) if css else PATHS[2]]
            results[name] = {}
            for path in paths:
                _wrk(base + path, 2, args.connections)  # warm up
                before = _tree_cpu_seconds(server.pid)
                rps, p50, p99 = _wrk(base + path, args.duration, args.connections)
                cpu = _tree_cpu_seconds(server.pid) - before
                results[name][path.split(".")[0]] = (rps, p50, p99, cpu)
                per_cpu = rps * args.duration / cpu if cpu > 0 else float("nan")
                print(f"{name:10} {path.split('.')[0]:22} {rps:7.0f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
                      f"server CPU {cpu:5.1f} s  {per_cpu:6.0f} req per CPU-second", flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    print("ratio to gunicorn (sync workers) in this run: req/s, and req per server CPU-second")
    for name in ("gunicorn4t", "granian"):
        for path, (rps, _p50, _p99, cpu) in results[name].items():
            base_rps, _b50, _b99, base_cpu = results["gunicorn"][path]
            print(f"  {name:10} {path:22} {rps / base_rps:5.2f}  {(rps / cpu) / (base_rps / base_cpu):5.2f}")
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
