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


def give_logins(*, without_login_every: int = 0) -> None:
    """Logins for every township party secretary (but one in
    ``without_login_every``, whose post then counts as having no login) and two
    organization-department officers per county and for the city, once (bulk)."""
    from cadrecare.org.choices import LeaderPost, Role, UnitKind
    from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User

    if User.objects.filter(username__startswith="bench_").exists():
        return
    secretaries = list(
        Cadre.objects.filter(
            leader_post=LeaderPost.PARTY_SECRETARY, user__isnull=True, unit__kind=UnitKind.TOWNSHIP
        ).values_list("id", "unit_id")
    )
    if without_login_every:
        secretaries = [(cid, unit) for n, (cid, unit) in enumerate(secretaries) if n % without_login_every]
    users = User.objects.bulk_create(
        [User(username=f"bench_sec_{cid}", email=f"sec{cid}@example.cn") for cid, _ in secretaries]
    )
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=user, role=Role.SECRETARY, unit_id=unit_id)
            for user, (_, unit_id) in zip(users, secretaries, strict=True)
        ]
    )
    for user, (cadre_id, _) in zip(users, secretaries, strict=True):
        Cadre.objects.filter(pk=cadre_id).update(user=user)
    levels = list(OrgUnit.objects.filter(kind__in=[UnitKind.COUNTY, UnitKind.CITY]).values_list("id", flat=True))
    officers = User.objects.bulk_create(
        [User(username=f"bench_org_{unit}_{n}", email=f"org{unit}_{n}@example.cn") for unit in levels for n in range(2)]
    )
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=Role.ORG_STAFF, unit_id=int(user.username.split("_")[2])) for user in officers]
    )


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
