"""Rest rotation (cadrecare.rotation)."""

from __future__ import annotations

from cadrecare.core.actions import ADD, CHANGE, VIEW
from cadrecare.core.privacy import Level
from cadrecare.org.access.rules import ALL, READ, STAND_IN, WRITE, Rule
from cadrecare.org.choices import Role

ROTATION: dict[str, dict[str, Rule]] = {
    # Rest rotation (cadrecare.rotation). The holiday calendar is national:
    # everyone reads it, only a city's org admin loads a notice.
    "holiday-years": {
        Role.ORG_ADMIN: Rule(frozenset({VIEW, ADD})),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ),
    },
    # The township secretary sets their township's own, within the bounds
    # the county's policy sets (rotation.services.policy_validate).
    "rotation-policies": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(WRITE),
        Role.HR: Rule(READ),
    },
    "absences": {
        Role.ORG_ADMIN: Rule(ALL | {"import"}, Level.PERSONAL),
        Role.ORG_STAFF: Rule(READ, Level.PERSONAL),
        Role.SECRETARY: Rule(ALL, Level.PERSONAL),
        Role.HR: Rule(ALL | {"import"}, Level.PERSONAL),
        Role.CADRE: Rule(READ, Level.PERSONAL, self_only=True),
    },
    "rest-requests": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(ALL, Level.SENSITIVE),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(ALL, Level.SENSITIVE, self_only=True),
    },
    # The secretary plans the township's roster; the county watches and locks,
    # and stands in (publishes and edits, audited as acting for the township)
    # while the township has no serving party secretary (rotation.api.views).
    "rosters": {
        Role.ORG_ADMIN: Rule(READ | {"lock", STAND_IN}),
        Role.ORG_STAFF: Rule(READ | {STAND_IN}),
        Role.SECRETARY: Rule(frozenset({VIEW, CHANGE, "publish", "lock"})),
        Role.HR: Rule(READ),
    },
    "generation-runs": {
        Role.ORG_ADMIN: Rule(frozenset({VIEW, ADD})),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(frozenset({VIEW, ADD})),
        Role.HR: Rule(READ),
    },
    "roster-days": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ, self_only=True),
    },
    "recalls": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(ALL),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ, self_only=True),
    },
    # Swap requests: a cadre asks and answers for themself (a party sees the
    # request, rotation.selectors); the township's party secretary decides.
    "swap-requests": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(frozenset({VIEW, "approve"})),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(frozenset({VIEW, ADD, "respond", "withdraw"}), self_only=True),
    },
    # Published rest days a cadre spent away (an absence over them): the
    # secretary records when the rest was taken after all.
    "missed-rest": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ | {"taken"}),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ, self_only=True),
    },
    # The cadre's month-end word on their rest; the secretary answers a correction.
    "rest-confirmations": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ | {"resolve"}),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(frozenset({VIEW, ADD}), self_only=True),
    },
    # Rest taken per cadre and unit, read like rosters; a cadre reads their own.
    "rest-compliance": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ, self_only=True),
    },
}
