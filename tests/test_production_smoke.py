"""The production start, as the ward runs it (issue 16 item 7 and "Also"): MADOGUCHI_ENV=production with
secrets from the environment, ``check --deploy`` clean, gunicorn on a free loopback port serving a page,
its static files and /healthz, then stopped.  Runs in ``make test`` (CI).

No network beyond loopback; SQLite in a temporary folder, so it does not touch the test database.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from madoguchi.core.secrets import django_secret_key, fernet_key

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("prod-var")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MADOGUCHI_", "DJANGO_"))}
    env.update({
        "MADOGUCHI_ENV": "production",
        "MADOGUCHI_SECRET_KEY": django_secret_key(),
        "MADOGUCHI_FIELD_KEYS": fernet_key(),
        # the access-log chain key (ADR 0019): "id:base64 of 32 bytes"
        "MADOGUCHI_AUDIT_KEYS": "smoke:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "MADOGUCHI_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'prod.sqlite3'}",
        "MADOGUCHI_ALLOWED_HOSTS": "127.0.0.1",
        "MADOGUCHI_CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "PYTHONPATH": str(ROOT),
    })
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def test_production_refuses_to_start_without_its_secrets(production_env):
    env = {k: v for k, v in production_env.items() if k not in ("MADOGUCHI_SECRET_KEY", "MADOGUCHI_FIELD_KEYS")}
    result = _manage(env, "check")
    assert result.returncode != 0 and "MADOGUCHI_SECRET_KEY must be set" in result.stderr
    assert not (Path(env["MADOGUCHI_VAR_DIR"]) / "secrets").exists()  # nothing generated in production


def test_check_deploy_is_clean(production_env):
    result = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_gunicorn_serves_pages_static_files_and_health_then_stops(production_env):
    assert _manage(production_env, "migrate", "--noinput", "-v", "0").returncode == 0
    collected = _manage(production_env, "collectstatic", "--noinput", "-v", "0")
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    env = dict(production_env, MADOGUCHI_BIND=f"127.0.0.1:{port}", MADOGUCHI_WEB_WORKERS="1",
               MADOGUCHI_REQUEST_LOG_LEVEL="INFO")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:madoguchi.gunicorn_conf",
                               "madoguchi.wsgi:application"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120  # a bound on waiting for the start, not a speed assertion
        while True:
            try:
                health = _get(port, "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.5)
        # /healthz answers over plain HTTP on loopback (the monitor), with the database and worker state
        assert health.status == 200
        body = json.loads(health.body)
        assert body["status"] == "ok" and body["database"] == "ok" and body["worker"] in ("idle", "ok")
        # a page behind the TLS proxy: HSTS, CSP, no-store, Japanese
        page = _get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert page.status == 200
        assert "max-age=31536000" in page.getheader("Strict-Transport-Security", "")
        assert "script-src 'self'" in page.getheader("Content-Security-Policy", "")
        assert "no-store" in page.getheader("Cache-Control", "")
        html = page.body.decode()
        assert "ログイン" in html
        # its stylesheet, collected with a hashed name, is served by whitenoise and may be cached
        css = re.search(r'href="(/static/web/madoguchi\.[0-9a-f]{12}\.css)"', html)
        assert css, html[:500]
        static = _get(port, css.group(1), **{"X-Forwarded-Proto": "https"})
        assert static.status == 200 and "no-store" not in static.getheader("Cache-Control", "")
        # plain HTTP is sent to HTTPS
        plain = _get(port, "/accounts/login/")
        assert plain.status == 301 and plain.getheader("Location", "").startswith("https://")
        # an unknown URL: the Japanese page, no URL list
        missing = _get(port, "/no-such-page/", **{"X-Forwarded-Proto": "https"})
        assert missing.status == 404 and "ページが見つかりません" in missing.body.decode()
        assert "URLconf" not in missing.body.decode()
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    # the logs are JSON lines, with the URL pattern and never the path of the unknown page
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(e.get("logger") == "madoguchi.request" and e.get("route") == "/accounts/login/" for e in lines)
    assert "no-such-page" not in err
