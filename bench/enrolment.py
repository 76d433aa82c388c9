"""Enrolment figures (issue 10): 25,000 people from a roster CSV and 4,000 from the master by the cohort rule,
each with its access-log rows (goal: ≤ 10 s for 25,000 on PostgreSQL).

    .venv/bin/python -m bench.enrolment [--roster 25000] [--cohort 4000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench .venv/bin/python -m bench.enrolment

Runs on a scratch SQLite file (or on ``DATABASE_URL``, whose database name must contain ``bench``; it is
flushed first).  Measured through the services, as the screen and ``madoguchi enrol`` call them: the roster
(CSV parse, lookup of every 住民番号, duplicate/scope/residence checks, insert, one access-log row per 1,000)
and the extraction (select the cohort, insert, log).  Baseline in the same run: Django's ``bulk_create`` of the same
25,000 participations without checks or log (on PostgreSQL the service writes with one ``unnest`` insert per
10,000, so it can beat the baseline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        (ROOT / "var").mkdir(exist_ok=True)
        path = ROOT / "var" / "bench-enrolment.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("DATABASE_URL のデータベース名に bench を含めてください。")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madoguchi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    return f"{connection.vendor} ({connection.settings_dict['NAME']})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--roster", type=int, default=25_000)
    parser.add_argument("--cohort", type=int, default=4_000)
    args = parser.parse_args()
    where = setup()

    from madoguchi.accounts.context import Actor
    from madoguchi.accounts.models import Organisation, OrganisationKind, Role, User
    from madoguchi.audit.models import AccessLog
    from madoguchi.programs.services.enrolment import enrol_from_csv, enrol_from_master
    from madoguchi.register.models import Participation, PersonScope, Program, Revision, RevisionStatus
    from madoguchi.residents.models import Resident

    print(f"database: {where}")
    dept = Organisation.objects.create(code="dept-bench", name="ベンチ課", kind=OrganisationKind.DEPARTMENT)
    staff = User.objects.create(username="bench-staff", role=Role.DEPARTMENT_STAFF, organisation=dept)
    actor = Actor(user=staff, address="bench", channel="cli")

    def program(code: str, ptype: str, scope: str) -> Program:
        p = Program.objects.create(code=code, name=code, department=dept, program_type=ptype)
        rev = Revision.objects.create(program=p, number=1, status=RevisionStatus.APPROVED, title=code,
                                      start_date=dt.date(2026, 4, 1), end_date=dt.date(2027, 3, 31))
        PersonScope.objects.create(revision=rev, name=scope)
        return p

    points = program("bench-points", "points_scheme", "健康ポイント事業の参加者")
    baseline_program = program("bench-baseline", "points_scheme", "参加者")
    coming = program("coming-of-age-2026", "cohort_mailing", "はたちのつどいの対象者")

    t0 = time.perf_counter()
    adults = [Resident(resident_no=f"{300000000 + n}", name="ベンチ　花子", birth_date=dt.date(1960 + n % 40, 1 + n % 12, 1),
                       address=f"東京都新宿区西新宿{n % 9 + 1}丁目{n % 30 + 1}番") for n in range(args.roster)]
    first = dt.date(2006, 4, 2)
    cohort = [Resident(resident_no=f"{400000000 + n}", name="ベンチ　太郎", birth_date=first + dt.timedelta(days=n % 365),
                       address="東京都新宿区新宿一丁目1番") for n in range(args.cohort)]
    Resident.objects.bulk_create(adults + cohort, batch_size=2000)
    print(f"setup: {len(adults) + len(cohort):,} residents in {time.perf_counter() - t0:.1f} s")
    csv_bytes = ("住民番号\n" + "\n".join(r.resident_no for r in adults) + "\n").encode()

    ids = list(Resident.objects.filter(resident_no__startswith="3").values_list("id", flat=True))
    started = time.perf_counter()
    Participation.objects.bulk_create([Participation(program=baseline_program, resident_id=i, role="参加者")
                                       for i in ids], batch_size=2000)
    baseline = time.perf_counter() - started

    logs_before = AccessLog.objects.count()
    started = time.perf_counter()
    roster = enrol_from_csv(program=points, data=csv_bytes, actor=actor)
    roster_s = time.perf_counter() - started
    roster_logs = AccessLog.objects.count() - logs_before
    print(f"roster CSV: {roster.added:,} enrolled, {roster_logs} access-log rows, {roster_s:.2f} s "
          f"(goal ≤ 10 s on PostgreSQL); baseline bare insert {baseline:.2f} s, ratio {roster_s / baseline:.1f}×")

    logs_before = AccessLog.objects.count()
    started = time.perf_counter()
    extracted = enrol_from_master(program=coming, rule="cohort", actor=actor)
    master_s = time.perf_counter() - started
    print(f"master by rule (cohort FY2026): {extracted.added:,} enrolled, "
          f"{AccessLog.objects.count() - logs_before} access-log rows, {master_s:.2f} s")
    started = time.perf_counter()
    again = enrol_from_master(program=coming, rule="cohort", actor=actor)
    print(f"rerun of the rule: {again.added} added, {again.already:,} already there, {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
