"""Who may do what to which resource: the one table, in code.

A user holds role grants, each a role on an org unit; a grant covers that unit
and everything under it (cadrecare.org.scoping). For each API resource this
table says, per role, the actions allowed and the highest sensitivity level
shown unmasked. ``self_only`` roles (the cadre) reach only records about
themselves; ``routed_only`` roles (the county leader) reach only the records
routed to them by name, through the model's ``SCOPE_OWNER`` (a talk's talkers).
The access table in docs/access.md is generated from this one
(``manage.py access_table``). Each app's resources are a module of this
package; later apps add theirs as one, merged below in the order
docs/access.md lists them.
"""

from __future__ import annotations

from cadrecare.core.actions import ADD, CHANGE, DELETE, VIEW
from cadrecare.core.privacy import Level
from cadrecare.org.access.care import CARE
from cadrecare.org.access.careers import CAREERS
from cadrecare.org.access.health import HEALTH
from cadrecare.org.access.org import ORG
from cadrecare.org.access.reminders import REMINDERS
from cadrecare.org.access.rotation import ROTATION
from cadrecare.org.access.rules import ALL, READ, STAND_IN, WRITE, Rule
from cadrecare.org.access.selfservice import SELFSERVICE
from cadrecare.org.access.talks import TALKS
from cadrecare.org.access.training import TRAINING
from cadrecare.org.choices import Role

ACCESS: dict[str, dict[str, Rule]] = {
    **ORG,
    **ROTATION,
    **REMINDERS,
    **HEALTH,
    **TALKS,
    **CARE,
    **TRAINING,
    **SELFSERVICE,
    **CAREERS,
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


__all__ = [
    "ACCESS",
    "ADD",
    "ADMIN_ROLES",
    "ALL",
    "CHANGE",
    "DELETE",
    "READ",
    "ROLE_RANK",
    "STAND_IN",
    "VIEW",
    "WRITE",
    "Rule",
    "access_table_markdown",
    "rule_for",
]
