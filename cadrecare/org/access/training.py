"""Training (cadrecare.training) and the county's own follow-through (cadrecare.oversight)."""

from __future__ import annotations

from cadrecare.core.privacy import Level
from cadrecare.org.access.rules import ALL, READ, WRITE, Rule
from cadrecare.org.choices import Role

TRAINING: dict[str, dict[str, Rule]] = {
    # Training, study tours and work exchanges (cadrecare.training): the
    # organization department plans them, nominates by the priority rule and
    # records attendance; a township reads the programmes its cadres go to
    # (their nominations only), a cadre their own. The reason for an excused
    # absence is personal.
    "training-programmes": {
        Role.ORG_ADMIN: Rule(WRITE | {"nominate", "attendance", "export"}, Level.PERSONAL),
        Role.ORG_STAFF: Rule(WRITE | {"nominate", "attendance", "export"}, Level.PERSONAL),
        Role.SECRETARY: Rule(READ | {"export"}),
        Role.HR: Rule(READ | {"export"}, Level.PERSONAL),
        Role.CADRE: Rule(READ, Level.PERSONAL, self_only=True),
    },
    # The county organization department's own follow-through (cadrecare.oversight):
    # the yearly exchange review (a deferral's or refusal's reason is personal), the
    # yearly interview plan and the head's township visits; the city watches its counties.
    "transfer-reviews": {
        Role.ORG_ADMIN: Rule(WRITE | {"decide"}, Level.PERSONAL),
        Role.ORG_STAFF: Rule(WRITE | {"decide"}, Level.PERSONAL),
    },
    "interview-plans": {
        Role.ORG_ADMIN: Rule(WRITE | {"interview"}),
        Role.ORG_STAFF: Rule(WRITE | {"interview"}),
    },
    "field-visits": {
        Role.ORG_ADMIN: Rule(ALL),
        Role.ORG_STAFF: Rule(WRITE),
    },
}
