"""Backups as operations see them: make one (and log it), restore one and prove it whole (ADR 0019).

The file format and the database work are in :mod:`madoguchi.core.backup`; here the access log is verified
after a restore and the row counts compared with those taken when the backup was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services.record import record_access
from madoguchi.audit.services.verify import VerifyResult, verify_chain
from madoguchi.core.backup import make_backup, restore_backup, table_counts


@dataclass(frozen=True)
class RestoreReport:
    header: dict[str, Any]
    chain: VerifyResult
    differences: dict[str, tuple[int, int]]  # table -> (in the backup, restored)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.differences


def back_up(*, actor: Actor, out: Path) -> dict[str, Any]:
    """Write an encrypted backup to ``out`` and log it (after the dump: the row is not in the backup).
    Raises BackupError / ImproperlyConfigured (see :func:`madoguchi.core.backup.make_backup`)."""
    header = make_backup(out)
    record_access(actor=actor, action=AuditEvent.BACKUP,
                  target=f"{out.name}: {sum(header['counts'].values())}行（{header['kind']}）"[:200])
    return header


def restore(*, actor: Actor, path: Path) -> RestoreReport:
    """Restore into the (empty) default database, verify the access-log chains, compare the row counts with
    the backup's, and log the restore in the restored log.  Raises BackupError when the file cannot be read
    or the database is not empty."""
    header = restore_backup(path)
    chain = verify_chain()
    now = table_counts()
    differences = {t: (n, now.get(t, -1)) for t, n in header.get("counts", {}).items() if now.get(t, -1) != n}
    record_access(actor=actor, action=AuditEvent.RESTORE,
                  target=f"{path.name}（{header.get('made_at')}）: 検証 {'正常' if chain.ok else '不整合'}、"
                         f"件数 {'一致' if not differences else '不一致'}"[:200])
    return RestoreReport(header, chain, differences)
