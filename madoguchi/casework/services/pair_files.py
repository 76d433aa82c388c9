"""Comparing two lists given as CSV files (``find_duplicates``): reading, checking, matching, writing.

Input columns ``id,name,name_kana,birth_date,postal_code,address``; id, name and address are required on
every row, the others may be empty.  Output ``left_id,right_id,score,verdict``, one row per candidate.
"""

from __future__ import annotations

import io

from madoguchi.casework.matching import Pair, Person, find_pairs
from madoguchi.core.csvio import read_all_rows
from madoguchi.core.era import EraDateError, parse_date
from madoguchi.core.errors import ImportRejected, RowError
from madoguchi.core.sheets import csv_writer

REQUIRED = ("id", "name", "address")
OPTIONAL = ("name_kana", "birth_date", "postal_code")


def read_people(data: bytes, *, label: str) -> list[Person]:
    _header, rows, errors = read_all_rows(data, required=REQUIRED, optional=OPTIONAL, allow_unknown=False)
    people: list[Person] = []
    seen: set[str] = set()
    dates: dict[str, str] = {}
    for row in rows:
        v = row.values
        for col in REQUIRED:
            if not v.get(col):
                errors.append(RowError(row.line, col, f"{label}: 必須の値が空です"))
        if v.get("id") in seen:
            errors.append(RowError(row.line, "id", f"{label}: id が重複しています"))
        seen.add(v.get("id", ""))
        birth = v.get("birth_date", "")
        if birth:
            if birth in dates:
                birth = dates[birth]
            else:
                try:
                    dates[birth] = birth = parse_date(birth).isoformat()
                except EraDateError as exc:
                    errors.append(RowError(row.line, "birth_date", f"{label}: {exc}"))
        people.append(Person(id=v.get("id", ""), name=v.get("name", ""), address=v.get("address", ""),
                             name_kana=v.get("name_kana", ""), birth_date=birth,
                             postal_code=v.get("postal_code", "")))
    if errors:
        raise ImportRejected(errors)
    return people


def match_files(left: bytes, right: bytes) -> list[Pair]:
    left_people = read_people(left, label="左")
    right_people = read_people(right, label="右")
    return find_pairs(left_people, right_people)


def pairs_csv(pairs: list[Pair]) -> str:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\n")
    w.writerow(["left_id", "right_id", "score", "verdict"])
    for p in pairs:
        w.writerow([p.left_id, p.right_id, f"{p.score:.4f}", p.verdict])
    return out.getvalue()
