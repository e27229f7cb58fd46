"""What the benchmarks on province-size data share: Django on the database
named by DATABASE_URL, migrated, with the demo province loaded once (kept
for later runs), and one request timed the same way in each."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import django


def setup_province(townships: int) -> None:
    """Django set up, the schema migrated and ``seed_demo --townships`` loaded
    when the database has no units yet."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from django.core.management import call_command

    from cadrecare.org.models import OrgUnit

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        started = time.monotonic()
        call_command("seed_demo", townships=townships)
        print(f"seeded in {time.monotonic() - started:.0f}s")


def timed(send: Callable[[], Any], requests: int) -> tuple[float, float, int, Any]:
    """(median ms, p95 ms, queries, the last response) of ``send()``: queries
    counted on one call of their own, by a wrapper that only counts (Django's
    debug cursor costs several milliseconds a request), then ``requests``
    calls timed."""
    from django.db import connection

    queries = 0

    def count(execute: Any, *args: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(*args)

    with connection.execute_wrapper(count):
        response = send()
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = send()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], queries, response
