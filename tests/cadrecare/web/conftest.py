"""Fixtures for the workbench's tests: the demo data, signed-in test clients
and a Celery worker that solves rosters. The real browser is in tests/browser.py."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.org.rules import citizen_id_compose
from cadrecare.org.spreadsheets import write_rows
from cadrecare.reminders.services import reminders_scan
from config.celery import app
from tests.processes import service_env, start_celery_worker, stop_gracefully

DEMO_ROLES = ["city_admin", "county_staff", "secretary", "hr", "cadre"]


def demo_township_cadre() -> Cadre:
    """A serving cadre of the demo logins' township who is none of the demo readers
    (a reader's own record reads differently; every demo cadre has a login)."""
    township = Cadre.objects.get(user__username="secretary").unit_id
    cadres = Cadre.objects.filter(unit_id=township, status="serving").exclude(user__username__in=DEMO_ROLES)
    return cadres.order_by("pk").first()


def demo_township() -> OrgUnit:
    """The demo logins' township (the secretary's), where the demo HR officer imports cadres."""
    return Cadre.objects.get(user__username="secretary").unit


def roster_row(
    name: str,
    *,
    birth: dt.date = dt.date(1990, 5, 4),
    sequence: int = 17,
    unit: str | None = None,
    id_number: str | None = None,
) -> list[str]:
    """A valid row of the 干部名册 import for a cadre of ``unit`` (a unit's code;
    the demo township's by default), but for what the arguments change."""
    code = unit or demo_township().code
    number = id_number or citizen_id_compose("530721", birth, sequence, "male")
    # the columns of org.spreadsheets.CADRE_COLUMNS, in order
    return [
        name,
        "男",
        "汉族",
        birth.isoformat(),
        number,
        "13912345678",
        "科员",
        "农业服务中心干事",
        "非班子成员",
        "",
        code,
        code,
        "2018-08-01",
        "2018-08-01",
        "在职",
    ]


def roster_csv(*rows: list[str]) -> bytes:
    """The 干部名册 file (CSV) of ``rows``."""
    return write_rows(rows, as_csv=True, title="干部名册")


# -- data -------------------------------------------------------------------------------------------
def seed_demo_data() -> None:
    """The demo city cut to three townships (the demo logins' township among
    them), with the day's reminders scanned so everyone has notices."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", townships=3, stdout=quiet)
    reminders_scan()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo data for one test (seed_demo ends with VACUUM, so the test is transactional)."""
    seed_demo_data()


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data once for a module whose tests only read it or roll back
    (each uses ``db``); flushed after the module, as a transactional test is."""
    with django_db_blocker.unblock():
        seed_demo_data()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def signed_in() -> Callable[[str], Client]:
    """A test client with a session signed in as the named user."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture(scope="module")
def roster_worker(django_db_setup: None, django_db_blocker: Any) -> Iterator[subprocess.Popen]:
    """A real Celery worker on the test database and our Redis: it solves
    the rosters the pages ask to generate, as in production."""
    with django_db_blocker.unblock():
        env = service_env(ROTATION_SOLVE_SECONDS="5")
    app.control.purge()
    process = start_celery_worker(env=env)
    try:
        yield process
    finally:
        stop_gracefully(process)
