"""gunicorn settings for madoguchi (``gunicorn -c python:madoguchi.gunicorn_conf madoguchi.wsgi``).

Everything can be changed by environment variables (docs/operations.md); ADR 0017 says why gunicorn.
"""

from __future__ import annotations

import os

bind = os.environ.get("MADOGUCHI_BIND", "127.0.0.1:8000")
# Each request holds a database connection (per thread) and writes the access log in its transaction.
workers = int(os.environ.get("MADOGUCHI_WEB_WORKERS", str(min(2 * (os.cpu_count() or 1) + 1, 8))))
threads = int(os.environ.get("MADOGUCHI_WEB_THREADS", "4"))  # gthread: overlaps database waits (ADR 0017)
timeout = int(os.environ.get("MADOGUCHI_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory of large exports is returned to the system).
max_requests = int(os.environ.get("MADOGUCHI_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only the reverse proxy on this host may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("MADOGUCHI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The application writes its own JSON request log without paths or query strings (residents' names can be
# in a search); gunicorn's access log would write both, so it stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("MADOGUCHI_WEB_LOG_LEVEL", "warning")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "madoguchi.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
proc_name = "madoguchi"
