"""Benchmark: the daily reminder scan on province-size data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_bench_reminders \\
        .venv/bin/python -m benchmarks.reminders.scan [--townships 1400]

Builds the demo province once in the named database (kept for later runs),
gives every township party secretary a login and every county and the city
two organization-department officers (a deployment has them; the demo has
one of each), then times ``reminders_scan`` — the union query of every
registered source, stage planning, and the notices made (binary COPY, then
INSERT ... ON CONFLICT DO NOTHING with the urgent ones' deliveries) in
batches of 5,000 items.

Besides the kinds registered by the apps (with their demo data), a synthetic
kind over every cadre adds a set share of due items: the same 70,000 records
with 0 % (the apps' kinds alone), 5 % and 20 % more of them overdue (``--shares
0,0.05,0.2,1`` adds every cadre) show whether cost follows the due items or
the records. Each scenario runs three
times: the first run makes the whole backlog (every escalation at once), the
second the same day finds every notice made already (ON CONFLICT), the third
is the next day's scan, the steady state (the daily overdue reminders and the
escalations newly due).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from benchmarks.province import give_logins, setup_province


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=1400)
    parser.add_argument("--shares", default="0,0.05,0.2")
    args = parser.parse_args()

    setup_province(args.townships)
    from django.db import connection
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.expressions import RawSQL
    from django.db.models.functions import Concat

    from cadrecare.core import clock
    from cadrecare.org.choices import CadreStatus, Role
    from cadrecare.org.models import Cadre, OrgUnit, RoleGrant
    from cadrecare.reminders.models import Delivery, Digest, JobRun, Notice
    from cadrecare.reminders.services import reminders_scan
    from cadrecare.reminders.sources import SOURCES, api_url, due_columns, register

    give_logins()
    print(
        f"{Cadre.objects.count()} cadres, {OrgUnit.objects.count()} units, "
        f"{RoleGrant.objects.count()} role grants; kinds registered by the apps: {sorted(SOURCES) or 'none'}"
    )

    today = clock.today()
    share = {"value": 0.0}

    def synthetic(*, today: dt.date) -> object:
        # A deterministic pseudo-random slice of cadres is overdue by 0..29 days;
        # the rest are due 30..329 days ahead, outside every window.
        permille = int(share["value"] * 1000)
        due = RawSQL(
            "CASE WHEN (org_cadre.id * 7919) %% 1000 < %s THEN %s::date - ((org_cadre.id * 31) %% 30)::int "
            "ELSE %s::date + 30 + ((org_cadre.id * 31) %% 300)::int END",
            [permille, today, today],
        )
        secretary = (
            RoleGrant.objects.filter(unit=OuterRef("unit_id"), role=Role.SECRETARY).order_by("id").values("user_id")[:1]
        )
        return Cadre.objects.filter(status=CadreStatus.SERVING).annotate(
            **due_columns(
                kind="bench_review",
                cadre_id="id",
                unit_id="unit_id",
                unit_path="unit__path",
                due_date=due,
                title=Concat("name", Value("：年度复核")),
                url=api_url("cadres"),
                owner_id=Subquery(secretary),
                owner_unit_id="unit__parent_id",
            )
        )

    register("bench_review", label="年度复核（基准）", resource="cadres")(synthetic)

    def clear() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {Delivery._meta.db_table}, {Notice._meta.db_table}, "
                f"{Digest._meta.db_table}, {JobRun._meta.db_table}"
            )

    print(
        f"\n{'synthetic':>9} {'items':>7} {'notices':>8} {'first run s':>11} {'again s':>8} {'next day':>9}"
        f" {'next day s':>10}  by phase, first / next day (s)"
    )
    for value in [float(v) for v in args.shares.split(",")]:
        share["value"] = value
        clear()
        started = time.monotonic()
        first = reminders_scan(today=today)
        first_s = time.monotonic() - started
        started = time.monotonic()
        again = reminders_scan(today=today)
        again_s = time.monotonic() - started
        assert again.created == 0
        started = time.monotonic()
        next_day = reminders_scan(today=today + dt.timedelta(days=1))
        next_s = time.monotonic() - started
        phases = " / ".join(
            " ".join(f"{k} {v:.1f}" for k, v in run.detail["seconds"].items()) for run in (first, next_day)
        )
        if value == 0:
            print(f"apps' kinds: {first.detail['items_by_kind']}")
        print(
            f"{value:>9.0%} {first.scanned:>7} {first.created:>8} {first_s:>11.1f} {again_s:>8.1f}"
            f" {next_day.created:>9} {next_s:>10.1f}  {phases}",
            flush=True,
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
