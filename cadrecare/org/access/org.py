"""The organisation: units, offices, cadres and their logins and grants, the
establishment, the overview and the audit log."""

from __future__ import annotations

from cadrecare.core.actions import ADD, DELETE, VIEW
from cadrecare.core.privacy import Level
from cadrecare.org.access.rules import ALL, READ, WRITE, Rule
from cadrecare.org.choices import Role

ORG: dict[str, dict[str, Rule]] = {
    "org-units": {
        Role.ORG_ADMIN: Rule(WRITE),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
    },
    "offices": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(WRITE),
        Role.HR: Rule(WRITE),
    },
    # "logins": open logins for cadres (POST cadres/logins/), which hands each the cadre role on their unit.
    "cadres": {
        Role.ORG_ADMIN: Rule(ALL | {"import", "export", "logins"}, Level.PERSONAL),
        Role.ORG_STAFF: Rule(READ | {"export"}, Level.PERSONAL),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(WRITE | {"import", "export", "logins"}, Level.PERSONAL),
        Role.CADRE: Rule(READ, Level.PERSONAL, self_only=True),
    },
    "post-changes": {
        Role.ORG_ADMIN: Rule(frozenset({VIEW, ADD})),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(frozenset({VIEW, ADD})),
        Role.CADRE: Rule(READ, self_only=True),
    },
    "users": {
        Role.ORG_ADMIN: Rule(WRITE, Level.PERSONAL),
    },
    "role-grants": {
        Role.ORG_ADMIN: Rule(frozenset({VIEW, ADD, DELETE})),
    },
    "staffing-check": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
    },
    # Township establishment (cadrecare.establishment, 乡镇编制专编专用): the
    # organization department approves the slots and keeps the borrowing
    # register, reviewing each borrowing and chased about it (its due items);
    # the township's secretary and HR officer read theirs.
    "establishment": {
        Role.ORG_ADMIN: Rule(WRITE | {"export"}),
        Role.ORG_STAFF: Rule(READ | {"export"}),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
    },
    "establishment-borrowings": {
        Role.ORG_ADMIN: Rule(WRITE | {"export"}),
        Role.ORG_STAFF: Rule(WRITE | {"export"}),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
    },
    # The organization department's overview (总览) of its townships: counts
    # only, read from each domain's own scoped selectors.
    "dashboard": {
        Role.ORG_ADMIN: Rule(READ),
        Role.ORG_STAFF: Rule(READ),
    },
    "audit-log": {
        Role.ORG_ADMIN: Rule(READ),
    },
}
