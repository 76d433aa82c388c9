"""Signed daily digests of the access log: its chain heads anchored outside the database (ADR 0019).

``madoguchi audit_digest --out DIR`` verifies the chains, then writes one JSON file the auditor keeps
(``audit-digest-YYYYMMDDTHHMMSSZ.json``): for every chain its last row (seq, id, hash) and the hash of every
:data:`~madoguchi.audit.services.verify.CHECKPOINT_EVERY`-th row written since the previous digest in DIR,
signed with Ed25519 (the key derived from the newest chain key; the public key is in the file).
``madoguchi verify_audit --digests DIR`` then checks that every row a digest names is still there with the
same hash.  This catches what the chains alone cannot: rows rebuilt by someone who holds the chain key, and
rows removed from a chain's end together with its head (e.g. TRUNCATE with the triggers off, then all but the
newest rows inserted again).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from madoguchi.accounts.context import Actor
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.keys import chain_keys, current_key
from madoguchi.audit.models import AccessLog
from madoguchi.audit.services.record import record_access
from madoguchi.audit.services.verify import ChainProblem, ProblemKind, VerifyResult, verify_chain

FORMAT = "madoguchi-audit-digest"
PATTERN = "audit-digest-*.json"


class DigestRefused(Exception):
    """The chains do not verify: no digest is signed over a log that is already broken."""


def _payload(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _load(path: Path) -> tuple[dict[str, Any], str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["digest"], data["signature"]


def _previous_seqs(out_dir: Path) -> dict[int, int]:
    """Each chain's last seq in the newest digest already in ``out_dir`` (checkpoints start after it)."""
    files = sorted(out_dir.glob(PATTERN))
    if not files:
        return {}
    body, _ = _load(files[-1])
    return {int(c): int(h["seq"]) for c, h in body.get("chains", {}).items()}


def make_digest(*, actor: Actor, out_dir: Path, now: datetime | None = None) -> Path:
    """Verify the chains and write a signed digest of their heads into ``out_dir``; log it.

    Returns the file written.  Raises :class:`DigestRefused` when the chains do not verify, and
    ImproperlyConfigured when no chain key is configured (production)."""
    result = verify_chain()
    if not result.ok:
        raise DigestRefused(result.summary())
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    since = _previous_seqs(out_dir)
    key = current_key()
    body = {
        "format": FORMAT, "version": 1, "made_at": moment.isoformat(timespec="seconds"),
        "key_id": key.key_id, "public_key": key.public_key_b64(), "rows": result.rows_checked,
        "chains": {str(chain): {"seq": seq, "id": row_id, "hash": row_hash,
                                "checkpoints": [[s, i, h] for s, i, h in result.checkpoints.get(chain, [])
                                                if s > since.get(chain, 0)]}
                   for chain, (seq, row_id, row_hash) in sorted(result.heads.items())},
    }
    signature = base64.b64encode(key.signing_key().sign(_payload(body))).decode("ascii")
    path = out_dir / f"audit-digest-{moment:%Y%m%dT%H%M%SZ}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"digest": body, "signature": signature}, out, ensure_ascii=False, indent=1)
    record_access(actor=actor, action=AuditEvent.AUDIT_DIGEST,
                  target=f"{path.name}: {result.rows_checked}行 チェーン{len(result.heads)}本")
    return path


def _signature_problem(path: Path, body: dict[str, Any], signature: str) -> ChainProblem | None:
    known = {k.public_key_b64() for k in chain_keys()}
    if body.get("format") != FORMAT or body.get("public_key") not in known:
        return ChainProblem(ProblemKind.DIGEST, 0, f"ダイジェスト {path.name} の署名鍵は設定された鍵のものでは"
                                                   f"ありません。")
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(body["public_key"])).verify(
            base64.b64decode(signature), _payload(body))
    except (InvalidSignature, ValueError):
        return ChainProblem(ProblemKind.DIGEST, 0, f"ダイジェスト {path.name} の署名が正しくありません"
                                                   f"（ダイジェストが書き換えられています）。")
    return None


def _chain_problem(path: Path, chain: int, entry: dict[str, Any], heads: dict[int, tuple[int, int, str]],
                   agreed: dict[int, int]) -> ChainProblem | None:
    points = [(int(s), int(i), str(h)) for s, i, h in entry.get("checkpoints", [])]
    points.append((int(entry["seq"]), int(entry["id"]), str(entry["hash"])))
    head_seq = heads.get(chain, (0, 0, ""))[0]
    stored = {seq: (row_id, row_hash) for seq, row_id, row_hash in AccessLog.objects.filter(
        chain=chain, seq__in=[p[0] for p in points]).values_list("seq", "id", "row_hash")}
    for seq, row_id, row_hash in points:
        if seq > head_seq or seq not in stored:
            return ChainProblem(ProblemKind.REMOVED, row_id,
                                f"チェーン{chain}の第{max(head_seq + 1, agreed.get(chain, 0) + 1)}〜{seq}行が"
                                f"削除されています: ダイジェスト {path.name} にある行 #{row_id}（第{seq}行）が"
                                f"ありません。", chain, seq)
        if stored[seq][1] != row_hash:
            return ChainProblem(ProblemKind.DIGEST, stored[seq][0],
                                f"行 #{stored[seq][0]}（チェーン{chain}の第{seq}行）がダイジェスト {path.name} と一致"
                                f"しません: 第{agreed.get(chain, 0) + 1}〜{seq}行の間が作り直されています。",
                                chain, seq)
        agreed[chain] = seq
    return None


def check_digests(result: VerifyResult, folder: Path | str) -> VerifyResult:
    """Check the log (already walked into ``result``) against every digest in ``folder``, oldest first;
    return ``result`` with the first disagreement as its problem.  No digest in the folder is a problem too."""
    files = sorted(Path(folder).glob(PATTERN))
    if not files:
        return replace(result, problem=ChainProblem(ProblemKind.DIGEST, 0, f"{folder} に日次ダイジェストがありません。"))
    agreed: dict[int, int] = {}
    for path in files:
        body, signature = _load(path)
        problem = _signature_problem(path, body, signature)
        for chain, entry in sorted(body["chains"].items(), key=lambda item: int(item[0])):
            problem = problem or _chain_problem(path, int(chain), entry, result.heads, agreed)
        if problem is not None:
            return replace(result, problem=problem)
    return result
