"""What every request pays, and how the API is served: an API request does
not read the workbench's session, and gunicorn runs threaded workers (the
image, docker-compose and the load benchmark use one configuration)."""

from __future__ import annotations

import runpy
import subprocess
import sys
from typing import Any

import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework_simplejwt.tokens import AccessToken

from config.env import BASE_DIR
from tests.cadrecare.core.test_production_settings import production_env


def test_an_api_request_with_a_session_cookie_does_not_read_the_session(cast: Any) -> None:
    # given a browser signed in to the workbench that also holds an API token (both cookies and the header)
    user = cast.user("secretary_a1")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    client.force_login(user)

    # when it asks the API
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/notifications/?unread=1")

    # then the token authenticates it, and neither the session nor a second copy of the user is read
    assert response.status_code == 200
    assert not [query for query in queries if "django_session" in query["sql"]]
    assert len([query for query in queries if 'FROM "org_user"' in query["sql"]]) == 1


def test_a_page_still_sends_a_login_with_its_initial_password_to_the_change(cast: Any) -> None:
    # given a login that still holds its initial password, signed in to the workbench
    user = cast.user("secretary_a1")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client = Client()
    client.force_login(user)

    # when it opens a page, then it is sent to the password change; the API answers for itself (403)
    assert client.get("/").url == "/password/"
    api = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    assert api.get("/api/v1/notifications/").status_code == 403


def test_gunicorn_runs_threaded_workers_from_one_configuration() -> None:
    # given the one gunicorn configuration
    config = runpy.run_path(str(BASE_DIR / "config/gunicorn_conf.py"))

    # then its workers are threaded (requests overlap their waits on PostgreSQL), with keep-alive
    assert config["worker_class"] == "gthread" and config["threads"] > 1
    assert config["workers"] >= 1 and config["keepalive"] > 0 and config["timeout"] == 60

    # and the image and docker-compose start gunicorn with it
    command = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]["api"]["command"]
    assert command[:3] == ["gunicorn", "-c", "config/gunicorn_conf.py"]
    assert '"-c", "config/gunicorn_conf.py"' in (BASE_DIR / "Dockerfile").read_text()


def test_production_keeps_its_database_connections_and_checks_them_before_reuse(db: None) -> None:
    # given the production settings (the image's) with no override (the test processes turn persistence off)
    show = "from django.conf import settings; d = settings.DATABASES['default']; "
    show += "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        env={**production_env(DATABASE_CONN_MAX_AGE=None), "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=BASE_DIR,
    )

    # then a connection serves many requests (no connect per request) and is checked before it is reused
    assert result.returncode == 0, result.stderr
    max_age, health_checks = result.stdout.split()
    assert int(max_age) >= 60 and health_checks == "True"
