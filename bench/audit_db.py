"""A throw-away database for the audit benches: a test database (``test_…``) beside the configured one.

SQLite: a temporary file (not memory, so that writes cost what they cost on disk).  PostgreSQL: set
``DATABASE_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/madoguchi_auditbench``); the bench creates and
drops ``test_madoguchi_auditbench``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    os.environ.setdefault("MADOGUCHI_DEBUG", "0")
    import django

    django.setup()


@contextmanager
def bench_database() -> Iterator[str]:
    """Create the bench database, migrate it, yield a description, drop it afterwards."""
    setup_django()
    from django.db import connection

    with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(tmp) / "bench.sqlite3")
        old_name = connection.settings_dict["NAME"]
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA journal_mode")
                    journal = cursor.fetchone()[0]
                yield f"SQLite {name} (journal_mode={journal})"
            else:
                with connection.cursor() as cursor:
                    cursor.execute("SHOW server_version")
                    version = cursor.fetchone()[0]
                yield f"PostgreSQL {version} {name}"
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
