"""Load test: Locust, headless, against gunicorn on the demo city.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cadrecare_load [REDIS_URL=redis://127.0.0.1:6379/N] \\
        .venv/bin/python -m benchmarks.load [--users 50] [--seconds 60] [--workers 2] [--profile]

Builds the demo city once in the named database (kept for later runs): the
demo data, load accounts (copies of the demo secretary and HR officer, so no
account meets the API's per-user throttle a real person never would), a
draft roster for the secretaries' township. Then starts gunicorn on
127.0.0.1, times each request of the mix alone (20 in a row), runs
``benchmarks/load/locustfile.py`` with Locust for ``--seconds`` and prints
the figures as Markdown tables (benchmarks/README.md). ``--profile`` adds
cProfile's top functions for ``GET /api/v1/due-items/?mine=1`` in process.
Needs the ``load`` extra (``pip install -e '.[load]'``).
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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django
import requests

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = 10


def prepare() -> dict[str, str]:
    """The demo city, the load accounts and a draft roster; returns the
    locustfile's LOAD_* environment."""
    from django.core.management import call_command

    from cadrecare.core import clock
    from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User
    from cadrecare.rotation.models import Roster
    from cadrecare.rotation.services import generation_item_run, generation_request

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        call_command("seed_demo")
    for role in ("secretary", "hr"):
        model = User.objects.get(username=role)
        grants = list(RoleGrant.objects.filter(user=model))
        for number in range(ACCOUNTS):
            user, made = User.objects.get_or_create(
                username=f"load_{role}_{number:02d}", defaults={"password": model.password}
            )
            if made:
                RoleGrant.objects.bulk_create([RoleGrant(user=user, role=g.role, unit=g.unit) for g in grants])
    town = RoleGrant.objects.get(user__username="secretary", role="secretary").unit
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    roster = Roster.objects.filter(unit=town, month=month, current__isnull=False).first()
    if roster is None:
        run = generation_request(actor=None, unit=town, month=month)
        generation_item_run(item_id=run.items.get().pk)
        roster = Roster.objects.get(unit=town, month=month)
    # Absences are recorded for a colleague of theirs (every demo cadre has a login now).
    cadre = Cadre.objects.filter(unit=town).exclude(user__username__in=("secretary", "hr")).order_by("pk").first()
    return {
        "LOAD_CREDENTIALS": json.dumps(credentials()),
        "LOAD_ROSTER": str(roster.pk),
        "LOAD_ROSTER_PAGE": f"/roster/{town.pk}/{month:%Y-%m}/",
        "LOAD_CADRE": str(cadre.pk),
    }


def credentials() -> dict[str, list[dict[str, str]]]:
    """A signed-in API token and workbench session per load account, made
    here: a password check costs a second of CPU, and fifty users signing in
    at once measure the hasher instead of the service (logins are timed alone)."""
    from django.conf import settings
    from django.test import Client
    from rest_framework_simplejwt.tokens import AccessToken

    from cadrecare.org.models import User

    made: dict[str, list[dict[str, str]]] = {}
    for user in User.objects.filter(username__startswith="load_").order_by("username"):
        client = Client()
        client.force_login(user)
        made.setdefault(user.username.split("_")[1], []).append(
            {"token": str(AccessToken.for_user(user)), "session": client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    return made


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
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
    login = {"username": "load_secretary_00", "password": DEMO_PASSWORD}
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


def profile_due_items(requests_count: int = 20) -> str:
    from rest_framework.test import APIClient

    from cadrecare.org.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(username="load_secretary_00"))
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
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--locust", default="", help="a Locust executable of another virtualenv (default: this one's, the load extra)"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    load = prepare()
    base = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn(args.port, args.workers)
    try:
        print("| request, alone | median ms | p95 ms |\n|---|---|---|")
        for name, median, p95 in alone(base, load):
            print(f"| {name} | {median:.0f} | {p95:.0f} |")
        with tempfile.TemporaryDirectory() as out:
            rows = run_locust(base, load, args.users, args.seconds, Path(out), args.locust)
    finally:
        server.terminate()
        server.wait()
    print(
        f"\n{args.users} users, {args.seconds} s, gunicorn --workers {args.workers}, load average "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())}\n"
    )
    print("| request | count | failures | median ms | p95 ms | req/s |\n|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['Name'] if row['Name'] != 'Aggregated' else '**all**'} | {row['Request Count']} | "
            f"{row['Failure Count']} | {row['Median Response Time']} | {row['95%']} | "
            f"{float(row['Requests/s']):.1f} |"
        )
    if args.profile:
        print(profile_due_items())


if __name__ == "__main__":
    main()
