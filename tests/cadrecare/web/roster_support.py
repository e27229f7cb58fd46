"""Rosters for the workbench's roster tests: moves found with the edit's own
rule check, so a test does not depend on where the solver put each block."""

from __future__ import annotations

import datetime as dt

from cadrecare.core.errors import DomainError
from cadrecare.org.models import Cadre
from cadrecare.rotation.models import Roster
from cadrecare.rotation.selectors import roster_grid
from cadrecare.rotation.services import roster_edit_plan, rules_broken


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
