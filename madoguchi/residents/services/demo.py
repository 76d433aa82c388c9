"""Demo residents: fictitious people of Shinjuku ward in households.

``seed(rng=…, scale="small")`` makes about 5,000 residents; ``scale="ward"`` about 350,000 (a few minutes at
most: the rows are written in bulk, with COPY on PostgreSQL).  The same ``rng`` seed gives the same people.

- Households: single people (many, as in the ward), couples, couples and single parents with children,
  elderly couples, three generations, sharers; 世帯番号 and 続柄 (世帯主, 妻, 夫, 子, 父, 母, 孫, 同居人).
- Names: (kanji, kana) pairs, so the kana fits the kanji (Faker ja_JP's paired surnames merged with a longer
  list), given names by generation, some foreign residents, and register spellings: 髙橋, 山﨑, 渡邉/渡邊,
  齋藤/齊藤, 𠮷田, 辻 with a variation selector …
- Birth dates 1930–2026 with an age pyramid shaped like the ward's (many in their twenties and thirties);
  children born 2007-04-02..2026-03-31 and the cohort born 2006-04-02..2007-04-01 are always present.
- Addresses in the ward's real towns with 丁目・番・号 written in the forms registers use, postal codes of
  those towns, and 方書 (building and room) for many households.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from faker.providers.person.ja_JP import Provider as JaPersonProvider

from madoguchi.residents.models import match_keys
from madoguchi.residents.services.bulk import upsert_residents
from madoguchi.residents.services.demo_names import (
    BUILDING_STEMS,
    FEMALE_NAMES,
    MALE_NAMES,
    SURNAMES,
    TOWNS,
    VARIANT_SPELLINGS,
)

DEMO_TODAY = dt.date(2026, 11, 22)
SCALES = {"small": 5_000, "ward": 350_000}
KANJI_DIGITS = "〇一二三四五六七八九"
FOREIGN_SURNAMES = [("グエン", "グエン"), ("チャン", "チャン"), ("キム", "キム"), ("パク", "パク"), ("王", "ワン"),
                    ("李", "リ"), ("張", "チャン"), ("シュレスタ", "シュレスタ"), ("スミス", "スミス"),
                    ("ガルシア", "ガルシア")]
FOREIGN_GIVEN = [("ヴァン　アン", "ヴァン　アン"), ("ミンジュン", "ミンジュン"), ("ソヨン", "ソヨン"), ("偉", "ウェイ"),
                 ("静", "ジン"), ("ラム", "ラム"), ("エミリー", "エミリー"), ("ルイス", "ルイス"), ("ティ　ハ", "ティ　ハ")]


class _Weighted:
    """Fast weighted choice over a fixed list (bisect on cumulative weights)."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in pairs]
        self.cumulative = list(itertools.accumulate(w for _, w in pairs))

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def _surnames() -> _Weighted:
    pairs: dict[str, tuple[str, float]] = {k: (kana, w) for k, kana, w in SURNAMES}
    for (kanji, kana, _roman), weight in JaPersonProvider.last_name_pairs.items():
        pairs.setdefault(kanji, (kana, max(1.0, float(weight) / 60_000)))
    return _Weighted([((k, kana), w) for k, (kana, w) in sorted(pairs.items())])


# ages (in whole years) of a person living alone / heading a household, shaped like the ward:
# many students and young workers, then a long tail.
_SINGLE_AGES = _Weighted([(a, 6.0) for a in range(18, 23)] + [(a, 9.0) for a in range(23, 35)]
                         + [(a, 6.0) for a in range(35, 50)] + [(a, 4.0) for a in range(50, 65)]
                         + [(a, 3.5) for a in range(65, 80)] + [(a, 2.0) for a in range(80, 90)]
                         + [(a, 0.8) for a in range(90, 97)])


def _birth(rng: random.Random, age: int) -> dt.date:
    """A birth date making the person ``age`` on DEMO_TODAY (never before 1930, never after yesterday)."""
    latest = DEMO_TODAY.replace(year=DEMO_TODAY.year - age) - dt.timedelta(days=1)
    day = latest - dt.timedelta(days=rng.randrange(365))
    return max(day, dt.date(1930, 1, 1)) if age < 200 else day


def _band(birth: dt.date) -> str:
    return "old" if birth.year < 1960 else "mid" if birth.year < 1990 else "new"


