"""Care for cadres (cadrecare.care): families, visits, hardship, money and facilities."""

from __future__ import annotations

from cadrecare.core.actions import ADD, CHANGE, VIEW
from cadrecare.core.privacy import Level
from cadrecare.org.access.rules import ALL, READ, WRITE, Rule
from cadrecare.org.choices import Role

CARE: dict[str, dict[str, Rule]] = {
    # -- care: family details, event descriptions, hardship details
    # and visit notes are sensitive: the organisation department and HR see
    # them in scope, the cadre their own; the secretary works with the basics.
    "care-policies": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
    },
    "family-members": {
        Role.ORG_ADMIN: Rule(ALL | {"export", "import"}, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ | {"export"}, Level.SENSITIVE),
        Role.SECRETARY: Rule(READ, Level.PERSONAL),
        Role.HR: Rule(ALL | {"export", "import"}, Level.SENSITIVE),
        Role.CADRE: Rule(READ, Level.SENSITIVE, self_only=True),
    },
    "family-events": {
        Role.ORG_ADMIN: Rule(WRITE, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ, Level.SENSITIVE),
        Role.SECRETARY: Rule(frozenset({VIEW, ADD})),
        Role.HR: Rule(WRITE, Level.SENSITIVE),
        Role.CADRE: Rule(READ, Level.SENSITIVE, self_only=True),
    },
    "cadre-conditions": {
        Role.ORG_ADMIN: Rule(frozenset({VIEW, ADD}), Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ, Level.SENSITIVE),
        Role.SECRETARY: Rule(frozenset({VIEW, ADD})),
        Role.HR: Rule(frozenset({VIEW, ADD}), Level.SENSITIVE),
        Role.CADRE: Rule(READ, Level.SENSITIVE, self_only=True),
    },
    # The organization department staff reassign (change the owner) and waive,
    # with the reason, the obligations the reminders escalate to them.
    "visit-obligations": {
        Role.ORG_ADMIN: Rule(WRITE | {"waive"}),
        Role.ORG_STAFF: Rule(frozenset({VIEW, CHANGE, "waive"})),
        Role.SECRETARY: Rule(frozenset({VIEW, ADD})),
        Role.HR: Rule(frozenset({VIEW, ADD})),
        Role.CADRE: Rule(READ, self_only=True),
    },
    "visits": {
        Role.ORG_ADMIN: Rule(WRITE | {"export"}, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ | {"export"}, Level.SENSITIVE),
        Role.SECRETARY: Rule(WRITE),
        Role.HR: Rule(WRITE | {"export"}, Level.SENSITIVE),
        Role.CADRE: Rule(READ, Level.SENSITIVE, self_only=True),
    },
    "hardship-cases": {
        Role.ORG_ADMIN: Rule(WRITE, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ, Level.SENSITIVE),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(WRITE, Level.SENSITIVE),
        Role.CADRE: Rule(READ, Level.SENSITIVE, self_only=True),
    },
    "hardship-measures": {
        Role.ORG_ADMIN: Rule(WRITE, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ, Level.SENSITIVE),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(WRITE, Level.SENSITIVE),
        Role.CADRE: Rule(READ, Level.SENSITIVE, self_only=True),
    },
    # The HR officer's decision on care for a cadre whose check-up concluded
    # 需治疗 or who is on a long sick leave (health details: no secretary, no cadre).
    "care-decisions": {
        Role.ORG_ADMIN: Rule(frozenset({VIEW, ADD}), Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ, Level.SENSITIVE),
        Role.HR: Rule(frozenset({VIEW, ADD}), Level.SENSITIVE),
    },
    "transfer-candidates": {
        Role.ORG_ADMIN: Rule(READ | {"export"}, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ | {"export"}, Level.SENSITIVE),
    },
    # Money given in care: the organization department and HR, each amount
    # counted from what they may list of its source (care.selectors.care_spending).
    "care-spending": {
        Role.ORG_ADMIN: Rule(READ | {"export"}),
        Role.ORG_STAFF: Rule(READ | {"export"}),
        Role.HR: Rule(READ | {"export"}),
    },
    "facilities": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(READ),
        Role.SECRETARY: Rule(WRITE),
        Role.HR: Rule(WRITE),
    },
    "facility-gaps": {
        Role.ORG_ADMIN: Rule(READ | {"export"}),
        Role.ORG_STAFF: Rule(READ | {"export"}),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(READ),
    },
    # The county organization department chases a late or short month until paid (care/due.py) and
    # records the payment when it comes.
    "post-allowances": {
        Role.ORG_ADMIN: Rule(ALL | {"export", "import"}),
        Role.ORG_STAFF: Rule(frozenset({VIEW, CHANGE, "export"})),
        Role.SECRETARY: Rule(READ),
        Role.HR: Rule(WRITE | {"export", "import"}),
    },
}
