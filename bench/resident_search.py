"""Resident search with 350,000 residents: p50/p95 of name, kana, birth-date and address searches.

    .venv/bin/python -m bench.resident_search [--count 350000] [--queries 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_residents_bench .venv/bin/python -m bench.resident_search

Fills the table with the demo generator when it holds fewer residents, enrols them all in one approved program
of a department (so the policy's scope is the whole ward, its most expensive case), then measures three levels:

- selector: ``page_of(search_residents(Resident.objects.all(), criteria), 1)`` (first page + capped count);
- scoped: policy, ``resident_queryset``, search, page, ``serialize_residents`` and the access-log row in one
  transaction — what the view does, without HTTP;
- page: ``GET /residents/?…`` through Django's test client (middleware, session, template).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from bench._residents_db import clear_residents, setup

KINDS = ["name kanji", "name kanji (variant, full name)", "kana (half-width)", "kana (hiragana, full name)",
         "birth date (wareki)", "address (kanji)", "address (2-8-1)", "address (full-width)",
         "name + birth date"]


def _queries(rng: random.Random, sample: list[tuple[str, str, str, object]], n: int) -> dict[str, list[dict[str, str]]]:
    import jaconv
    import kanjize

    from madoguchi.core.era import format_wareki
    from madoguchi.core.text import address_key

    out: dict[str, list[dict[str, str]]] = {k: [] for k in KINDS}
    for name, kana, address, birth in rng.sample(sample, n):
        surname = name.split("　")[0] if "　" in name else name[:2]
        out["name kanji"].append({"q": surname.replace("髙", "高").replace("﨑", "崎")})
        out["name kanji (variant, full name)"].append({"q": name.replace("高", "髙").replace("　", " ")})
        out["kana (half-width)"].append({"q": jaconv.z2h(kana.split("　")[0], kana=True)})
        out["kana (hiragana, full name)"].append({"q": jaconv.kata2hira(kana)})
        out["birth date (wareki)"].append({"birth_date": format_wareki(birth)})  # type: ignore[arg-type]
        key = address_key(address)  # e.g. 西新宿2-8-1
        town = key.rstrip("0123456789-")
        numbers = key[len(town):].split("-")
        units = ["丁目", "番", "号"] if len(numbers) == 3 else ["番", "号"]
        kanji_form = town + "".join(
            (str(kanjize.number2kanji(int(x))) if u == "丁目" else x) + u for x, u in zip(numbers, units, strict=False))
        out["address (kanji)"].append({"address": "東京都新宿区" + kanji_form})
        out["address (2-8-1)"].append({"address": key})
        out["address (full-width)"].append({"address": jaconv.h2z(key, digit=True, ascii=True).replace("-", "−")})
        out["name + birth date"].append({"q": surname, "birth_date": birth.isoformat()})  # type: ignore[attr-defined]
    return out


def _measure(fn: Callable[[dict[str, str]], int], queries: list[dict[str, str]]) -> tuple[float, float, float, float]:
    times: list[float] = []
    hits: list[int] = []
    for q in queries:
        t0 = time.perf_counter()
        hits.append(fn(q))
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, times[-1], statistics.mean(hits)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=350_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    where = setup()

    import datetime as dt

    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from madoguchi.accounts.context import Actor
    from madoguchi.accounts.models import Organisation, OrganisationKind, Role, User
    from madoguchi.audit.events import AuditEvent
    from madoguchi.audit.services import record_access
    from madoguchi.register.catalogue import ensure_catalogue
    from madoguchi.register.models import PersonScope, Program, RecordedItem, Revision, RevisionStatus
    from madoguchi.register.policy import policy_for, resident_queryset, serialize_residents
    from madoguchi.residents.models import Resident
    from madoguchi.residents.selectors import page_of, parse_query, search_residents
    from madoguchi.residents.services.bulk import upsert_residents
    from madoguchi.residents.services.demo import generate

    print(f"database: {where}")
    if Resident.objects.count() < args.count:
        clear_residents()
        t0 = time.perf_counter()
        with transaction.atomic():
            upsert_residents(generate(rng=random.Random(20261122), count=args.count))
        print(f"loaded {Resident.objects.count():,} residents in {time.perf_counter() - t0:.1f} s")

    # a department that owns an approved program in which every resident takes part
    dept, _ = Organisation.objects.get_or_create(code="bench-dept", defaults={"name": "ベンチ課",
                                                                              "kind": OrganisationKind.DEPARTMENT})
    user, created = User.objects.get_or_create(username="bench-staff", defaults={
        "role": Role.DEPARTMENT_STAFF, "organisation": dept})
    program, made = Program.objects.get_or_create(code="bench-program", defaults={"name": "ベンチ事業",
                                                                                    "department": dept})
    if made:
        catalogue = ensure_catalogue()
        rev = Revision.objects.create(program=program, number=1, status=RevisionStatus.APPROVED, title="ベンチ",
                                      start_date=dt.date(2026, 4, 1), end_date=dt.date(2027, 3, 31),
                                      decided_on=dt.date(2026, 3, 1))
        scope = PersonScope.objects.create(revision=rev, name="全員")
        RecordedItem.objects.bulk_create([RecordedItem(scope=scope, item=catalogue[k]) for k in (
            "resident_no", "name", "name_kana", "birth_date", "sex", "postal_code", "address", "address_extra",
            "household_no", "relation")])
    q = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {q('register_participation')} WHERE {q('program_id')} = %s", [program.pk])
        cursor.execute(
            f"INSERT INTO {q('register_participation')} ({q('program_id')}, {q('resident_id')}, {q('role')}, "
            f"{q('since')}) SELECT %s, {q('id')}, '', %s FROM {q('residents_resident')}",
            [program.pk, connection.ops.adapt_datetimefield_value(timezone.now())])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    sample = list(Resident.objects.order_by("?").values_list("name", "name_kana", "address", "birth_date")[:args.queries]) \
        if connection.vendor == "postgresql" else None
    if sample is None:
        total = Resident.objects.count()
        rng0 = random.Random(3)
        ids = sorted(rng0.sample(range(1, total + 1), args.queries))
        sample = list(Resident.objects.filter(resident_no__in=[f"{100000000 + i:09d}" for i in ids])
                      .values_list("name", "name_kana", "address", "birth_date"))
    queries = _queries(random.Random(5), sample, min(args.queries, len(sample)))
    actor = Actor.cli(user, purpose="bench")
    actor = Actor(user=user, address="127.0.0.1", channel="web", purpose="bench")

    def selector(params: dict[str, str]) -> int:
        parsed = parse_query(params.get("q", ""), params.get("birth_date", ""), params.get("address", ""))
        return len(page_of(search_residents(Resident.objects.all(), parsed.criteria), 1).residents)

    def scoped(params: dict[str, str]) -> int:
        parsed = parse_query(params.get("q", ""), params.get("birth_date", ""), params.get("address", ""))
        with transaction.atomic():
            policy = policy_for(actor)
            qs = resident_queryset(actor, policy=policy)
            page = page_of(search_residents(qs, parsed.criteria), 1)
            rows = serialize_residents(policy, page.residents)
            record_access(actor=actor, action=AuditEvent.RESIDENT_SEARCH, residents=[r["id"] for r in rows],
                          target=parsed.criteria.describe())
        return len(rows)

    client = Client()
    client.force_login(user)

    def page(params: dict[str, str]) -> int:
        response = client.get("/residents/", params)
        assert response.status_code == 200, response.status_code
        return response.content.decode().count('data-testid="resident-row"')

    print(f"{args.queries} queries per kind; times in ms (p50 / p95 / max), mean rows on the first page")
    for level, fn in (("selector", selector), ("scoped+log", scoped), ("page (HTTP)", page)):
        print(f"-- {level}")
        for kind in KINDS:
            fn(queries[kind][0])  # warm
            p50, p95, worst, hits = _measure(fn, queries[kind])
            print(f"  {kind:34s} {p50:7.1f} {p95:7.1f} {worst:7.1f}   rows {hits:5.1f}")


if __name__ == "__main__":
    main()
