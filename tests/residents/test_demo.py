"""The demo generator of residents (madoguchi.residents.services.demo)."""

from __future__ import annotations

import datetime as dt
import io
import random

from madoguchi.core.text import address_key
from madoguchi.residents.models import Resident
from madoguchi.residents.services.demo import generate, seed


def test_generation_is_reproducible() -> None:
    assert generate(rng=random.Random(7), count=500) == generate(rng=random.Random(7), count=500)
    assert generate(rng=random.Random(7), count=500) != generate(rng=random.Random(8), count=500)


def test_small_seed_makes_households_in_the_ward(db) -> None:
    out = io.StringIO()
    seed(rng=random.Random(20261122), scale="small", stdout=out)
    residents = list(Resident.objects.all())
    # about 5,000 residents in households with a head each
    assert 5_000 <= len(residents) <= 5_010
    households: dict[str, list[Resident]] = {}
    for r in residents:
        households.setdefault(r.household_no, []).append(r)
    assert all(sum(m.relation == "世帯主" for m in members) == 1 for members in households.values())
    assert any(len(m) >= 3 for m in households.values())
    # every member of a household lives at its address; postal codes of the ward
    assert all(len({(m.address, m.address_extra) for m in members}) == 1 for members in households.values())
    assert {r.postal_code[:3] for r in residents} <= {"160", "161", "162", "169"}
    assert all(r.address.startswith("東京都新宿区") and r.address_key == address_key(r.address) for r in residents)
    assert sum(bool(r.address_extra) for r in residents) > 1_000
    # kana for every name, birth dates 1930..2026, children and the coming-of-age cohort present
    assert all(r.name_kana and r.kana_key for r in residents)
    assert min(r.birth_date for r in residents) >= dt.date(1930, 1, 1)
    assert max(r.birth_date for r in residents) < dt.date(2026, 11, 22)
    assert sum(dt.date(2007, 4, 2) <= r.birth_date <= dt.date(2026, 3, 31) for r in residents) > 300
    assert sum(dt.date(2006, 4, 2) <= r.birth_date <= dt.date(2007, 4, 1) for r in residents) > 20
    # register-like spellings, found through the plain forms' keys
    names = [r.name for r in residents]
    assert any("髙" in n for n in names) and any("邉" in n or "邊" in n for n in names)
    assert any("齋" in n or "齊" in n for n in names) and any("﨑" in n for n in names)
    assert all("髙" not in r.name_key and "﨑" not in r.name_key for r in residents)
    assert "人" in out.getvalue()


def test_seeding_again_changes_nothing(db) -> None:
    seed(rng=random.Random(1), scale="small", stdout=io.StringIO())
    before = list(Resident.objects.order_by("pk").values_list("resident_no", "name", "updated_at"))
    seed(rng=random.Random(1), scale="small", stdout=io.StringIO())
    assert list(Resident.objects.order_by("pk").values_list("resident_no", "name", "updated_at")) == before
