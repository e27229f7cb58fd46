"""Load test: Locust, headless, against gunicorn on the demo city.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_load [REDIS_URL=redis://127.0.0.1:6379/N] \\
        .venv/bin/python -m benchmarks.load [--users 50] [--seconds 60] [--workers 2] [--threads 4] [--profile]

Builds the demo city once in the named database (kept for later runs) and a
draft roster for the demo secretary's township. The users sign in as the
demo's own secretary and HR officer (``secretary``, ``hr``: cadres of the
township, owners of its post-following items, so their 我的待办 is the real
one), each Locust user with a session and token of its own; the server's
per-login API throttle is raised for the run (API_USER_THROTTLE_RATE), since
fifty clients share two logins, and it still counts every request. Then
starts gunicorn on 127.0.0.1 with config/gunicorn_conf.py, times each
request of the mix alone (20 in a row), runs ``benchmarks/load/locustfile.py``
with Locust for ``--seconds`` and prints the figures as Markdown tables
(benchmarks/README.md), with the CPU the server's workers and their
PostgreSQL backends spent per request. ``--profile`` adds cProfile's top
functions for ``GET /api/v1/due-items/?mine=1`` in process. Needs Locust
(the ``load`` extra, or ``--locust`` naming another virtualenv's).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import django
import requests

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = 10  # sessions and tokens per account: the browsers and API clients of one person
#: The demo's own township secretary and HR officer, by role (cadrecare.org.demo).
LOGINS = {"secretary": "secretary", "hr": "hr"}
#: The per-login API throttle for the server under test: fifty users share two logins.
THROTTLE_RATE = "100000/min"


def prepare() -> dict[str, str]:
    """The demo city and a draft roster; returns the locustfile's LOAD_* environment."""
    from django.core.management import call_command
    from django.db.models import Q

    from cadrecare.core import clock
    from cadrecare.org.models import Cadre, OrgUnit, RoleGrant
    from cadrecare.rotation.models import Absence, Roster
    from cadrecare.rotation.services import generation_item_run, generation_request

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        call_command("seed_demo")
    town = RoleGrant.objects.get(user__username="secretary", role="secretary").unit
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    roster = Roster.objects.filter(unit=town, month=month, current__isnull=False).first()
    if roster is None:
        run = generation_request(actor=None, unit=town, month=month)
        generation_item_run(item_id=run.items.get().pk)
        roster = Roster.objects.get(unit=town, month=month)
    # Absences are recorded for a colleague of theirs (every demo cadre has a login now).
    cadre = Cadre.objects.filter(unit=town).exclude(user__username__in=("secretary", "hr")).order_by("pk").first()
    # A run stopped between a user's record and withdraw leaves its absence, and the next run's record of
    # that day is refused (400, overlap): remove what earlier runs left (the locustfile's days, 40 on).
    Absence.objects.filter(
        Q(created_by__username=LOGINS["secretary"]) | Q(created_by__username__startswith="load_"),  # and older runs'
        cadre=cadre,
        kind="training",
        start__gte=clock.today() + dt.timedelta(days=40),
    ).delete()
    return {
        "LOAD_CREDENTIALS": json.dumps(credentials()),
        "LOAD_ROSTER": str(roster.pk),
        "LOAD_ROSTER_PAGE": f"/roster/{town.pk}/{month:%Y-%m}/",
        "LOAD_CADRE": str(cadre.pk),
    }


def credentials() -> dict[str, list[dict[str, str]]]:
    """Per role, ACCOUNTS signed-in API tokens and workbench sessions of its
    demo login, made here: a password check costs a second of CPU, and fifty
    users signing in at once measure the hasher instead of the service
    (logins are timed alone)."""
    from django.conf import settings
    from django.test import Client
    from rest_framework_simplejwt.tokens import AccessToken

    from cadrecare.org.models import User

    made: dict[str, list[dict[str, str]]] = {}
    for role, username in LOGINS.items():
        user = User.objects.get(username=username)
        for _ in range(ACCOUNTS):
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            made.setdefault(role, []).append({"token": str(AccessToken.for_user(user)), "session": session})
    return made


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn as the image starts it (config/gunicorn_conf.py), on loopback."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn_conf.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "API_USER_THROTTLE_RATE": THROTTLE_RATE},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code < 500:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.kill()
    sys.exit("gunicorn did not start")


