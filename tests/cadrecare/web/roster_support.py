"""Rosters for the workbench's roster tests: moves found with the edit's own
rule check, so a test does not depend on where the solver put each block; and
the month page's address, its text and an edit's form fields."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client

from cadrecare.core.errors import DomainError
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.rotation.models import Roster
from cadrecare.rotation.selectors import roster_grid
from cadrecare.rotation.services import roster_edit_plan, rules_broken

MONTH = "2027-03"


def signed(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(unit: OrgUnit, tail: str = "") -> str:
    return f"/roster/{unit.pk}/{MONTH}/{tail}"


def text(response: Any) -> str:
    """The page's text without tags, for reading what it says."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def block_fields(roster: Roster, prefix: str, cadre: int, start: str, **extra: Any) -> dict[str, Any]:
    roster.refresh_from_db()
    fields = {
        f"{prefix}-op": extra.pop("op", prefix),
        f"{prefix}-cadre": cadre,
        f"{prefix}-date": start,
        f"{prefix}-version": roster.version,
    }
    fields.update({f"{prefix}-{name}": value for name, value in extra.items()})
    return fields


def a_move(roster: Roster, *, breaks_a_rule: bool) -> tuple[int, str, str]:
    """(cadre id, block start, new start) of a move that keeps every rule, or
    of one that breaks one, as the edit would judge it (nothing is written)."""
    target = Roster.objects.select_related("current", "unit").get(pk=roster.pk)
    grid = roster_grid(roster=target)
    for entry in sorted(grid["cadres"], key=lambda c: c["leader"]):
        cadre = Cadre.objects.get(pk=entry["id"])
        for block in entry["blocks"]:
            for day in grid["dates"]:
                if day["date"] == block["start"]:
                    continue
                try:
                    plan = roster_edit_plan(
                        target=target,
                        op="move",
                        cadre=cadre,
                        date=dt.date.fromisoformat(block["start"]),
                        to_date=dt.date.fromisoformat(day["date"]),
                    )
                except DomainError:
                    continue
                if (rules_broken(plan, target) is not None) == breaks_a_rule:
                    return entry["id"], block["start"], day["date"]
    raise AssertionError("no such move in this roster")
