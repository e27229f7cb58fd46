"""A township to roster: 鲁甸乡 (township A2 of the cast) with its leaders and
offices, and a county policy. Answers are judged by tests/roster_judge.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import Cadre, Office, OrgUnit
from cadrecare.rotation.choices import Mode, RequestKind
from cadrecare.rotation.models import Roster, RotationPolicy
from cadrecare.rotation.services import generation_item_run, generation_request, rest_request_save
from tests.factories import CadreFactory

MARCH_2027 = dt.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _quick_solves(settings: Any) -> None:
    # Small townships: a valid roster comes in well under this; proving it
    # best is the benchmark's business, not these specifications'.
    settings.ROTATION_SOLVE_SECONDS = 3


def build_township(unit: OrgUnit, size: int = 12) -> list[Cadre]:
    """A party secretary, a township head, two deputies and staff in three offices."""
    offices = [Office.objects.get_or_create(unit=unit, name=name)[0] for name in ("党政办", "经发办", "社事办")]
    posts = [LeaderPost.PARTY_SECRETARY, LeaderPost.HEAD, LeaderPost.DEPUTY, LeaderPost.DEPUTY]
    cadres = []
    for index in range(size):
        post = posts[index] if index < len(posts) else LeaderPost.NONE
        cadres.append(CadreFactory(unit=unit, leader_post=post, office=offices[index % 3], name=f"鲁{index:02d}"))
    return cadres


@pytest.fixture
def township(cast: Any) -> list[Cadre]:
    RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)
    # 鲁甸乡's staff are the twelve built here: the cast's cadre there moves to the county.
    Cadre.objects.filter(pk=cast.cadre_a2.pk).update(unit=cast.agency_a)
    return build_township(cast.town_a2)


def wish_apart(cadres: list[Cadre], month: dt.date = MARCH_2027, every: int = 10) -> None:
    """Each cadre asks to rest on its own day of the month, `every` days after
    the one before, wrapping at the 28th: the specifications that exchange
    blocks need cadres resting apart, and interchangeable cadres may
    otherwise all be given the same block."""
    for index, cadre in enumerate(cadres):
        day = month.replace(day=1 + (index * every) % 28)
        rest_request_save(
            actor=None,
            data={"cadre": cadre, "kind": RequestKind.PREFER, "start": day, "end": day, "reason": "家中有事"},
            today=month - dt.timedelta(days=28),
        )


def solved_draft(
    cast: Any,
    mode: str,
    month: dt.date = MARCH_2027,
    size: int = 12,
    prepare: Callable[[list[Cadre]], None] | None = None,
    **policy: Any,
) -> tuple[Roster, list[Cadre]]:
    """Township A1 (the secretary's own) with ``size`` more cadres and a solved
    draft of ``month``; ``prepare`` gets them before the solve (to add rest
    requests, absences...)."""
    cadres = build_township(cast.town_a1, size)
    Cadre.objects.filter(pk=cast.secretary_a1_cadre.pk).update(leader_post="none")  # one party secretary only
    if prepare is not None:
        prepare(cadres)
    RotationPolicy.objects.create(unit=cast.town_a1, effective_from=dt.date(2026, 1, 1), mode=mode, **policy)
    run = generation_request(actor=None, unit=cast.town_a1, month=month, today=month - dt.timedelta(days=20))
    generation_item_run(item_id=run.items.get().pk)
    return Roster.objects.get(unit=cast.town_a1), cadres
