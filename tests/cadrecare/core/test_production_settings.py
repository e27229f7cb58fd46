"""The production settings (config.settings.production) start only with their
own secrets, pass Django's deploy check with no warning, and the compose
health check passes against them."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import requests
import yaml
from django.test import override_settings
from rest_framework.test import APIClient

from cadrecare.org.demo import DEMO_PASSWORD
from cadrecare.org.models import User
from config.env import BASE_DIR
from tests.processes import ROOT, database_url, free_port, kill, service_env, start_gunicorn

SECRET = "k7#Vq2!xR9@mL4$zT8^nB1&wC6*yH3(pJ5)dF0-gS2+eA7=uN9"
HOST = "cadrecare.example.gov.cn"


def production_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a production process on the test database; ``None`` unsets a variable."""
    env = service_env(
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS=HOST
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-dev-only-key-published-in-the-repository-0123456789"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": "short-key"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:////tmp/cadrecare.sqlite3"}, "DATABASE_URL"),
    ],
    ids=["no-key", "published-key", "short-key", "no-hosts", "any-host", "no-database", "sqlite"],
)
def test_production_refuses_to_start_without_its_secrets(
    db: None, overrides: dict[str, str | None], named: str
) -> None:
    # given the production settings with one requirement missing
    env = production_env(**overrides)

    # when any command starts
    result = manage("check", env=env)

    # then it stops, naming what is missing
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr


def test_the_deploy_check_passes_with_no_warning(db: None) -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_base_settings_fail_the_deploy_check_on_the_published_key(db: None) -> None:
    env = service_env(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=database_url())
    env.pop("DJANGO_SECRET_KEY", None)

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_the_compose_health_check_passes_against_production_settings(db: None) -> None:
    # given the API under gunicorn with the production settings (HTTPS redirect, host check)
    port = free_port()
    check = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]["api"]["healthcheck"]["test"]
    assert check[0] == "CMD"
    command = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in check[1:]]
    command[0] = sys.executable if command[0] == "python" else command[0]
    server = _start_production_gunicorn(port)
    try:
        # when the compose health check runs inside the container
        result = subprocess.run(command, env=production_env(), capture_output=True, text=True, timeout=30)

        # then it passes, and other plain HTTP requests are sent to HTTPS
        assert result.returncode == 0, result.stderr
        redirect = requests.get(
            f"http://127.0.0.1:{port}/api/v1/me/", headers={"Host": HOST}, allow_redirects=False, timeout=5
        )
        assert redirect.status_code == 301 and redirect.headers["Location"].startswith("https://")
    finally:
        kill(server)


def _start_production_gunicorn(port: int) -> subprocess.Popen:
    env = production_env()
    # start_gunicorn waits on /healthz without a Host header: answered 400 (< 500), which is enough to know it runs.
    return start_gunicorn(port=port, env=env, workers=1)


def test_responses_carry_a_content_security_policy_and_are_not_stored(cast: Any, client_for: Any) -> None:
    response = client_for("hr_a1").get(f"/api/v1/cadres/{cast.cadre_a1.pk}/")

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_the_demo_password_opens_nothing_under_production_settings(db: None) -> None:
    # given the demo's superuser with its published password
    User.objects.create_superuser("admin", password=DEMO_PASSWORD)
    credentials = {"username": "admin", "password": DEMO_PASSWORD}

    # when it tries the token endpoint and the admin's login with the demo logins off (production)
    with override_settings(DEMO_LOGINS=False):
        token = APIClient().post("/api/v1/auth/token/", credentials, format="json")
        admin = APIClient().post("/admin/login/?next=/admin/", credentials)

    # then neither lets it in, where the demo (`make run`) does
    assert token.status_code == 401
    assert admin.status_code == 200  # the form again, not the redirect of a signed-in admin
    assert APIClient().post("/api/v1/auth/token/", credentials, format="json").status_code == 200
