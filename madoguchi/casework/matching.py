"""Matching people across lists (applications, past grantees, residents): blocking + rapidfuzz scoring.

Pure Python, no database: :func:`find_pairs` takes two lists of :class:`Person` and returns the candidate
pairs with a score in [0, 1], a verdict (``match`` / ``possible``) and the reasons, in Japanese, that
staff see beside each candidate.  Keys come from :mod:`madoguchi.core.text` (variant characters, kana,
width, spacing, kanji numerals, 丁目/番地/号 versus hyphens, building names).

Blocking (a pair is compared only when it shares one of these keys):
- the address up to its 丁目・番・号 block (西新宿2-8-1), whatever the building or the name; an address
  without its 号 (西新宿2-8) with the addresses of that 番 that have one;
- the name key within the same town (氏名 + 西新宿), so that a mistyped or missing 号 is still found;
- the kana key within the same town, when both sides have kana;
- the name key with the birth date, when both sides have one (a person who moved).
Scoring: 0.6 × name similarity (best of kanji key and kana key) + 0.4 × address similarity, with a
bonus for an equal birth date, a small penalty for one that differs in one character (a keying error) and
a large one for a different birth date.  See docs/adr for the thresholds.

A ``match`` needs equal name keys (issue 15): names that differ in a character the keys keep apart
(斎藤 / 斉藤, or an old form that the standard tables do not list, such as 齋 or 邊) are at most
``possible`` even with the same reading and address, for a person to decide; so are family members at one
address (another given name, maybe the same birth date).  Rooms: ``304号室``, a trailing ``-304`` and
``ハイツ西新宿 304`` are one room (:func:`madoguchi.core.text.room_of`); two rooms are two households.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from madoguchi.core.gaiji import PRIVATE_USE, kana_key, name_key, split_address
from madoguchi.core.text import room_of

MATCH = "match"
POSSIBLE = "possible"
MATCH_SCORE = 0.90
MATCH_NAME = 0.90
POSSIBLE_SCORE = 0.72
W_NAME = 0.6
W_ADDRESS = 0.4

_DIGITS = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    address: str
    name_kana: str = ""
    birth_date: str = ""  # ISO date or empty
    postal_code: str = ""


@dataclass(frozen=True, slots=True)
class Keys:
    id: str
    name: str  # name key
    kana: str
    base: str  # address up to 丁目・番・号
    building: str
    room: str  # the room number of the building part ("" when none)
    town: str
    numbers: tuple[str, ...]
    birth: str


@dataclass
class Pair:
    left_id: str
    right_id: str
    score: float
    verdict: str
    name_similarity: float
    address_similarity: float
    reasons: list[str] = field(default_factory=list)


def _town_and_numbers(base: str) -> tuple[str, tuple[str, ...]]:
    m = _DIGITS.search(base)
    if m is None:
        return base, ()
    return base[: m.start()], tuple(p for p in base[m.start():].split("-") if p)


# Keys repeat a lot (namesakes, households, buildings): memoise the pure key functions per run.
_CACHE_LIMIT = 1_000_000
_split_cache: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {}
_name_cache: dict[str, str] = {}
_kana_cache: dict[str, str] = {}


def _split(address: str) -> tuple[str, str, str, str, tuple[str, ...]]:
    hit = _split_cache.get(address)
    if hit is None:
        base, building = split_address(address)
        town, numbers = _town_and_numbers(base)
        hit = (base, building, room_of(building), town, numbers)
        if len(_split_cache) < _CACHE_LIMIT:
            _split_cache[address] = hit
    return hit


def _memo(cache: dict[str, str], fn: object, text: str) -> str:
    hit = cache.get(text)
    if hit is None:
        hit = fn(text)  # type: ignore[operator]
        if len(cache) < _CACHE_LIMIT and not PRIVATE_USE.search(text):  # 外字: the ward's table may change
            cache[text] = hit
    return hit  # type: ignore[no-any-return]


def keys_of(person: Person) -> Keys:
    base, building, room, town, numbers = _split(person.address)
    return Keys(person.id, _memo(_name_cache, name_key, person.name),
                _memo(_kana_cache, kana_key, person.name_kana) if person.name_kana else "",
                base, building, room, town, numbers, (person.birth_date or "").strip())


def blocks_of(k: Keys, *, query: bool = False) -> Iterator[str]:
    """The blocks a person is indexed under (``query=False``) or looked up in (``query=True``).

    An address whose 号 is left out (two numbers) is looked up among the addresses of that 番 with a 号,
    and the other way round, without comparing everyone in one 番 with everyone else ("s|" / "l|")."""
    if k.numbers:
        yield "a|" + k.base
        if len(k.numbers) >= 2:
            short = len(k.numbers) == 2
            yield ("l|" if short == query else "s|") + k.town + "-".join(k.numbers[:2])
    if k.name:
        yield "n|" + k.name + "|" + k.town
        if k.birth:
            yield "b|" + k.name + "|" + k.birth
    if k.kana:
        yield "k|" + k.kana + "|" + k.town


def _sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return Indel.normalized_similarity(a, b)


def address_similarity(a: Keys, b: Keys, reasons: list[str] | None = None) -> float:
    def why(text: str) -> None:
        if reasons is not None:
            reasons.append(text)

    if a.base == b.base and a.numbers:
        if a.room and b.room:
            if a.room != b.room:
                why("住所（番地・号）は一致、部屋番号が異なる")
                return 0.75
            why("住所・部屋番号が一致" if a.building == b.building else "住所・部屋番号が一致（建物名の書き方が異なる）")
            return 1.0
        if a.building and b.building and a.building != b.building:
            sim = _sim(a.building, b.building)
            if sim >= 0.85:
                why("住所が一致（建物名の表記ゆれ）")
                return 0.95
            why("住所（番地・号）は一致、建物名・部屋番号が異なる")
            return 0.75
        if a.building != b.building:
            why("住所が一致（一方に建物名なし）")
        else:
            why("住所が一致")
        return 1.0
    if a.town and a.town == b.town:
        na, nb = a.numbers, b.numbers
        short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
        if short and long_[: len(short)] == short:
            why("住所の町名・番地は一致、号の記載が一方にない")
            return 0.9
        if len(na) >= 2 and len(nb) >= 2 and na[:2] == nb[:2]:
            why("同じ町名・番地で号が異なる")
            return 0.55
        if na[:1] == nb[:1]:
            why("同じ町名・丁目で番地が異なる")
            return 0.4
        why("同じ町名で丁目が異なる")
        return 0.3
    sim = _sim(a.base, b.base) * 0.5
    why(f"住所が異なる（類似度 {sim:.0%}）")
    return sim


def name_similarity(a: Keys, b: Keys, reasons: list[str] | None = None) -> float:
    sim = _sim(a.name, b.name)
    if reasons is not None:
        if sim == 1.0:
            reasons.append("氏名が一致（異体字・空白・全角半角の違いを除く）")
        else:
            reasons.append(f"氏名の類似度 {sim:.0%}")
    if a.kana and b.kana:
        ksim = _sim(a.kana, b.kana)
        if reasons is not None:
            reasons.append("フリガナが一致" if ksim == 1.0 else f"フリガナの類似度 {ksim:.0%}")
        sim = max(sim, ksim)
    return sim


def _close_dates(a: str, b: str) -> bool:
    """ISO dates that differ in one character only (2026-05-10 / 2026-05-16): a keying error, not another person."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def score_pair(a: Keys, b: Keys, *, explain: bool = False) -> tuple[float, float, float, list[str]]:
    reasons: list[str] | None = [] if explain else None
    ns = name_similarity(a, b, reasons)
    ad = address_similarity(a, b, reasons)
    score = W_NAME * ns + W_ADDRESS * ad
    if a.birth and b.birth:
        if a.birth == b.birth:
            score = min(1.0, score + 0.05)
            if reasons is not None:
                reasons.append("生年月日が一致")
        elif _close_dates(a.birth, b.birth):
            score -= 0.05
            if reasons is not None:
                reasons.append("生年月日が1文字違い（入力誤りの可能性）")
        else:
            score -= 0.2
            if reasons is not None:
                reasons.append("生年月日が異なる")
    return max(0.0, score), ns, ad, reasons or []


