"""The cut-over from the keyless chain to keyed chains (ADR 0019), run once by migration ``audit.0003``.

Rows written before the cut-over keep their keyless SHA-256 (``key_id`` empty) in chain 1 with ``seq = id``.
If there are any, one keyed row (``audit.rekey``) is appended to chain 1: its HMAC covers the hash of the
last keyless row, so from then on no keyless row can be rewritten without breaking a keyed one.  The row
says which rows were keyless and whether they verified at the cut-over.  Verification accepts keyless rows
only at the start of chain 1 and only when this row follows them.
"""

from __future__ import annotations

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog


def create_chain_heads() -> None:
    """Create the heads of chains 1..``AUDIT_CHAINS`` that do not exist yet (committed before any request, so
    that the first writers do not wait on each other's new heads)."""
    from django.db import connection

    from madoguchi.audit.services.record import _create_heads, chain_count

    with connection.cursor() as cursor:
        _create_heads(cursor, connection.vendor, chain_count(connection.vendor))


def cut_over_to_keyed() -> AccessLog | None:
    """Append the keyed cut-over row when chain 1 ends in keyless rows; None when there is nothing to do.

    Raises ImproperlyConfigured when no chain key is configured (production)."""
    from madoguchi.audit.services.record import record_access
    from madoguchi.audit.services.verify import verify_chain

    last = AccessLog.objects.filter(chain=1).order_by("-seq").values_list("id", "key_id").first()
    if last is None or last[1]:
        return None
    result = verify_chain()
    outcome = "正常" if result.ok else f"不整合 {result.problem.message if result.problem else ''}"
    return record_access(actor=Actor.cli(None, purpose="鍵付きチェーンへの切替"), action=AuditEvent.AUDIT_REKEY,
                         target=f"鍵なしの行 #1〜#{last[0]}（切替時の検証: {outcome}）"[:200])
