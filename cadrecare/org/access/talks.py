"""Six must-talks (cadrecare.talks)."""

from __future__ import annotations

from cadrecare.core.actions import ADD, VIEW
from cadrecare.core.privacy import Level
from cadrecare.org.access.rules import ALL, READ, WRITE, Rule
from cadrecare.org.choices import Role

TALKS: dict[str, dict[str, Rule]] = {
    # Six must-talks (cadrecare.talks). Notes on triggers, petitions and talks
    # are sensitive: the organization department reads them; the talker of a
    # record reads its notes too (a per-record rule in cadrecare.talks).
    "talk-triggers": {
        Role.ORG_ADMIN: Rule(WRITE, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(WRITE, Level.SENSITIVE),
        Role.SECRETARY: Rule(frozenset({VIEW, ADD})),
        Role.CADRE: Rule(READ, self_only=True),
        Role.COUNTY_LEADER: Rule(READ, routed_only=True),
    },
    # Their configuration: who talks with whom in a county, days allowed per kind.
    "talk-routes": {  # a county's: read where the county is in scope
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
    },
    "talk-policies": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
    },
    "talks": {
        Role.ORG_ADMIN: Rule(WRITE, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(WRITE, Level.SENSITIVE),
        Role.SECRETARY: Rule(WRITE),
        Role.CADRE: Rule(READ, self_only=True),
        Role.COUNTY_LEADER: Rule(frozenset({VIEW, ADD}), routed_only=True),
    },
    "commendations": {
        Role.ORG_ADMIN: Rule(WRITE | {"export"}),
        Role.ORG_STAFF: Rule(WRITE | {"export"}),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(WRITE | {"export"}),
        Role.CADRE: Rule(READ, self_only=True),
    },
    "petitions": {
        Role.ORG_ADMIN: Rule(WRITE, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(WRITE, Level.SENSITIVE),
    },
    "team-flags": {
        Role.ORG_ADMIN: Rule(WRITE, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(WRITE, Level.SENSITIVE),
    },
    "interview-rounds": {
        Role.ORG_ADMIN: Rule(WRITE),
        Role.ORG_STAFF: Rule(WRITE),
        Role.SECRETARY: Rule(READ),
    },
    "regular-talks": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
    },
    "talk-summary": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
    },
    # Who sees confidential must-talks (warning signs, petitions) in the lists
    # of due items: the organization department; their talker sees them as owner.
    "confidential-talk-triggers": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
    },
}
