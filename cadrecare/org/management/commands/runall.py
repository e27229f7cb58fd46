"""`make run`: the whole service in one command on one machine.

Migrates, loads the demo data once, collects the static files (whitenoise
serves them, as in production), then supervises the workbench and API (Django's server
on 127.0.0.1:8000) and a Celery worker for each queue (dispatch, with the
embedded beat; sends; solve). With no
REDIS_URL the broker is kombu's filesystem transport under var/ — correctness
never rests on the broker: every job re-reads its due rows from the database.
Ctrl-C (or SIGTERM) stops them all; if one dies, the others are stopped too.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from cadrecare.org.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Start API, a Celery worker per queue and beat with demo data (the embedded default of `make run`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--demo-townships",
            type=int,
            default=65,
            help="townships of the demo city loaded on first start (default: the whole city)",
        )

    def handle(self, *args: Any, addr: str, demo_townships: int, **options: Any) -> None:
        var_dir = settings.VAR_DIR
        var_dir.mkdir(exist_ok=True)
        (var_dir / "broker").mkdir(exist_ok=True)
        beat_schedule = var_dir / "celerybeat-schedule"
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", if_empty=True, townships=demo_townships)
        call_command("collectstatic", interactive=False, verbosity=0)
        celery = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--loglevel=INFO"]
        children = [
            subprocess.Popen([sys.executable, "manage.py", "runserver", addr, "--noreload"]),
            # One worker per queue, so a send backlog never delays a solve or the
            # dispatcher; beat rides with the dispatch worker (exactly one beat).
            subprocess.Popen(
                [*celery, "-n", "dispatch@%h", "-Q", settings.QUEUE_DISPATCH, "-B", "-s", str(beat_schedule)]
            ),
            subprocess.Popen([*celery, "-n", "sends@%h", "-Q", settings.QUEUE_SENDS]),
            subprocess.Popen([*celery, "-n", "solve@%h", "-Q", settings.QUEUE_SOLVE]),
        ]
        self._banner(addr)
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if not stopping:
            sys.exit("a child process exited; everything was stopped")

    def _banner(self, addr: str) -> None:
        base = f"http://{addr}"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        lines = [
            "",
            "cadrecare is running",
            f"  workbench: {base}/   (sign in as secretary, hr, cadre, county_staff or city_admin)",
            f"  API root : {base}/api/v1/",
            f"  API docs : {base}/api/docs/",
            f"  admin    : {base}/admin/   (admin / {DEMO_PASSWORD}, or any demo login but the cadre's)",
            f"  health   : {base}/healthz",
            f"  database : {database}; broker: {settings.CELERY_BROKER_URL.split('://')[0]}",
            f"  demo logins (password {DEMO_PASSWORD}):",
            *(f"    {login.username:<13} {login.role} · {login.unit}" for login in demo_logins()),
            "  Ctrl-C stops everything.",
            "",
        ]
        self.stdout.write("\n".join(lines))
