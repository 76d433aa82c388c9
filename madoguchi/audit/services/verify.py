"""Walking the hash chain of the access log and naming the first problem.

Rows are read in id order in chunks (keyset pagination, values only, no model instances), so memory stays
flat and a million rows take seconds.  A row is

- *changed* when the hash recomputed from its fields differs from the stored one;
- *removed* when an id is missing (ids are handed out one by one under the chain lock) or when the chain
  head points past the last row;
- *inserted out of order* when its ``prev_hash`` is not the hash of the row before it (or when it lies
  beyond the chain head).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection

from madoguchi.accounts.context import Actor
from madoguchi.audit.chain import CHAINED_FIELDS, GENESIS, canonical_values, digest_values
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.models import AccessLog, ChainHead
from madoguchi.audit.services.record import record_access

CHUNK = 20_000


class ProblemKind(StrEnum):
    CHANGED = "changed"
    REMOVED = "removed"
    OUT_OF_ORDER = "out_of_order"
    HEAD = "head"


@dataclass(frozen=True)
class ChainProblem:
    kind: ProblemKind
    row_id: int
    message: str


@dataclass(frozen=True)
class VerifyResult:
    rows_checked: int
    first_id: int | None
    last_id: int | None
    last_hash: str
    seconds: float
    problem: ChainProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is not None:
            return f"改ざんを検出しました: {self.problem.message}（{self.rows_checked:,}行目までを検査）"
        if not self.rows_checked:
            return "検査する行がありません（アクセスログは空です）。"
        return (f"チェーンは正常です: #{self.first_id}〜#{self.last_id} の {self.rows_checked:,} 行を検査しました"
                f"（最後のハッシュ {self.last_hash}、{self.seconds:.1f}秒）。")


def _removed(first_missing: int, next_present: int, why: str = "") -> str:
    why = why or f"#{next_present} の前の行がありません"
    if next_present - first_missing == 1:
        return f"行 #{first_missing} が削除されています（{why}）。"
    return f"行 #{first_missing}〜#{next_present - 1}（{next_present - first_missing}行）が削除されています（{why}）。"


def _check_head(last_id: int, last_hash: str) -> ChainProblem | None:
    head = ChainHead.objects.filter(id=1).values_list("last_id", "last_hash").first()
    head_id, head_hash = head if head else (0, GENESIS)
    if head_id > last_id:
        return ChainProblem(ProblemKind.REMOVED, last_id + 1, _removed(
            last_id + 1, head_id + 1, f"チェーン先頭は #{head_id} を指しています"))
    if head_id < last_id:
        return ChainProblem(ProblemKind.OUT_OF_ORDER, head_id + 1,
                            f"行 #{head_id + 1} はチェーン先頭（#{head_id}）より後にあり、記録の手順を経ずに"
                            f"挿入されています。")
    if head_hash != last_hash:
        return ChainProblem(ProblemKind.HEAD, last_id,
                            f"チェーン先頭のハッシュが最後の行 #{last_id} のハッシュと一致しません。")
    return None


def _chunk_sql() -> str:
    """One chunk of rows in id order, read with plain SQL (no ORM converters: this runs a million times).

    The timestamp is turned into its canonical text (UTC, microseconds, ``+00:00``) by the database itself,
    the same text :func:`madoguchi.audit.chain.canonical_values` makes from a datetime.
    """
    if connection.vendor == "postgresql":
        at = """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'"""
    else:  # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC
        at = ("replace(at, ' ', 'T') || CASE WHEN instr(at, '.') > 0 THEN '' ELSE '.000000' END || '+00:00'")
    columns = [at if name == "at" else name for name in CHAINED_FIELDS]
    return (f"SELECT {', '.join(columns)}, prev_hash, row_hash FROM {AccessLog._meta.db_table} "
            f"WHERE id > %s ORDER BY id LIMIT %s")


def verify_chain(*, from_id: int = 1, chunk: int = CHUNK,
                 progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    """Walk the chain from ``from_id`` (trusting the row before it) and stop at the first problem."""
    started = time.perf_counter()
    anchor = (AccessLog.objects.filter(id__lt=from_id).order_by("-id").values_list("id", "row_hash").first()
              if from_id > 1 else None)
    expected_id, expected_prev = (anchor[0] + 1, anchor[1]) if anchor else (1, GENESIS)
    count = 0
    first_id: int | None = None
    last_hash = expected_prev
    after = expected_id - 1
    n = len(CHAINED_FIELDS)

    def result(problem: ChainProblem | None) -> VerifyResult:
        return VerifyResult(count, first_id, expected_id - 1 if count or anchor else None, last_hash,
                            time.perf_counter() - started, problem)

    select = _chunk_sql()
    while True:
        with connection.cursor() as cursor:
            cursor.execute(select, [after, chunk])
            rows = cursor.fetchall()
        if not rows:
            break
        for row in rows:
            values = list(row[:n])
            row_id, prev_hash, row_hash = values[0], row[n], row[n + 1]
            if first_id is None:
                first_id = row_id
            if row_id != expected_id:
                return result(ChainProblem(ProblemKind.REMOVED, expected_id, _removed(expected_id, row_id)))
            if digest_values(prev_hash, canonical_values(values)) != row_hash:
                return result(ChainProblem(
                    ProblemKind.CHANGED, row_id,
                    f"行 #{row_id} が書き換えられています（内容から計算したハッシュが記録と一致しません）。"))
            if prev_hash != expected_prev:
                before = f"直前の行 #{row_id - 1}" if row_id > 1 else "チェーンの起点"
                return result(ChainProblem(
                    ProblemKind.OUT_OF_ORDER, row_id,
                    f"行 #{row_id} の前行ハッシュが{before}のハッシュと一致しません（行 #{row_id} が順序外に"
                    f"挿入されたか、{before}がハッシュごと書き換えられています）。"))
            count += 1
            expected_id = row_id + 1
            expected_prev = last_hash = row_hash
        after = rows[-1][0]
        if progress:
            progress(count, after)
    return result(_check_head(expected_id - 1, expected_prev))


def verify_audit_log(*, actor: Actor, from_id: int = 1,
                     progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    """Verify the chain and write the verification (and its outcome) to the log."""
    result = verify_chain(from_id=from_id, progress=progress)
    problem = result.problem
    outcome = (f"改ざん検出 行#{problem.row_id} {problem.kind}" if problem
               else f"正常 {result.rows_checked}行 最終#{result.last_id}")
    record_access(actor=actor, action=AuditEvent.AUDIT_VERIFY, target=f"検証 #{from_id}〜: {outcome}")
    return result
