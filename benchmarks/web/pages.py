"""Benchmark: workbench pages on province-size data (server time, queries, first-load size).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_bench \\
        .venv/bin/python -m benchmarks.web.pages [--townships 1400] [--requests 60]

Builds the demo province once in the named database (kept for later runs),
then, once, grows the demo secretary's township to 150 cadres and solves
next month's roster for it (the roster grid's largest case). Each case is a
GET through Django's test client, in process, as the demo user who opens the
page: the full middleware stack, the selectors and the template, no network.
Prints median and p95 server time, the process's CPU time per request (mean;
PostgreSQL's own is not in it), queries per request (counted on one
request of its own, by a wrapper that only counts) and the first load's
transfer: the page's HTML and every local asset it names, each gzip-compressed
as whitenoise serves it.
"""

from __future__ import annotations

import argparse
import gzip
import re
import time
from pathlib import Path
from typing import Any

from benchmarks.province import setup_province, timed

GRID_CADRES = 150


def _grow_township(unit: Any, size: int) -> None:
    """Benchmark data only: copies of the township's own cadres (new names,
    ID numbers and phones) until it has ``size`` in post."""
    from cadrecare.org.models import Cadre

    serving = list(Cadre.objects.filter(unit=unit, status="serving").order_by("pk"))
    missing = size - len(serving)
    copies = []
    for index in range(missing):
        source = serving[index % len(serving)]
        copy = Cadre.objects.get(pk=source.pk)
        copy.pk = None
        copy.user = None
        copy.name = f"{source.name}{index}"
        copy.id_number = f"9{unit.pk:08d}{index:08d}X"
        copy.phone = f"139{unit.pk % 10000:04d}{index:04d}"
        copies.append(copy)
    Cadre.objects.bulk_create(copies)


def _prepare_grid(month: Any) -> Any:
    """The secretary's township with 150 cadres and a solved roster for ``month``."""
    from cadrecare.org.models import Cadre
    from cadrecare.rotation.models import GenerationItem, Roster
    from cadrecare.rotation.services import generation_item_run, generation_request

    unit = Cadre.objects.get(user__username="secretary").unit
    roster = Roster.objects.filter(unit=unit, month=month).first()
    if roster is not None and roster.current_id:
        return roster
    if Cadre.objects.filter(unit=unit, status="serving").count() < GRID_CADRES:
        _grow_township(unit, GRID_CADRES)
    started = time.monotonic()
    run = generation_request(actor=None, unit=unit, month=month)
    generation_item_run(item_id=GenerationItem.objects.get(run=run).pk)
    print(f"roster of {GRID_CADRES} cadres solved in {time.monotonic() - started:.0f}s")
    return Roster.objects.get(unit=unit, month=month)


def _transfer(html: bytes) -> tuple[int, int]:
    """(bytes of the gzip-compressed HTML, of it plus every local asset it names)."""
    from django.contrib.staticfiles import finders

    page = len(gzip.compress(html, 6))
    total = page
    for name in sorted(set(re.findall(rb'(?:href|src)="/static/([^"#?]+)', html))):
        found = finders.find(name.decode())
        if found:
            total += len(gzip.compress(Path(found).read_bytes(), 6))
    return page, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=1400)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--only", default="", help="run the cases whose label contains this text")
    args = parser.parse_args()

    setup_province(args.townships)
    from django.test import Client
    from django.urls import reverse

    from cadrecare.core import clock
    from cadrecare.org.models import Cadre, OrgUnit, User
    from cadrecare.reminders.models import Notice, OverdueTally
    from cadrecare.reminders.services import overdue_tally_refresh, reminders_scan
    from cadrecare.web.views.dashboard import month_start

    if not Notice.objects.exists():  # the day's notices: the unread badge and 督办事项 read them
        started = time.monotonic()
        reminders_scan()
        print(f"reminders scanned in {time.monotonic() - started:.0f}s")
    roster = _prepare_grid(month_start(clock.today(), 1))
    if not OverdueTally.objects.filter(day=clock.today()).exists():  # what the overdue-tally job keeps (10 min)
        started = time.monotonic()
        overdue_tally_refresh()
        print(f"overdue items tallied in {time.monotonic() - started:.0f}s")
    print(f"{Cadre.objects.count()} cadres, {OrgUnit.objects.count()} units")

    county = Cadre.objects.get(user__username="secretary").unit.parent
    # The HR officer's township: its cadre with the longest record (post changes, check-ups, talks).
    hr_cadre = (
        Cadre.objects.filter(unit=Cadre.objects.get(user__username="hr").unit, status="serving")
        .order_by("-checkups__date", "pk")
        .first()
    )
    cases = {
        "secretary, 我的待办": ("secretary", reverse("web:home"), {}),
        "secretary, roster grid (150)": (
            "secretary",
            reverse("web:roster-month", kwargs={"unit": roster.unit_id, "month": roster.month}),
            {},
        ),
        # The API's grid: the same selector, as JSON.
        "secretary, API grid (150)": ("secretary", f"/api/v1/rosters/{roster.pk}/grid/", {}),
        # The dashboard keeps its figures ten minutes: ``refresh`` computes them on every request (the
        # overdue items from the overdue-tally job's count); ``refresh=now`` (立即刷新) counts those too.
        "county staff, 总览 computed": ("county_staff", reverse("web:dashboard"), {"refresh": 1}),
        "county staff, 总览 kept": ("county_staff", reverse("web:dashboard"), {}),
        "city admin, 总览 computed": ("city_admin", reverse("web:dashboard"), {"refresh": 1}),
        "city admin, 总览 kept": ("city_admin", reverse("web:dashboard"), {}),
        "city admin, 总览 立即刷新": ("city_admin", reverse("web:dashboard"), {"refresh": "now"}),
        "city admin, a county computed": ("city_admin", reverse("web:dashboard"), {"unit": county.pk, "refresh": 1}),
        "county staff, 全部待办 overdue": ("county_staff", reverse("web:due-items"), {"state": "overdue"}),
        "county staff, 督办事项": ("county_staff", reverse("web:escalations"), {}),
        "HR, 体检到期 (check-ups due)": ("hr", reverse("web:checkups"), {}),
        "HR, a cadre's page": ("hr", reverse("web:cadre", kwargs={"pk": hr_cadre.pk}), {}),
        "cadre, 我的待办": ("cadre", reverse("web:home"), {}),
    }
    print(
        f"{'case':<32} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'queries':>8} {'html KB gz':>11}"
        f" {'first load KB gz':>17}"
    )
    for label, (username, url, params) in cases.items():
        if args.only not in label:
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        # The Django process's own CPU per request: on a shared machine the wall
        # time mostly says how busy the others are; this says what the page costs.
        cpu = time.process_time()
        median, p95, queries, response = timed(lambda: client.get(url, params), args.requests)  # noqa: B023
        cpu = (time.process_time() - cpu) * 1000 / (args.requests + 1)
        assert response.status_code == 200, (label, response.status_code)
        page, total = _transfer(response.content)
        print(
            f"{label:<32} {median:>10.1f} {p95:>8.1f} {cpu:>7.1f} {queries:>8} {page / 1024:>11.1f}"
            f" {total / 1024:>17.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
