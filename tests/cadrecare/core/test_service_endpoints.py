"""Health, login throttling and the one error shape."""

from __future__ import annotations

from typing import Any

import yaml
from django.conf import settings
from rest_framework.test import APIClient

from config.env import BASE_DIR
from config.settings.celery import QUEUES

TOKEN_URL = "/api/v1/auth/token/"


def test_healthz_reports_database_broker_and_cache(db: None) -> None:
    response = APIClient().get("/healthz")

    assert response.status_code == 200
    assert response.json() | {"cache_fallbacks": 0} == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
        "cache_fallbacks": 0,
    }


def test_a_jwt_login_gives_tokens_that_open_the_api(cast: Any) -> None:
    client = APIClient()
    tokens = client.post(TOKEN_URL, {"username": "hr_a1", "password": "pass-word-123"}, format="json").json()

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    assert client.get("/api/v1/me/").json()["username"] == "hr_a1"


def test_repeated_failed_logins_make_the_account_wait(cast: Any) -> None:
    client = APIClient()
    for _ in range(5):
        assert client.post(TOKEN_URL, {"username": "hr_a1", "password": "wrong"}, format="json").status_code == 401

    waiting = client.post(TOKEN_URL, {"username": "hr_a1", "password": "pass-word-123"}, format="json")

    assert waiting.status_code == 429
    assert "access" not in waiting.json()


def test_the_token_endpoint_is_throttled(cast: Any) -> None:
    client = APIClient()
    responses = [client.post(TOKEN_URL, {"username": f"nobody{i}", "password": "x"}, format="json") for i in range(12)]

    assert [response.status_code for response in responses[-2:]] == [429, 429]
    assert responses[-1].json()["code"] == "throttled"


def test_anonymous_requests_get_401_in_the_error_shape(db: None) -> None:
    response = APIClient().get("/api/v1/cadres/")

    assert response.status_code == 401
    assert set(response.json()) == {"message", "code", "errors"}


def test_settings_keep_time_and_language_chinese() -> None:
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_compose_runs_one_beat_and_scalable_workers() -> None:
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]

    assert {"postgres", "redis", "api", "worker", "beat"} <= set(services)
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "container_name" not in services["worker"]
    assert all("healthcheck" in services[name] for name in ("postgres", "redis", "api"))


def test_every_queue_has_workers_of_its_own_in_compose_and_make_run() -> None:
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    runall = (BASE_DIR / "cadrecare/org/management/commands/runall.py").read_text()

    consumed = {}
    for name, service in compose.items():
        command = service.get("command", [])
        if "worker" in command:
            consumed[name] = command[command.index("-Q") + 1]
    assert sorted(consumed.values()) == sorted(QUEUES)  # one service per queue, each scaled on its own
    assert all(f'"-Q", settings.QUEUE_{queue.upper()}' in runall for queue in QUEUES)
