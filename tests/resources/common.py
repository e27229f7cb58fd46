"""What every resource case is (``ResourceCase``), and what cases of several apps share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from cadrecare.core import clock

Factory = Callable[[Any], Any]


@dataclass(frozen=True)
class ResourceCase:
    resource: str  # key in ACCESS and router prefix
    make_in: Factory  # cast -> object in township A1, about cadre A1 where it concerns a cadre
    make_out: Factory  # cast -> object in township B1
    payload: Factory | None = None  # cast -> JSON creating a record in township A1
    update: Factory | None = None  # cast -> JSON for PATCH
    methods: frozenset[str] = field(default_factory=lambda: frozenset({"list", "retrieve"}))
    self_visible: bool = True  # whether make_in is about cadre A1 (the cadre role's own record)
    national: bool = False  # not scoped by unit: every role with "view" sees all; writes only city-wide
    # A personal inbox: make_in / make_out take (cast, acting user) and make a record addressed to that
    # user, resp. to someone else; each user reaches only their own, whatever the unit.
    inbox: bool = False
    context: Callable[[], AbstractContextManager] = nullcontext  # in force while the case runs


def days_ago(days: int) -> str:
    return (clock.today() - dt.timedelta(days=days)).isoformat()
