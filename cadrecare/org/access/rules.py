"""A rule of the access table: the actions a role may take on a resource, the
highest sensitivity level it sees unmasked, and whom it reaches."""

from __future__ import annotations

from dataclasses import dataclass

from cadrecare.core.actions import ADD, CHANGE, DELETE, VIEW
from cadrecare.core.privacy import Level

READ = frozenset({VIEW})
WRITE = frozenset({VIEW, ADD, CHANGE})
ALL = frozenset({VIEW, ADD, CHANGE, DELETE})
# Doing a township secretary's publish and change on a roster while the post is vacant.
STAND_IN = "stand_in"


@dataclass(frozen=True)
class Rule:
    actions: frozenset[str]
    level: Level = Level.BASIC
    self_only: bool = False
    routed_only: bool = False
