"""What each request of the load mix costs, in process: CPU ms (Django's and
its PostgreSQL backend's) and queries per request, through the whole
middleware stack and the real authentication (a bearer token for the API, a
session cookie for the pages), on the demo city that ``python -m
benchmarks.load`` built; then the mix's CPU per request, weighted as the
locustfile sends them, and the throughput that allows on idle cores.

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
    page, page_hr = Client(), Client()
    for client, account in ((api, secretary), (api_hr, hr), (page, secretary), (page_hr, hr)):
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
        "API roster grid": lambda: api.get(f"/api/v1/rosters/{load['LOAD_ROSTER']}/grid/").status_code,
        "API due-items?mine=1": lambda: api.get("/api/v1/due-items/?mine=1").status_code,
        "API due-items?mine=1 (HR)": lambda: api_hr.get("/api/v1/due-items/?mine=1").status_code,
        "page 我的待办": lambda: page.get("/").status_code,
        "page 我的待办 (HR)": lambda: page_hr.get("/").status_code,
    }


#: How often each request comes in the locustfile's mix: users' weight (secretaries 3, HR 1) times the
#: task's weight over its class's total (17 and 8), and the requests the task sends.
MIX = {
    "API due-items?mine=1": (3 * 4 / 17, 1),
    "page 我的待办": (3 * 3 / 17, 1),
    "API roster grid": (3 * 3 / 17, 1),
    "page roster month": (3 * 1 / 17, 1),
    "API notifications (unread)": (3 * 2 / 17, 1),
    "API cadres (page of 20)": (3 * 2 / 17 + 1 * 1 / 8, 1),
    "API absence create + delete": (3 * 1 / 17, 2),
    "API notifications read-all": (3 * 1 / 17, 1),
    "API due-items?mine=1 (HR)": (1 * 3 / 8, 1),
    "API checkup-due": (1 * 2 / 8, 1),
    "page 我的待办 (HR)": (1 * 2 / 8, 1),
}


def backend_cpu() -> float:
    """CPU seconds this process's PostgreSQL backend has used (it runs on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(send: Callable[[], int], count: int) -> tuple[float, float, float, float]:
    """Median CPU ms of this process, mean CPU ms of its PostgreSQL backend, median wall ms and
    queries per request over ``count`` requests after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert send() < 300
    cpu, wall = [], []
    database = backend_cpu()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(count):
            started, started_cpu = time.perf_counter(), time.process_time()
            status = send()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            assert status < 300, status
    database = (backend_cpu() - database) * 1000 / count
    return statistics.median(cpu), database, statistics.median(wall), len(queries) / count


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
    print("| request, in process | CPU ms | PostgreSQL CPU ms | wall ms | queries |\n|---|---:|---:|---:|---:|")
    weighted = sent = 0.0
    for name, send in requests.items():
        cpu, database, wall, queries = measure(send, args.requests)
        print(f"| {name} | {cpu:.1f} | {database:.1f} | {wall:.1f} | {queries:.1f} |")
        share, per_task = MIX[name]
        weighted, sent = weighted + share * (cpu + database), sent + share * per_task
    per_request = weighted / sent
    print(
        f"\nThe locustfile's mix: {per_request:.0f} ms of CPU a request (Django and PostgreSQL); on "
        f"{os.cpu_count()} idle cores at most {os.cpu_count() * 1000 / per_request:.0f} requests a second "
        "(an estimate: Redis, the HTTP server and contention left out)"
    )


if __name__ == "__main__":
    main()
