"""Who may do what to which resource: the one table, in code.

A user holds role grants, each a role on an org unit; a grant covers that unit
and everything under it (cadrecare.org.scoping). For each API resource this
table says, per role, the actions allowed and the highest sensitivity level
shown unmasked. ``self_only`` roles (the cadre) reach only records about
themselves; ``routed_only`` roles (the county leader) reach only the records
routed to them by name, through the model's ``SCOPE_OWNER`` (a talk's talkers).
The access table in docs/access.md is generated from this one
(``manage.py access_table``); later modules add their resources here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadrecare.core.actions import ADD, CHANGE, DELETE, VIEW
from cadrecare.core.privacy import Level
from cadrecare.org.choices import Role

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


ACCESS: dict[str, dict[str, Rule]] = {
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
# A cadre's health archive is read wherever their check-ups are, at the same level.
ACCESS["health-archives"] = {
    role: Rule(READ, rule.level, rule.self_only) for role, rule in ACCESS["health-checkups"].items()
}

# Who may enter the Django admin: the organisation department, secretaries and
# HR, each seeing there only what the table above gives their role
# (cadrecare.org.admin.ScopedAdmin); a cadre works from the workbench and the API.
ADMIN_ROLES = frozenset({Role.ORG_ADMIN, Role.ORG_STAFF, Role.SECRETARY, Role.HR})

# Granting: a role may hand out only roles at or below its own rank.
ROLE_RANK: dict[str, int] = {
    Role.ORG_ADMIN: 5,
    Role.ORG_STAFF: 4,
    Role.COUNTY_LEADER: 3,
    Role.SECRETARY: 3,
    Role.HR: 2,
    Role.CADRE: 1,
}


def rule_for(resource: str, role: str) -> Rule | None:
    return ACCESS.get(resource, {}).get(role)


def access_table_markdown() -> str:
    """The table above as Markdown, for docs/access.md."""
    roles = list(Role)
    head = "| resource | " + " | ".join(f"{r.label} (`{r.value}`)" for r in roles) + " |"
    lines = [head, "|" + "---|" * (len(roles) + 1)]
    for resource, rules in ACCESS.items():
        cells = []
        for role in roles:
            rule = rules.get(role)
            if rule is None:
                cells.append("—")
                continue
            order = [VIEW, ADD, CHANGE, DELETE]
            actions = [a for a in order if a in rule.actions] + sorted(rule.actions - set(order))
            text = ", ".join(actions)
            if rule.level > Level.BASIC:
                text += f"; sees {rule.level.name.lower()}"
            if rule.self_only:
                text += "; self only"
            if rule.routed_only:
                text += "; routed to them only"
            cells.append(text)
        lines.append(f"| `{resource}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
