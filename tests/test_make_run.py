"""`make run`'s embedded path, the one every newcomer takes first: with no
database and no Redis named, `manage.py runall` starts on SQLite and kombu's
filesystem broker under its var folder, loads a small demo city, and its own
worker solves a roster, publishes it and scans the reminders, all answered
through the API as a client sees them.

The service runs as a separate process tree on a free port with a var folder
of its own, so nothing here touches the suite's PostgreSQL or Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from dateutil.relativedelta import relativedelta

from cadrecare.core import clock
from cadrecare.org.demo import DEMO_PASSWORD

REPO = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 600  # migrations, the demo city and the static files compressed, on a busy 2-core machine
JOB_SECONDS = 180

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _until(what: str, seconds: float, probe: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(1)
    pytest.fail(f"{what}: not within {seconds} s")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """`runall` with the embedded defaults (the environment names no server):
    its address, and the environment that reaches the same var folder."""
    var = tmp_path_factory.mktemp("var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_TEST_NAME"}
    }
    env["CADRECARE_VAR_DIR"] = str(var)
    port = _free_port()
    log_path = var / "runall.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runall", "--addr", f"127.0.0.1:{port}", "--demo-townships", "3"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            if process.poll() is not None:
                pytest.fail(f"runall exited: {log_path.read_text()[-3000:]}")
            try:
                return requests.get(f"{base}/healthz", timeout=5).status_code == 200
            except requests.ConnectionError:
                return False

        try:
            _until("the service answering /healthz", STARTUP_SECONDS, healthy)
            yield base, env
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _client(base: str, username: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(
        f"{base}/api/v1/auth/token/", json={"username": username, "password": DEMO_PASSWORD}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    session.headers["Authorization"] = f"Bearer {answer.json()['access']}"
    return session


def _results(answer: requests.Response) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()["results"]
    return rows


def test_a_newcomers_first_run_plans_publishes_and_reminds(embedded: tuple[str, dict[str, str]]) -> None:
    base, env = embedded

    # the service says it runs on SQLite and the filesystem broker, and is healthy
    health = requests.get(f"{base}/healthz", timeout=30).json()
    assert health["status"] == "ok" and health["database"] == health["broker"] == "ok"

    # when the demo secretary asks for next month's roster, the service's own worker solves it
    secretary = _client(base, "secretary")
    township = secretary.get(f"{base}/api/v1/me/", timeout=30).json()["grants"][0]["unit"]
    month = (clock.today() + relativedelta(months=1)).strftime("%Y-%m")
    asked = secretary.post(f"{base}/api/v1/generation-runs/", json={"unit": township, "month": month}, timeout=30)
    assert asked.status_code == 201, asked.text
    run_id = asked.json()["id"]

    def finished() -> dict[str, Any] | None:
        run: dict[str, Any] = secretary.get(f"{base}/api/v1/generation-runs/{run_id}/", timeout=30).json()
        return run if run["status"] != "queued" else None

    run = _until("the generation run finished by the worker", JOB_SECONDS, finished)
    assert run["status"] == "solved", run

    # and the secretary publishes it: the demo cadre is told their rest days
    roster = _results(secretary.get(f"{base}/api/v1/rosters/", params={"unit": township, "month": month}, timeout=30))[
        0
    ]
    published = secretary.post(
        f"{base}/api/v1/rosters/{roster['id']}/publish/", json={"confirm_provisional": True}, timeout=60
    )
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    told = _results(_client(base, "cadre").get(f"{base}/api/v1/notifications/", timeout=30))
    assert [notice["kind"] for notice in told] == ["roster_published"]

    # when the hourly reminders scan is sent twice through the filesystem broker
    admin = _client(base, "city_admin")
    before = {row["id"] for row in _scans(admin, base)}
    for _ in range(2):
        sent = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "config", "call", "scheduler.tasks.reminders.reminders_scan_task"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert sent.returncode == 0, sent.stderr

    def two_scans() -> list[dict[str, Any]] | None:
        runs = [row for row in _scans(admin, base) if row["id"] not in before and row["status"] != "running"]
        return runs if len(runs) >= 2 else None

    # then the worker runs both, the second finding nothing new to remind
    first, second = sorted(
        _until("two reminders scans run by the worker", JOB_SECONDS, two_scans), key=lambda row: row["id"]
    )[:2]
    assert first["status"] == second["status"] == "succeeded", (first, second)
    assert first["scanned"] > 0 and second["created"] == 0
    # and the secretary is shown what is due, in the API and on the workbench
    due = _results(secretary.get(f"{base}/api/v1/due-items/", timeout=30))
    assert due
    workbench = _signed_in(base, "secretary")
    home = workbench.get(f"{base}/", timeout=30)
    assert home.status_code == 200 and any(row["title"] in home.text for row in due)


def _signed_in(base: str, username: str) -> requests.Session:
    """A browser's session: the login form, with its CSRF token, then the workbench's cookie."""
    session = requests.Session()
    session.get(f"{base}/login/", timeout=30)
    answer = session.post(
        f"{base}/login/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/login/"},
        timeout=30,
    )
    assert answer.status_code == 200 and "/login/" not in answer.url, answer.text[:500]
    return session


def _scans(session: requests.Session, base: str) -> list[dict[str, Any]]:
    return [
        row for row in _results(session.get(f"{base}/api/v1/job-runs/", timeout=30)) if row["name"] == "reminders_scan"
    ]
