"""The ward's 外字対応表 (vendor 外字 → standard character) and the residents flagged for it (issue 19 §4).

- :func:`note_gaiji` records 外字 seen on import (residents and applications) as rows to be mapped;
  :func:`flag_imported` sets each imported resident's ``gaiji`` (the 外字 it holds).
- :func:`save_mapping` maps one 外字 to a standard character — Unicode text (with an ideographic variation
  selector where needed) or an MJ character name resolved through IPAmj明朝's glyph names — and recomputes
  the match keys of the residents holding it, in one transaction with its access-log row.
- :func:`mapping_table` is the provider registered in :mod:`madoguchi.core.gaiji`: keys, PDFs and hand-overs
  all read the table through it.  It is cached for :data:`CACHE_SECONDS` (other processes see a change
  within that time; this process at once).

Who may change the table: the administrator and department staff (ADR 0016).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from madoguchi.accounts.context import Actor
from madoguchi.accounts.models import Role
from madoguchi.audit.events import AuditEvent
from madoguchi.audit.services import record_access
from madoguchi.core import gaiji
from madoguchi.core.errors import AccessRefused, BusinessRuleError
from madoguchi.residents.models import GaijiMapping, Resident

CACHE_SECONDS = 30.0
EDITORS = (Role.ADMINISTRATOR, Role.DEPARTMENT_STAFF)

# Sent after a mapping changes (chars: the 外字 whose mapping changed), on commit: higher layers recompute
# the keys they keep (casework's applications).
mapping_changed = Signal()

_cache_lock = threading.Lock()
_cache: dict[str, object] = {"at": -1.0, "table": {}}


def mapping_table() -> Mapping[str, str]:
    """{外字 character: standard text} of the mapped rows (cached; see the module docstring)."""
    now = time.monotonic()
    if now - float(_cache["at"]) < CACHE_SECONDS:  # type: ignore[arg-type]
        return _cache["table"]  # type: ignore[return-value]
    with _cache_lock:
        table = dict(GaijiMapping.objects.exclude(standard="").values_list("char", "standard"))
        _cache["table"] = table
        _cache["at"] = now
    return table


def clear_cache() -> None:
    _cache["at"] = -1.0


def check_may_edit(actor: Actor) -> None:
    user = actor.user
    if user is None or not user.is_active or user.role not in EDITORS:
        raise AccessRefused("外字対応表を変更する権限がありません（システム管理者・担当課職員のみ）。",
                            action="residents.gaiji")


def note_gaiji(chars: Iterable[str], *, where: str) -> list[str]:
    """Add a row (to be mapped) for each 外字 not yet in the table; return the 外字 still unmapped."""
    wanted = [ch for ch in dict.fromkeys(chars) if gaiji.is_private_use(ch)]
    if not wanted:
        return []
    known = dict(GaijiMapping.objects.filter(char__in=wanted).values_list("char", "standard"))
    GaijiMapping.objects.bulk_create(
        [GaijiMapping(char=ch, vendor_code=gaiji.vendor_code(ch), first_seen=where[:100])
         for ch in wanted if ch not in known], ignore_conflicts=True)
    return [ch for ch in wanted if not known.get(ch)]


@dataclass(frozen=True)
class Flagged:
    residents: int  # imported residents holding 外字
    unmapped: list[str]  # vendor codes not yet mapped


def flag_imported(rows: Iterable[tuple[str, str]], *, where: str) -> Flagged:
    """Set ``Resident.gaiji`` for an import's residents: ``rows`` are (住民番号, 外字 held or '').

    Only residents that hold 外字 now or held them before are touched (a handful), so this stays cheap for
    an import of 350,000.  Call inside the import's transaction, after the rows are written.
    """
    flagged_before = dict(Resident.objects.filter(gaiji__gt="").values_list("resident_no", "gaiji"))
    holding: dict[str, str] = {}
    stale: list[str] = []
    for no, chars in rows:
        if chars:
            holding[no] = chars
        elif no in flagged_before:
            stale.append(no)  # the name was corrected upstream
    for no, chars in holding.items():
        if flagged_before.get(no) != chars:
            Resident.objects.filter(resident_no=no).update(gaiji=chars)
    if stale:
        Resident.objects.filter(resident_no__in=stale).update(gaiji=None)
    unmapped = note_gaiji("".join(holding.values()), where=where)
    return Flagged(residents=len(holding), unmapped=[gaiji.vendor_code(ch) for ch in unmapped])


def _standard_text(standard: str, mj_name: str) -> str:
    """Validate the mapping's target: one character (as typed, not 外字 itself) with at most one variation
    selector, or an MJ name that IPAmj明朝 knows.  Raises BusinessRuleError with the reason."""
    from madoguchi.core.pdf import text_for_mj_name

    text = standard.strip()  # as typed: NFC would turn a compatibility ideograph (塚 U+FA10) into another code point
    if not text and mj_name.strip():
        found = text_for_mj_name(mj_name)
        if not found:
            raise BusinessRuleError(f"MJ文字図形名「{mj_name}」が見つかりません（例 MJ022335）。")
        return found
    if not text:
        raise BusinessRuleError("標準の文字か MJ文字図形名を入力してください。")
    base = gaiji.PRIVATE_USE.sub("", text)
    if base != text:
        raise BusinessRuleError("標準の文字に外字（私用領域の文字）は使えません。")
    chars = [c for c in text if not _is_selector(c)]
    if len(chars) != 1 or (len(text) > 1 and not _is_selector(text[-1])) or len(text) > 2:
        raise BusinessRuleError("標準の文字は1文字（必要なら異体字セレクタ1つ付き）で入力してください。")
    return text


def _is_selector(ch: str) -> bool:
    return "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def save_mapping(*, code: str, standard: str = "", mj_name: str = "", note: str = "", actor: Actor) -> GaijiMapping:
    """Map a vendor 外字 (``F040``, ``U+E000``) to a standard character; recompute the keys of the residents
    holding it.  Raises AccessRefused (role) or BusinessRuleError (a code or a target that is not valid)."""
    check_may_edit(actor)
    try:
        ch = gaiji.char_for_code(code)
    except ValueError as exc:
        raise BusinessRuleError(str(exc)) from exc
    text = _standard_text(standard, mj_name)
    with transaction.atomic():
        row, _created = GaijiMapping.objects.select_for_update().get_or_create(
            char=ch, defaults={"vendor_code": gaiji.vendor_code(ch)})
        row.standard = text
        row.mj_name = mj_name.strip().upper()
        row.note = note.strip()[:200]
        row.updated_by = actor.username
        row.save()
        clear_cache()
        residents = list(Resident.objects.filter(gaiji__contains=ch))
        for resident in residents:
            resident.refresh_keys()
        Resident.objects.bulk_update(residents, ["name_key", "kana_key", "address_key", "building_key"])
        record_access(actor=actor, action=AuditEvent.RESIDENT_CHANGE, residents=[r.pk for r in residents],
                      resident_count=len(residents), target=f"外字対応表 {row.vendor_code}",
                      reason=f"外字 {row.vendor_code} を「{text}」に対応（照合キーの再計算）")
        transaction.on_commit(clear_cache)
        transaction.on_commit(lambda: mapping_changed.send(sender=GaijiMapping, chars=[ch], actor=actor))
    return row


def flagged_residents(*, actor: Actor, limit: int = 200) -> list[Resident]:
    """Residents holding an unmapped 外字 (for the table's screen; department staff only, logged as a view:
    the administrator keeps the table but sees no residents' data)."""
    check_may_edit(actor)
    if actor.user is None or actor.user.role != Role.DEPARTMENT_STAFF:
        return []
    unmapped = list(GaijiMapping.objects.filter(standard="").values_list("char", flat=True))
    if not unmapped:
        return []
    qs = Resident.objects.filter(gaiji__gt="")
    found = [r for r in qs.order_by("resident_no")[:5000] if any(ch in (r.gaiji or "") for ch in unmapped)][:limit]
    if found:
        record_access(actor=actor, action=AuditEvent.RESIDENT_VIEW, residents=[r.pk for r in found],
                      resident_count=len(found), target="外字対応表（未対応の住民）", reason="外字対応の確認")
    return found


def residents_count(ch: str) -> int:
    return Resident.objects.filter(gaiji__contains=ch).count()
