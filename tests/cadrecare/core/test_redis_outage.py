"""Redis is an accelerator, not a dependency: with the
API's Redis killed, reads, logins and writes still answer; throttles, login
lock-outs and the cache fall back to the process's memory, /healthz says the
service is degraded, and what a write leaves for the workers waits in the
database (the outbox) until the broker is back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from cadrecare.core import clock
from cadrecare.rotation.choices import RunStatus
from cadrecare.rotation.models import Absence, GenerationItem
from tests.processes import RedisServer, free_port, kill, service_env, start_gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-word-123"


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.kill()


@pytest.fixture
def api(cast: Any, own_redis: RedisServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """The API under gunicorn (two workers unless the test asks otherwise)
    whose cache, throttles, lock-outs and broker are all ``own_redis``."""
    port = free_port()
    workers = getattr(request, "param", 2)
    process = start_gunicorn(port=port, env=service_env(REDIS_URL=own_redis.url()), workers=workers)
    yield f"http://127.0.0.1:{port}"
    kill(process)


def login(api: str, username: str, password: str = PASSWORD) -> requests.Response:
    return requests.post(f"{api}/api/v1/auth/token/", json={"username": username, "password": password}, timeout=30)


def as_user(api: str, username: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {login(api, username).json()['access']}"
    return session


def test_with_its_redis_killed_the_api_still_reads_logs_in_and_writes(
    cast: Any, api: str, own_redis: RedisServer
) -> None:
    # given a secretary logged in to the API while its Redis runs
    secretary = as_user(api, "secretary_a1")
    assert requests.get(f"{api}/healthz", timeout=30).json()["status"] == "ok"

    # when that Redis is killed
    own_redis.kill()

    # then reads answer
    codes: dict[str, int] = {}
    for path in ("/api/v1/me/", "/api/v1/cadres/", "/api/v1/due-items/?mine=1", "/api/v1/notifications/"):
        codes[f"GET {path}"] = secretary.get(f"{api}{path}", timeout=30).status_code
    # and logins: the right password gets tokens, a wrong one is refused and counted
    codes["login"] = login(api, "hr_a1").status_code
    codes["wrong password"] = login(api, "hr_a1", "wrong").status_code
    # and writes: an absence, and a roster generation (work for the workers, left in the outbox)
    start = clock.today() + dt.timedelta(days=3)
    codes["POST absence"] = secretary.post(
        f"{api}/api/v1/absences/",
        timeout=30,
        json={"cadre": cast.cadre_a1.pk, "kind": "leave", "start": start.isoformat(), "end": start.isoformat()},
    ).status_code
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    codes["POST generation-run"] = secretary.post(
        f"{api}/api/v1/generation-runs/", timeout=30, json={"unit": cast.town_a1.pk, "month": month}
    ).status_code
    assert codes == {
        "GET /api/v1/me/": 200,
        "GET /api/v1/cadres/": 200,
        "GET /api/v1/due-items/?mine=1": 200,
        "GET /api/v1/notifications/": 200,
        "login": 200,
        "wrong password": 401,
        "POST absence": 201,
        "POST generation-run": 201,
    }
    assert Absence.objects.filter(cadre=cast.cadre_a1, start=start).count() == 1
    assert GenerationItem.objects.filter(unit=cast.town_a1, status=RunStatus.QUEUED).count() == 1

    # and /healthz answers 200 but says degraded: the broker is down, the cache fell back to memory
    health = requests.get(f"{api}/healthz", timeout=30)
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["database"] == "ok" and health.json()["broker"] == "unavailable"
    assert health.json()["cache"] == "fallback"

    # when Redis comes back (empty)
    own_redis.start()

    # then /healthz is ok again
    assert requests.get(f"{api}/healthz", timeout=30).json()["status"] == "ok"


@pytest.mark.parametrize("api", [1], indirect=True)
def test_login_lock_out_still_holds_while_redis_is_down(cast: Any, api: str, own_redis: RedisServer) -> None:
    # given the API (one process: each keeps its own count while Redis is down) with its Redis killed
    own_redis.kill()

    # when a username gets five wrong passwords
    codes = [login(api, "hr_a1", "wrong").status_code for _ in range(5)]

    # then they are refused, and so is the right password afterwards: the account waits
    assert codes == [401] * 5
    waiting = login(api, "hr_a1")
    assert waiting.status_code == 429 and "access" not in waiting.json()
