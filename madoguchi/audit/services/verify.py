"""Walking the hash chains of the access log and naming the first problem.

The log is several chains (ADR 0019); each is read in ``seq`` order in chunks (keyset pagination, values only,
no model instances), so memory stays flat and a million rows take seconds.  A row is

- *changed* when the HMAC (or, for rows before the cut-over, the SHA-256) recomputed from its fields differs
  from the stored one, or its key is not configured;
- *removed* when a ``seq`` is missing in its chain, or when the chain head points past the chain's last row;
- *inserted out of order* when its ``prev_hash`` is not the hash of the row before it in its chain (or when
  it lies beyond the chain head);
- *downgraded* when a keyless row appears where only keyed rows may be: keyless rows are accepted only at
  the start of chain 1, followed by the cut-over row (``audit.rekey``) that the migration wrote with the key.

What this cannot see (rows rebuilt by someone holding the key, or a tail removed together with its head) is
caught by checking against the signed daily digests (:mod:`madoguchi.audit.services.digest`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import connection

from madoguchi.accounts.context import Actor
from madoguchi.audit.chain import (
    CHAINED_FIELDS,
    GENESIS,
    canonical_values,
    digest_values,
    keyed_digest_values,
    new_mac,
)
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.keys import chain_keys
from madoguchi.audit.models import AccessLog, ChainHead
from madoguchi.audit.services.record import record_access

CHUNK = 20_000
CHECKPOINT_EVERY = 1_000  # every this many rows of a chain, the row's hash goes into the daily digest
REKEY = str(AuditEvent.AUDIT_REKEY)


class ProblemKind(StrEnum):
    CHANGED = "changed"
    REMOVED = "removed"
    OUT_OF_ORDER = "out_of_order"
    HEAD = "head"
    UNKEYED = "unkeyed"
    DIGEST = "digest"


@dataclass(frozen=True)
class ChainProblem:
    kind: ProblemKind
    row_id: int
    message: str
    chain: int = 1
    seq: int = 0


@dataclass(frozen=True)
class VerifyResult:
    rows_checked: int
    first_id: int | None
    last_id: int | None
    last_hash: str
    seconds: float
    problem: ChainProblem | None = None
    heads: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # chain -> (last seq, row id, hash)
    # chain -> [(seq, row id, hash)] of every CHECKPOINT_EVERY-th row, for the daily digest
    checkpoints: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is not None:
            return f"改ざんを検出しました: {self.problem.message}（{self.rows_checked:,}行を検査）"
        if not self.rows_checked:
            return "検査する行がありません（アクセスログは空です）。"
        return (f"チェーンは正常です: #{self.first_id}〜#{self.last_id} の {self.rows_checked:,} 行を検査しました"
                f"（チェーン {len(self.heads)} 本、最後のハッシュ {self.last_hash}、{self.seconds:.1f}秒）。")


def _place(chain: int, first: int, last: int | None = None) -> str:
    if last is None or last == first:
        return f"チェーン{chain}の第{first}行"
    return f"チェーン{chain}の第{first}〜{last}行（{last - first + 1}行）"


def _chunk_sql() -> str:
    """One chunk of a chain's rows in seq order, read with plain SQL (no ORM converters: this runs a million
    times).  The timestamp is turned into its canonical text (UTC, microseconds, ``+00:00``) by the database,
    the same text :func:`madoguchi.audit.chain.canonical_values` makes from a datetime."""
    if connection.vendor == "postgresql":
        at = """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'"""
    else:  # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC
        at = ("replace(at, ' ', 'T') || CASE WHEN instr(at, '.') > 0 THEN '' ELSE '.000000' END || '+00:00'")
    columns = [at if name == "at" else name for name in CHAINED_FIELDS]
    return (f"SELECT {', '.join(columns)}, chain, seq, key_id, prev_hash, row_hash "
            f"FROM {AccessLog._meta.db_table} WHERE chain = %s AND seq > %s ORDER BY seq LIMIT %s")


