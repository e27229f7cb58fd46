"""What every request pays, in process: CPU ms and queries per request of the
load mix's cheaper requests, through the whole middleware stack and the real
authentication (a bearer token for the API, a session cookie for the pages),
on the demo city that ``python -m benchmarks.load`` built.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_load REDIS_URL=redis://127.0.0.1:6379/N \\
        .venv/bin/python -m benchmarks.load.overhead [--requests 30] [--profile NAME]

CPU time (``time.process_time``) is what a request costs whatever else the
machine runs; wall time here is only a hint. ``--profile NAME`` prints
cProfile's top functions for one of the requests (by its name below).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import time
from collections.abc import Callable

import django


def cases() -> dict[str, Callable[[], int]]:
    from django.conf import settings
    from django.test import Client

    from benchmarks.load.__main__ import prepare

    load = prepare()
    secretary = json.loads(load["LOAD_CREDENTIALS"])["secretary"][0]
    hr = json.loads(load["LOAD_CREDENTIALS"])["hr"][0]
    # As in the locustfile, the API's clients also carry the workbench's session cookie.
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secretary['token']}")
    api_hr = Client(HTTP_AUTHORIZATION=f"Bearer {hr['token']}")
    page = Client()
    for client, account in ((api, secretary), (api_hr, hr), (page, secretary)):
        client.cookies[settings.SESSION_COOKIE_NAME] = account["session"]
    cadre = int(load["LOAD_CADRE"])

    def absence() -> int:
        created = api.post(
            "/api/v1/absences/",
            {"cadre": cadre, "kind": "training", "start": "2030-01-07", "end": "2030-01-07"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        return api.delete(f"/api/v1/absences/{created.json()['id']}/").status_code

    return {
        "API notifications (unread)": lambda: api.get("/api/v1/notifications/?unread=1").status_code,
        "API cadres (page of 20)": lambda: api.get("/api/v1/cadres/?page_size=20").status_code,
        "API checkup-due": lambda: api_hr.get("/api/v1/checkup-due/").status_code,
        "API absence create + delete": absence,
        "API notifications read-all": lambda: api.post("/api/v1/notifications/read-all/").status_code,
        "page roster month": lambda: page.get(load["LOAD_ROSTER_PAGE"]).status_code,
    }


def measure(send: Callable[[], int], count: int) -> tuple[float, float, float]:
    """Median CPU ms, median wall ms and queries per request over ``count`` requests after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert send() < 300
    cpu, wall = [], []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(count):
            started, started_cpu = time.perf_counter(), time.process_time()
            status = send()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            assert status < 300, status
    return statistics.median(cpu), statistics.median(wall), len(queries) / count


def profile(send: Callable[[], int], count: int) -> str:
    send()
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits on a shared machine
    profiler.enable()
    for _ in range(count):
        send()
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(15)
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", default="", help="the name of one request to profile")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    requests = cases()
    if args.profile:
        print(profile(requests[args.profile], args.requests))
        return
    print(f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}\n")
    print("| request, in process | CPU ms | wall ms | queries |\n|---|---:|---:|---:|")
    for name, send in requests.items():
        cpu, wall, queries = measure(send, args.requests)
        print(f"| {name} | {cpu:.1f} | {wall:.1f} | {queries:.1f} |")


if __name__ == "__main__":
    main()
