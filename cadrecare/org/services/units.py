"""Writes on the organisation tree: a unit's creation and its move, with the paths of its subtree.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext

from cadrecare.core.errors import DomainError
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.models import PATH_STEP, OrgUnit, User
from cadrecare.org.scoping import require_placement


def _path_for(unit_id: int, parent: OrgUnit | None) -> str:
    return (parent.path if parent else "") + f"{unit_id:0{PATH_STEP}d}."


@transaction.atomic
def org_unit_create(
    *, code: str, name: str, kind: str, parent: OrgUnit | None = None, actor: User | None = None, **fields: object
) -> OrgUnit:
    """Create a unit and give it its materialised path under ``parent``; with
    an ``actor``, only inside their scope (the demo and the tests pass none)."""
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, path=f"tmp-{code}", **fields)
    unit.save()
    unit.path = _path_for(unit.pk, parent)
    unit.save(update_fields=["path"])
    require_placement(actor, "org-units", ADD, unit, field="parent")  # by its new path
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, parent: OrgUnit | None, actor: User | None = None) -> OrgUnit:
    """Move ``unit`` and its whole subtree under ``parent`` in one UPDATE: every
    path below it is rewritten, so each prefix-based scope decision about the
    subtree follows the move. With an ``actor``, only to a place inside their scope."""
    if parent is not None and parent.path.startswith(unit.path):
        raise DomainError(gettext("不能把单位移到它自己或其下级单位之下。"), field="parent")
    old_path = unit.path
    new_path = _path_for(unit.pk, parent)
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    require_placement(actor, "org-units", CHANGE, unit, field="parent")  # by its new path
    return unit