def _chains() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {ChainHead._meta.db_table} UNION "
                       f"SELECT DISTINCT chain FROM {AccessLog._meta.db_table}")
        return sorted(int(r[0]) for r in cursor.fetchall())


class _Walk:
    """The state of one verification over all chains."""

    def __init__(self, from_id: int, progress: Callable[[int, int], None] | None) -> None:
        self.started = time.perf_counter()
        self.from_id = from_id
        self.progress = progress
        self.count = 0
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.last_hash = GENESIS
        self.heads: dict[int, tuple[int, int, str]] = {}
        self.checkpoints: dict[int, list[tuple[int, int, str]]] = {}
        self.macs = {k.key_id: new_mac(k.secret) for k in chain_keys()}

    def result(self, problem: ChainProblem | None) -> VerifyResult:
        return VerifyResult(self.count, self.first_id, self.last_id, self.last_hash,
                            time.perf_counter() - self.started, problem, dict(self.heads), dict(self.checkpoints))

    def anchor(self, chain: int) -> tuple[int, int, str, str]:
        """(seq, id, hash, key id) of the chain's last row before ``from_id`` (trusted), or its start."""
        if self.from_id > 1:
            row = (AccessLog.objects.filter(chain=chain, id__lt=self.from_id).order_by("-seq")
                   .values_list("seq", "id", "row_hash", "key_id").first())
            if row:
                return int(row[0]), int(row[1]), str(row[2]), str(row[3])
        return 0, 0, GENESIS, ""

    def chain(self, chain: int, chunk: int) -> ChainProblem | None:
        n = len(CHAINED_FIELDS)
        seq, row_id, expected_prev, key_before = self.anchor(chain)
        keyed_seen = bool(key_before)
        legacy_seen = bool(seq) and not key_before
        select = _chunk_sql()
        after = seq
        while True:
            with connection.cursor() as cursor:
                cursor.execute(select, [chain, after, chunk])
                rows = cursor.fetchall()
            if not rows:
                break
            for row in rows:
                values = list(row[:n])
                row_id = int(values[0])
                row_seq, key_id, prev_hash, row_hash = int(row[n + 1]), row[n + 2], row[n + 3], row[n + 4]
                if self.first_id is None or row_id < self.first_id:
                    self.first_id = row_id
                if row_seq != seq + 1:
                    return ChainProblem(ProblemKind.REMOVED, row_id,
                                        f"{_place(chain, seq + 1, row_seq - 1)}が削除されています"
                                        f"（行 #{row_id} の前）。", chain, seq + 1)
                canonical = canonical_values(values)
                if key_id:
                    mac = self.macs.get(key_id)
                    if mac is None:
                        return ChainProblem(ProblemKind.CHANGED, row_id,
                                            f"行 #{row_id}（{_place(chain, row_seq)}）の鍵ID「{key_id}」は設定された"
                                            f"鍵にありません（鍵を外したか、行が作られています）。", chain, row_seq)
                    if legacy_seen and not keyed_seen and values[CHAINED_FIELDS.index("action")] != REKEY:
                        return ChainProblem(ProblemKind.UNKEYED, row_id,
                                            f"鍵なしの行のあとの最初の鍵付きの行 #{row_id} が切替の記録ではありません"
                                            f"（鍵なしの行が作り直されています）。", chain, row_seq)
                    digest = keyed_digest_values(mac, prev_hash, [*canonical, chain, row_seq])
                    keyed_seen = True
                else:
                    if keyed_seen or chain != 1:
                        return ChainProblem(ProblemKind.UNKEYED, row_id,
                                            f"行 #{row_id}（{_place(chain, row_seq)}）に鍵がありません（鍵付きの行"
                                            f"のあとに鍵なしの行はありえません）。", chain, row_seq)
                    digest = digest_values(prev_hash, canonical)
                    legacy_seen = True
                if digest != row_hash:
                    return ChainProblem(ProblemKind.CHANGED, row_id,
                                        f"行 #{row_id} が書き換えられています（内容から計算したハッシュが記録と一致"
                                        f"しません）。", chain, row_seq)
                if prev_hash != expected_prev:
                    before = "直前の行" if row_seq > 1 else "チェーンの起点"
                    return ChainProblem(ProblemKind.OUT_OF_ORDER, row_id,
                                        f"行 #{row_id} の前行ハッシュが{before}のハッシュと一致しません（行 #{row_id}"
                                        f" が順序外に挿入されたか、{before}がハッシュごと書き換えられています）。",
                                        chain, row_seq)
                self.count += 1
                seq, expected_prev = row_seq, row_hash
                if self.last_id is None or row_id > self.last_id:
                    self.last_id, self.last_hash = row_id, row_hash
                self.heads[chain] = (row_seq, row_id, row_hash)
                if row_seq % CHECKPOINT_EVERY == 0:
                    self.checkpoints.setdefault(chain, []).append((row_seq, row_id, row_hash))
            after = seq
            if self.progress:
                self.progress(self.count, row_id)
        if legacy_seen and not keyed_seen:
            return ChainProblem(ProblemKind.UNKEYED, row_id,
                                f"チェーン{chain}は鍵なしの行（#{row_id} まで）で終わっています（鍵付きの行が"
                                f"鍵なしで作り直されています）。", chain, seq)
        return self.check_head(chain, seq, expected_prev, row_id)

    def check_head(self, chain: int, last_seq: int, last_hash: str, last_id: int) -> ChainProblem | None:
        head = ChainHead.objects.filter(id=chain).values_list("last_seq", "last_hash").first()
        if head is None:
            if last_seq == 0:
                return None
            return ChainProblem(ProblemKind.HEAD, last_id, f"チェーン{chain}の先頭がありません。", chain, last_seq)
        head_seq, head_hash = head
        if head_seq > last_seq:
            return ChainProblem(ProblemKind.REMOVED, last_id,
                                f"{_place(chain, last_seq + 1, head_seq)}が削除されています（チェーン先頭は第"
                                f"{head_seq}行を指しています）。", chain, last_seq + 1)
        if head_seq < last_seq:
            return ChainProblem(ProblemKind.OUT_OF_ORDER, last_id,
                                f"{_place(chain, head_seq + 1)}はチェーン先頭（第{head_seq}行）より後にあり、"
                                f"記録の手順を経ずに挿入されています。", chain, head_seq + 1)
        if head_hash != last_hash:
            return ChainProblem(ProblemKind.HEAD, last_id,
                                f"チェーン{chain}の先頭のハッシュが最後の行 #{last_id} のハッシュと一致しません。",
                                chain, last_seq)
        return None


def verify_chain(*, from_id: int = 1, chunk: int = CHUNK,
                 progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    """Walk every chain from ``from_id`` (trusting each chain's row before it); stop at the first problem.

    Returns a :class:`VerifyResult` whose ``heads`` map each chain to (last seq, row id, row hash).
    Raises ImproperlyConfigured when no chain key is configured (production)."""
    walk = _Walk(from_id, progress)
    for chain in _chains():
        problem = walk.chain(chain, chunk)
        if problem is not None:
            return walk.result(problem)
    return walk.result(None)


def verify_audit_log(*, actor: Actor, from_id: int = 1, digests: Any = None,
                     progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    """Verify the chains (and, given a folder of daily digests, the log against them) and write the
    verification and its outcome to the log."""
    result = verify_chain(from_id=from_id, progress=progress)
    if result.ok and digests is not None:
        from madoguchi.audit.services.digest import check_digests

        result = check_digests(result, digests)
    problem = result.problem
    outcome = (f"改ざん検出 行#{problem.row_id} {problem.kind}" if problem
               else f"正常 {result.rows_checked}行 最終#{result.last_id}")
    record_access(actor=actor, action=AuditEvent.AUDIT_VERIFY, target=f"検証 #{from_id}〜: {outcome}")
    return result
