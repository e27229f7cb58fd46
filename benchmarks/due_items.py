"""CPU per request of the due-items union on the demo city, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_perfdue REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m benchmarks.due_items [--requests 30]

Builds the demo city once in that database (``seed_demo``), then sends each
case through Django's test client as the demo user (the whole middleware
stack, the API's throttles, the selectors and the template, no network):
the process's CPU per request (``time.process_time``, PostgreSQL's not in
it), the wall time's median and p95, the queries of one request, and the
first request's CPU with nothing kept (``cold``: the prepared SQL built).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    from cadrecare.org.models import OrgUnit, User

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        call_command("seed_demo")
    try:
        from cadrecare.reminders.sources import PREPARED
    except ImportError:  # before the prepared SQL
        PREPARED = None  # noqa: N806

    cases = {
        "secretary, API due-items?mine=1": ("secretary", True, "/api/v1/due-items/", {"mine": 1}),
        "secretary, page 我的待办": ("secretary", False, reverse("web:home"), {}),
        "county staff, API due-items (scope)": ("county_staff", True, "/api/v1/due-items/", {}),
        "county staff, page 全部待办 overdue": ("county_staff", False, reverse("web:due-items"), {"state": "overdue"}),
        "HR, page 我的待办": ("hr", False, reverse("web:home"), {}),
    }
    print(f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print("| case | cold CPU ms | CPU ms | median ms | p95 ms | queries |\n|---|---:|---:|---:|---:|---:|")
    for label, (username, api, url, params) in cases.items():
        if args.only not in label:
            continue
        user = User.objects.get(username=username)
        if api:
            client = APIClient()
            client.force_authenticate(user)
        else:
            client = Client()
            client.force_login(user)
        if PREPARED is not None:
            PREPARED.clear()
        cpu = time.process_time()
        response = client.get(url, params)
        cold = (time.process_time() - cpu) * 1000
        assert response.status_code == 200, (label, response.status_code)
        queries: list[str] = []
        count = lambda execute, sql, *rest, seen=queries: seen.append(sql) or execute(sql, *rest)  # noqa: E731
        with connection.execute_wrapper(count):
            client.get(url, params)
        walls = []
        cpu = time.process_time()
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url, params)
            assert response.status_code == 200, (label, response.status_code)
            walls.append((time.perf_counter() - started) * 1000)
        cpu = (time.process_time() - cpu) * 1000 / args.requests
        walls.sort()
        p95 = walls[min(len(walls) - 1, round(len(walls) * 0.95) - 1)]
        print(
            f"| {label} | {cold:.0f} | {cpu:.1f} | {statistics.median(walls):.1f} | {p95:.1f} | {len(queries)} |",
            flush=True,
        )
    print(f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