class _Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = _surnames()
        self.towns = _Weighted([(t, w) for *t, w in TOWNS])
        self.rows: list[tuple[object, ...]] = []
        self.households = 0

    # -- people --------------------------------------------------------------------------------------
    def surname(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.06:
            return rng.choice(FOREIGN_SURNAMES)
        kanji, kana = self.surnames.pick(rng)
        for variant, chance in VARIANT_SPELLINGS.get(kanji, ()):
            if rng.random() < chance:
                return variant, kana
        return kanji, kana

    def given(self, sex: str, birth: dt.date, foreign: bool) -> tuple[str, str]:
        if foreign:
            return self.rng.choice(FOREIGN_GIVEN)
        names = MALE_NAMES if sex == "男" else FEMALE_NAMES
        return self.rng.choice(names[_band(birth)])

    # -- addresses ------------------------------------------------------------------------------------
    def address(self) -> tuple[str, str, str]:
        rng = self.rng
        town, postal, chome_count = self.towns.pick(rng)
        banchi, go = rng.randint(1, 30 if chome_count else 60), rng.randint(1, 25)
        form = rng.random()
        if chome_count:
            chome = rng.randint(1, chome_count)
            if form < 0.7:
                text = f"{town}{KANJI_DIGITS[chome]}丁目{banchi}番{go}号"
            elif form < 0.9:
                text = f"{town}{chome}丁目{banchi}番{go}号"
            else:
                text = f"{town}{chome}-{banchi}-{go}"
        else:
            text = f"{town}{banchi}番{go}号" if form < 0.85 else f"{town}{banchi}-{go}"
        extra = ""
        if rng.random() < 0.45:
            stem = rng.choice(BUILDING_STEMS)
            name = f"{town}{stem}" if rng.random() < 0.6 else f"{stem}{rng.choice(['第一', '第二', 'Ⅱ', 'A', ''])}{town}"
            room = rng.randint(1, 15) * 100 + rng.randint(1, 12)
            extra = f"{name}{room}号室" if rng.random() < 0.7 else f"{name}　{room}"
        return "東京都新宿区" + text, extra, postal

    # -- households -----------------------------------------------------------------------------------
    def household(self) -> None:
        rng = self.rng
        self.households += 1
        household_no = f"{500000000 + self.households:09d}"
        address, extra, postal = self.address()
        surname = self.surname()
        foreign = surname in FOREIGN_SURNAMES
        members: list[tuple[str, int, str, tuple[str, str] | None]] = []  # relation, age, sex, own surname
        kind = rng.random()
        if kind < 0.54:  # one person
            members.append(("世帯主", _SINGLE_AGES.pick(rng), rng.choice("男女"), None))
        elif kind < 0.67:  # couple
            age = rng.randint(25, 75)
            members += [("世帯主", age, "男", None), ("妻", max(20, age + rng.randint(-6, 3)), "女", None)]
        elif kind < 0.78:  # couple with children
            age = rng.randint(28, 56)
            members += [("世帯主", age, "男", None), ("妻", max(22, age + rng.randint(-6, 3)), "女", None)]
            members += self.children(min(age, members[-1][1]), rng.choices([1, 2, 3], [45, 40, 15])[0])
        elif kind < 0.81:  # single parent
            age = rng.randint(25, 55)
            members.append(("世帯主", age, "女" if rng.random() < 0.85 else "男", None))
            members += self.children(age, rng.choice([1, 1, 2]))
        elif kind < 0.89:  # elderly couple or an elderly parent living with a child
            age = rng.randint(65, 92)
            members += [("世帯主", age, "男", None), ("妻", min(96, max(60, age + rng.randint(-5, 2))), "女", None)]
        elif kind < 0.91:  # three generations
            age = rng.randint(35, 55)
            members += [("世帯主", age, "男", None), ("妻", max(30, age + rng.randint(-5, 2)), "女", None),
                        ("母", min(96, age + rng.randint(24, 35)), "女", None)]
            members += self.children(age, rng.choice([1, 2, 2, 3]))
        else:  # sharers
            members.append(("世帯主", rng.randint(20, 40), rng.choice("男女"), None))
            members.append(("同居人", rng.randint(20, 40), rng.choice("男女"), self.surname()))
        for relation, age, sex, own_surname in members:
            self.person(household_no, relation, min(age, 96), sex, own_surname or surname, foreign,
                        address, extra, postal)

    def children(self, parent_age: int, count: int) -> list[tuple[str, int, str, tuple[str, str] | None]]:
        oldest = max(0, min(parent_age - 20, 24))
        return [("子", self.rng.randint(0, oldest), self.rng.choice("男女"), None) for _ in range(count)]

    def person(self, household_no: str, relation: str, age: int, sex: str, surname: tuple[str, str],
               foreign: bool, address: str, extra: str, postal: str) -> None:
        rng = self.rng
        birth = _birth(rng, age)
        given = self.given(sex, birth, foreign)
        space = "　" if rng.random() < 0.97 else ""
        name, kana = f"{surname[0]}{space}{given[0]}", f"{surname[1]}　{given[1]}"
        status = "住登"
        roll = rng.random()
        if roll < 0.02:
            status = "転出"
        elif roll < 0.03 and age >= 60:
            status = "死亡"
        since = birth if age < 3 or rng.random() < 0.2 else birth + dt.timedelta(
            days=rng.randrange(max(1, (DEMO_TODAY - birth).days)))
        keys = match_keys(name=name, name_kana=kana, address=address, address_extra=extra)
        number = f"{100000000 + len(self.rows) + 1:09d}"
        self.rows.append((number, name, kana, birth, sex, postal, address, extra, household_no, relation,
                          since, status, keys["name_key"], keys["kana_key"], keys["address_key"],
                          keys["building_key"]))


def generate(*, rng: random.Random, count: int) -> list[tuple[object, ...]]:
    """About ``count`` residents (whole households), in the column order of bulk.COLUMNS."""
    gen = _Generator(rng)
    while len(gen.rows) < count:
        gen.household()
    return gen.rows


def _count(rows: list[tuple[object, ...]], test: Callable[[dt.date], bool]) -> int:
    return sum(1 for r in rows if isinstance(r[3], dt.date) and test(r[3]))


def seed(*, rng: random.Random, scale: str, stdout: TextIO) -> None:
    count = SCALES.get(scale, SCALES["small"])
    rows = generate(rng=rng, count=count)
    result = upsert_residents(rows)
    children = _count(rows, lambda b: dt.date(2007, 4, 2) <= b <= dt.date(2026, 3, 31))
    cohort = _count(rows, lambda b: dt.date(2006, 4, 2) <= b <= dt.date(2007, 4, 1))
    households = len({r[8] for r in rows})
    stdout.write(f"  住民 {len(rows):,}人（{households:,}世帯、新規 {result.created:,}人）、"
                 f"うち18歳以下の子ども {children:,}人、はたちの対象 {cohort:,}人\n")