def alone(base: str, load: dict[str, str]) -> list[tuple[str, float, float]]:
    """Each request of the mix by itself on the idle server: 20 in a row after one to warm up."""
    from django.conf import settings

    from cadrecare.org.demo import DEMO_PASSWORD

    secretary = json.loads(load["LOAD_CREDENTIALS"])["secretary"][0]
    api = {"Authorization": f"Bearer {secretary['token']}"}
    page = requests.Session()
    page.cookies.set(settings.SESSION_COOKIE_NAME, secretary["session"])
    login = {"username": LOGINS["secretary"], "password": DEMO_PASSWORD}
    cases = [
        ("API login (token)", lambda: requests.post(f"{base}/api/v1/auth/token/", json=login, timeout=30)),
        ("API due-items?mine=1", lambda: requests.get(f"{base}/api/v1/due-items/?mine=1", headers=api, timeout=30)),
        (
            "API roster grid",
            lambda: requests.get(f"{base}/api/v1/rosters/{load['LOAD_ROSTER']}/grid/", headers=api, timeout=30),
        ),
        ("API notifications", lambda: requests.get(f"{base}/api/v1/notifications/?unread=1", headers=api, timeout=30)),
        ("API cadres", lambda: requests.get(f"{base}/api/v1/cadres/?page_size=20", headers=api, timeout=30)),
        ("page 我的待办", lambda: page.get(f"{base}/", timeout=30)),
        ("page roster month", lambda: page.get(f"{base}{load['LOAD_ROSTER_PAGE']}", timeout=30)),
    ]
    rows = []
    for name, send in cases:
        assert send().status_code == 200, name
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            send()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        rows.append((name, statistics.median(timings), timings[18]))
    return rows


