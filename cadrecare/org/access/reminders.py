"""Reminders, notifications and their schedules (cadrecare.reminders)."""

from __future__ import annotations

from cadrecare.org.access.rules import ALL, READ, Rule
from cadrecare.org.choices import Role

REMINDERS: dict[str, dict[str, Rule]] = {
    # Reminders. Each due-item kind is further scoped like its own
    # resource (cadrecare.reminders.sources); the cadre sees what they own.
    "due-items": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
        Role.CADRE: Rule(READ, self_only=True),
        Role.COUNTY_LEADER: Rule(READ, routed_only=True),
    },
    # Everyone's own inbox, and only their own.
    "notifications": {
        Role.ORG_ADMIN: Rule(READ, self_only=True),
        Role.ORG_STAFF: Rule(READ, self_only=True),
        Role.SECRETARY: Rule(READ, self_only=True),
        Role.HR: Rule(READ, self_only=True),
        Role.CADRE: Rule(READ, self_only=True),
        Role.COUNTY_LEADER: Rule(READ, self_only=True),
    },
    "job-runs": {
        Role.ORG_ADMIN: Rule(READ),
    },
    "reminder-schedules": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
    },
}
