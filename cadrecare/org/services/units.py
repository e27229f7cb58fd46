"""Writes on the organisation tree: a unit's creation, its correction and its move, with the
paths of its subtree; and the offices (站所) inside a unit.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell. With an
``actor``, each checks the placement in the actor's scope and writes the one
audit row of its write; with none (the demo and the test fixtures building the
tree) the write is the system's own and is not logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.core.errors import DomainError

# The audit log is an app above org: reached through core's stand-in (cadrecare.core.providers).
from cadrecare.core.providers import audit
from cadrecare.org.access import ADD, CHANGE
from cadrecare.org.models import PATH_STEP, Office, OrgUnit, User
from cadrecare.org.scoping import require_placement


def _path_for(unit_id: int, parent: OrgUnit | None) -> str:
    return (parent.path if parent else "") + f"{unit_id:0{PATH_STEP}d}."


def _logged(
    actor: User | None,
    request: HttpRequest | None,
    action: str,
    resource: str,
    record: models.Model,
    fields: Iterable[str] = (),
) -> None:
    if actor is not None:
        access = audit.Access(resource, record.pk, None, sorted(fields))
        audit.audit_log(actor=actor, action=action, accesses=[access], request=request)


@transaction.atomic
def org_unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **fields: object,
) -> OrgUnit:
    """Create a unit and give it its materialised path under ``parent``; with
    an ``actor``, only inside their scope, audited."""
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, path=f"tmp-{code}", **fields)
    unit.save()
    unit.path = _path_for(unit.pk, parent)
    unit.save(update_fields=["path"])
    require_placement(actor, "org-units", ADD, unit, field="parent")  # by its new path
    _logged(actor, request, "create", "org-units", unit, ["code", "name", "kind", *fields] + ["parent"] * bool(parent))
    return unit


@transaction.atomic
def org_unit_update(
    *, unit: OrgUnit, actor: User | None = None, request: HttpRequest | None = None, **fields: Any
) -> OrgUnit:
    """Correct a unit's fields; a new ``parent`` moves it with its subtree
    (``org_unit_move``). With an ``actor``, only where the unit then sits in
    their scope, audited with the fields that changed."""
    before = {name: getattr(unit, name) for name in fields}
    parent = fields.pop("parent", unit.parent)
    if fields:
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.save(update_fields=list(fields))  # the parent stays the stored one until the move below
    if parent != unit.parent:
        _move(unit, parent)
    require_placement(actor, "org-units", CHANGE, unit, field="parent")  # by its new path
    _logged(actor, request, "update", "org-units", unit, audit.changed_fields(unit, before))
    return unit


@transaction.atomic
def org_unit_move(
    *, unit: OrgUnit, parent: OrgUnit | None, actor: User | None = None, request: HttpRequest | None = None
) -> OrgUnit:
    """Move ``unit`` and its whole subtree under ``parent``. With an
    ``actor``, only to a place inside their scope, audited."""
    return org_unit_update(unit=unit, parent=parent, actor=actor, request=request)


def _move(unit: OrgUnit, parent: OrgUnit | None) -> None:
    """Rewrite the path of ``unit`` and of everything below it in one UPDATE,
    so each prefix-based scope decision about the subtree follows the move."""
    if parent is not None and parent.path.startswith(unit.path):
        raise DomainError(gettext("不能把单位移到它自己或其下级单位之下。"), field="parent")
    old_path = unit.path
    new_path = _path_for(unit.pk, parent)
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()


@transaction.atomic
def office_save(
    *, actor: User | None, office: Office | None = None, request: HttpRequest | None = None, **fields: Any
) -> Office:
    """Record an office of a unit (``office`` None) or change it, in a unit
    inside ``actor``'s scope; audited."""
    created = office is None
    record = Office() if office is None else office
    before = {name: getattr(record, name, None) for name in fields}
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()
    changed = sorted(fields) if created else audit.changed_fields(record, before)
    audit.written(actor, request, "create" if created else "update", "offices", record, changed)
    return record


@transaction.atomic
def office_delete(*, actor: User | None, office: Office, request: HttpRequest | None = None) -> None:
    """Remove an office of a unit inside ``actor``'s scope; audited."""
    audit.written(actor, request, "delete", "offices", office)  # first: the row names it while it exists
    office.delete()
