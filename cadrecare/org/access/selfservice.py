"""Cadre self-service (cadrecare.selfservice) and 心里话."""

from __future__ import annotations

from cadrecare.core.actions import ADD, VIEW
from cadrecare.core.privacy import Level
from cadrecare.org.access.rules import READ, Rule
from cadrecare.org.choices import Role

SELFSERVICE: dict[str, dict[str, Rule]] = {
    # Cadre self-service (cadrecare.selfservice). A cadre reports a family event
    # or a difficulty of their own and proposes changes to their family; HR
    # confirms or rejects (the secretary too for a report, and only a family
    # event: opening a hardship case needs "add" on hardship-cases).
    "self-reports": {
        Role.ORG_ADMIN: Rule(READ | {"confirm", "reject"}, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ, Level.SENSITIVE),
        Role.SECRETARY: Rule(READ | {"confirm", "reject"}),
        Role.HR: Rule(READ | {"confirm", "reject"}, Level.SENSITIVE),
        Role.CADRE: Rule(frozenset({VIEW, ADD}), Level.SENSITIVE, self_only=True),
    },
    "family-member-changes": {
        Role.ORG_ADMIN: Rule(READ | {"confirm", "reject"}, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ, Level.SENSITIVE),
        Role.HR: Rule(READ | {"confirm", "reject"}, Level.SENSITIVE),
        Role.CADRE: Rule(frozenset({VIEW, ADD}), Level.SENSITIVE, self_only=True),
    },
    # 心里话: which roles may read and answer at all. Which messages is no
    # subtree: only those addressed to the role on the very unit of the grant
    # (a township's secretary, a county's organization department), besides
    # the sender's own (cadrecare.selfservice.selectors.message_list).
    "messages": {
        Role.ORG_ADMIN: Rule(READ | {"answer"}, Level.SENSITIVE),
        Role.ORG_STAFF: Rule(READ | {"answer"}, Level.SENSITIVE),
        Role.SECRETARY: Rule(READ | {"answer"}, Level.SENSITIVE),
        Role.CADRE: Rule(frozenset({VIEW, ADD}), Level.SENSITIVE, self_only=True),
    },
}