def run_locust(
    base: str, load: dict[str, str], users: int, seconds: int, out: Path, locust: str
) -> list[dict[str, str]]:
    subprocess.run(
        [
            *([locust] if locust else [sys.executable, "-m", "locust"]),
            "-f",
            str(ROOT / "benchmarks/load/locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(out / "load"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, **load},
        check=False,
    )
    with open(out / "load_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User and system CPU seconds each of ``pids`` has used so far (those still running)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return used


def server_pids(server: subprocess.Popen) -> set[int]:
    """gunicorn's workers and the PostgreSQL backends serving this database (not this process's own)."""
    from django.db import connection

    workers = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                workers.add(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = {pid for (pid,) in cursor.fetchall()}
    return workers | backends


def cpu_during(server: subprocess.Popen, run: Callable[[], list[dict[str, str]]]) -> tuple[list[dict[str, str]], float]:
    """``run``'s result and the CPU seconds the server's workers and database backends used meanwhile
    (a backend that closed during the run is missed: persistent connections make that rare)."""
    before = cpu_seconds(server_pids(server))
    rows = run()
    after = cpu_seconds(server_pids(server))
    return rows, sum(used - before.get(pid, 0.0) for pid, used in after.items())


#: Where the workers' CPU goes, by what a sampled stack passes through: the outermost function of
#: the service's own code below the middleware (a view's handler, or ScopedViewSet.initial: the
#: authentication, permission and throttle of every API request), then the costs every request
#: shares. A stack counts once under each label it passes through.
SPY_OWN_CODE = re.compile(r"^(\S+) \((?:.*/)?cadrecare/(?!core/middleware\.py|org/initial_password\.py)")
SPY_SHARED = {
    "building SQL (Django's compiler)": "SQLCompiler.as_sql",
    "sending SQL and reading rows": "CursorWrapper.execute",
    "rendering templates": "SimpleTemplateResponse.render",
    "authentication (token's user, session)": ("InitialPasswordGate.authenticate", "get_user"),
    "permission (the user's grants)": "ResourcePermission.has_permission",
    "throttle (Redis)": "APIView.check_throttles",
    "audit log writes": "audit_log",
    "database health check": "BaseDatabaseWrapper.close_if_health_check_failed",
}


def spy_start(server: subprocess.Popen, py_spy: str, seconds: int, out: Path) -> list[subprocess.Popen]:
    """py-spy sampling each gunicorn worker (on CPU only) for ``seconds``."""
    workers = [pid for pid in server_pids(server) if Path(f"/proc/{pid}/cmdline").read_bytes().find(b"gunicorn") >= 0]
    return [
        subprocess.Popen(
            [
                py_spy,
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(seconds),
                "--rate",
                "50",
                "--format",
                "raw",
                "--nonblocking",
                "-o",
                str(out / f"spy-{pid}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in workers
    ]


def spy_report(out: Path) -> str:
    """The share of the workers' samples by view and by shared cost, as Markdown."""
    views: dict[str, int] = {}
    shared: dict[str, int] = dict.fromkeys(SPY_SHARED, 0)
    total = 0
    for path in out.glob("spy-*.txt"):
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdecimal():
                continue
            raw = stack.split(";")
            frames = [frame.split(" (")[0] for frame in raw]
            total += int(count)
            own = next((match for frame in raw if (match := SPY_OWN_CODE.match(frame))), None)
            view = own.group(1) if own else "(outside the service's code: server, middleware, Django)"
            views[view] = views.get(view, 0) + int(count)
            for label, names in SPY_SHARED.items():
                if any(name in frames for name in ((names,) if isinstance(names, str) else names)):
                    shared[label] += int(count)
    if not total:
        return "py-spy recorded nothing\n"
    lines = [f"py-spy, {total} samples of the workers on CPU\n", "| answered by | share |", "|---|---:|"]
    lines += [f"| {name} | {100 * n / total:.1f}% |" for name, n in sorted(views.items(), key=lambda i: -i[1])[:14]]
    lines += ["", "| of which, in any view | share |", "|---|---:|"]
    lines += [f"| {name} | {100 * n / total:.1f}% |" for name, n in sorted(shared.items(), key=lambda i: -i[1])]
    return "\n".join(lines) + "\n"


def profile_due_items(requests_count: int = 20) -> str:
    from rest_framework.test import APIClient

    from cadrecare.org.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(username=LOGINS["secretary"]))
    client.get("/api/v1/due-items/?mine=1")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests_count):
        client.get("/api/v1/due-items/?mine=1")
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(r"cadrecare|execute_sql|to_representation|throttl|audit", 20)
    stats.sort_stats("tottime").print_stats(12)
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="per worker (1: one request at a time)")
    parser.add_argument("--no-alone", action="store_true", help="skip timing each request alone")
    parser.add_argument("--py-spy", default="", help="a py-spy executable: sample the workers during the run")
    parser.add_argument(
        "--think",
        default="0.5,2",
        help="seconds each user waits between actions, 'least,most' (0.5,2: a working morning; shorter waits "
        "make the same users offer more requests a second, to find what the server sustains)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--locust", default="", help="a Locust executable of another virtualenv (default: this one's, the load extra)"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    load = prepare() | {"LOAD_THINK": args.think}
    base = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn(args.port, args.workers, args.threads)
    try:
        if not args.no_alone:
            print("| request, alone | median ms | p95 ms |\n|---|---|---|")
            for name, median, p95 in alone(base, load):
                print(f"| {name} | {median:.0f} | {p95:.0f} |")
        else:  # one request each, so every worker has imported the whole API before the clock starts
            for _ in range(args.workers * 2):
                requests.get(f"{base}/api/v1/due-items/?mine=1", timeout=60)
        with tempfile.TemporaryDirectory() as out:
            spies = spy_start(server, args.py_spy, args.seconds - 5, Path(out)) if args.py_spy else []
            rows, cpu = cpu_during(
                server, lambda: run_locust(base, load, args.users, args.seconds, Path(out), args.locust)
            )
            for spy in spies:
                spy.wait(timeout=60)
            spied = spy_report(Path(out)) if spies else ""
    finally:
        server.terminate()
        server.wait()
    print(
        f"\n{args.users} users waiting {args.think.replace(',', '–')} s between actions, {args.seconds} s, "
        f"gunicorn --workers {args.workers} --threads {args.threads}, "
        f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}\n"
    )
    total = next((int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated"), 0)
    if total:
        per_request = cpu / total * 1000
        print(
            f"CPU of gunicorn's workers and their PostgreSQL backends: {cpu:.1f} s for {total} requests, "
            f"{per_request:.0f} ms a request; on {os.cpu_count()} idle cores that is at most "
            f"{os.cpu_count() * 1000 / per_request:.0f} requests a second (an estimate: Locust, Redis and "
            "the contention of a shared machine left out)\n"
        )
    print("| request | count | failures | median ms | p95 ms | req/s |\n|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['Name'] if row['Name'] != 'Aggregated' else '**all**'} | {row['Request Count']} | "
            f"{row['Failure Count']} | {row['Median Response Time']} | {row['95%']} | "
            f"{float(row['Requests/s']):.1f} |"
        )
    if spied:
        print(f"\n{spied}")
    if args.profile:
        print(profile_due_items())


if __name__ == "__main__":
    main()