def verdict_of(score: float, name_sim: float, same_name_key: bool = True) -> str | None:
    """``match``, ``possible`` or None.  ``match`` needs equal name keys (see the module docstring)."""
    if score >= MATCH_SCORE and name_sim >= MATCH_NAME and same_name_key:
        return MATCH
    if score >= POSSIBLE_SCORE:
        return POSSIBLE
    return None


def keys_of_all(people: Iterable[Person]) -> list[Keys]:
    """Keys of a list (one process: forking workers was measured slower here, see ADR 0005)."""
    return [keys_of(p) for p in people]


def build_index(keys: Sequence[Keys]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        for block in blocks_of(k):
            index[block].append(i)
    return index


def find_pairs(left: Iterable[Person], right: Iterable[Person], *, explain: bool = False,
               same_list: bool = False) -> list[Pair]:
    """Candidate pairs (left, right) scored at least ``possible``; one row per pair, best first per left."""
    lkeys = keys_of_all(left)
    rkeys = keys_of_all(right)
    index = build_index(rkeys)
    pairs: list[Pair] = []
    for lk in lkeys:
        seen: set[int] = set()
        for block in blocks_of(lk, query=True):
            for j in index.get(block, ()):
                if j in seen:
                    continue
                seen.add(j)
                rk = rkeys[j]
                if same_list and rk.id <= lk.id:
                    continue
                score, ns, ad, _ = score_pair(lk, rk)
                verdict = verdict_of(score, ns, lk.name == rk.name)
                if verdict is None:
                    continue
                reasons = score_pair(lk, rk, explain=True)[3] if explain else []
                pairs.append(Pair(lk.id, rk.id, round(score, 4), verdict, ns, ad, reasons))
    return pairs
