"""Secondments (cadrecare.secondments) and grassroots experience."""

from __future__ import annotations

from cadrecare.core.actions import ADD, VIEW
from cadrecare.org.access.rules import READ, Rule
from cadrecare.org.choices import Role

CAREERS: dict[str, dict[str, Rule]] = {
    # Secondments (cadrecare.secondments): the organization department registers
    # terms and decides them (the home unit's department: secondments.services);
    # the host unit's secretary and HR, who look after the cadre meanwhile, read them.
    "secondments": {
        Role.ORG_ADMIN: Rule(frozenset({VIEW, ADD, "decide"})),
        Role.ORG_STAFF: Rule(frozenset({VIEW, ADD, "decide"})),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ, self_only=True),
    },
    # Grassroots experience of cadres and leadership teams, from the post history.
    "experience": {
        Role.ORG_ADMIN: Rule(READ | {"export"}),
        Role.ORG_STAFF: Rule(READ | {"export"}),
    },
}
