"""Health check-ups (cadrecare.health)."""

from __future__ import annotations

from cadrecare.core.privacy import Level
from cadrecare.org.access.rules import ALL, READ, WRITE, Rule
from cadrecare.org.choices import Role

HEALTH: dict[str, dict[str, Rule]] = {
    # Health (seed 三(二)): findings and report files are sensitive, seen
    # by the organisation department, HR and the cadre themself; a secretary sees
    # that check-ups happened, their dates and conclusions.
    "checkup-policies": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
    },
    "health-checkups": {
        Role.ORG_ADMIN: Rule(WRITE | {"export", "import"}, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ | {"export"}, Level.SENSITIVE),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(WRITE | {"export", "import"}, Level.SENSITIVE),
        Role.CADRE: Rule(READ, Level.SENSITIVE, self_only=True),
    },
    "checkup-campaigns": {
        Role.ORG_ADMIN: Rule(WRITE, Level.PERSONAL),
        Role.ORG_STAFF: Rule(READ, Level.PERSONAL),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(WRITE, Level.PERSONAL),
    },
    "checkup-due": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ, self_only=True),
    },
}
