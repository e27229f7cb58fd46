"""A cadre's own record: created, corrected and deleted, with the rules its
fields keep (``cadre_problems``), the one check the API, the workbench and the
roster import share.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.core import clock
from cadrecare.core.errors import DomainError

# The audit log is an app above org: reached through core's stand-in (cadrecare.core.providers).
from cadrecare.core.providers import audit
from cadrecare.org import rules
from cadrecare.org.access import ADD, CHANGE, DELETE
from cadrecare.org.models import Cadre, User
from cadrecare.org.scoping import require_placement

RESOURCE = "cadres"

# Current-post fields change only through a recorded post change.
POST_FIELDS = ("unit", "establishment_unit", "rank", "post_title", "leader_post", "office")


def cadre_problems(data: Mapping[str, Any], instance: Cadre | None = None) -> dict[str, str]:
    """What is wrong with ``data`` as a new cadre (or as a correction of
    ``instance``), field by field: empty when the record may be written.
    The first rule broken is told (the post fields changed, all of them)."""
    if instance is not None:
        changed = [name for name in POST_FIELDS if name in data and data[name] != getattr(instance, name)]
        if changed:
            return {name: gettext("单位、职务、职级和科室的变动请通过“职务变动”登记，以保留履历。") for name in changed}
        if "status" in data and data["status"] != instance.status:
            # The end of service closes what is chased about the cadre: one door, the status action.
            return {
                "status": gettext("离退休、调离请通过“状态变动”（…/status/）登记变动日期；去世请登记“干部重病或去世”。")
            }
    id_number = data.get("id_number", getattr(instance, "id_number", None))
    birth_date = data.get("birth_date", getattr(instance, "birth_date", None))
    if id_number and birth_date and rules.birth_date_in_id(id_number) != birth_date:
        return {"birth_date": gettext("出生日期与身份证号中的出生日期不一致。")}
    if birth_date and birth_date > clock.today():
        return {"birth_date": gettext("出生日期不能晚于今天。")}
    gender = data.get("gender", getattr(instance, "gender", None))
    if id_number and gender and rules.gender_in_id(id_number) != gender:
        return {"gender": gettext("性别与身份证号不一致。")}
    unit = data.get("unit", getattr(instance, "unit", None))
    office = data.get("office", getattr(instance, "office", None))
    if office is not None and unit is not None and office.unit_id != unit.pk:
        return {"office": gettext("所选科室站所不属于该干部的工作单位。")}
    for name in ("township_service_start", "unit_joined"):
        day = data.get(name)
        if day and day > clock.today():
            return {name: gettext("日期不能晚于今天。")}
        if day and birth_date and day < birth_date:
            return {name: gettext("日期不能早于出生日期。")}
    return {}


def _refuse(problems: dict[str, str]) -> None:
    """Raise the problems as one 400, each message beside its field."""
    if problems:
        errors = [{"field": name, "message": message} for name, message in problems.items()]
        raise DomainError(errors[0]["message"], field=errors[0]["field"], errors=errors)


@transaction.atomic
def cadre_create(*, actor: User | None, data: Mapping[str, Any], request: HttpRequest | None = None) -> Cadre:
    """Create a cadre from parsed ``data`` (the serializer's, units and
    offices as records) in a unit ``actor`` may add cadres to (an ``actor`` of
    None is the system: the demo, the tests). Audited once."""
    cadre = cadre_add(actor=actor, data=data, action=ADD)
    audit.audit_log(
        actor=actor,
        action="create",
        accesses=[audit.Access(RESOURCE, cadre.pk, cadre.pk, sorted(data))],
        request=request,
    )
    return cadre


@transaction.atomic
def cadre_add(*, actor: User | None, data: Mapping[str, Any], action: str) -> Cadre:
    """Create a cadre where ``actor`` may ``action`` cadres, unaudited: for the
    roster import, which audits every record it wrote in its one import row;
    anyone else calls ``cadre_create``."""
    require_placement(actor, RESOURCE, action, data["unit"], field="unit")
    _refuse(cadre_problems(data))
    return Cadre.objects.create(**data)


@transaction.atomic
def cadre_update(
    *, actor: User | None, cadre: Cadre, data: Mapping[str, Any], request: HttpRequest | None = None
) -> Cadre:
    """Correct a cadre's own fields where ``actor`` may change cadres; post
    fields move through post changes and the status through
    ``cadre_status_change``. Audited with the fields that changed; a change to
    nothing writes nothing."""
    require_placement(actor, RESOURCE, CHANGE, cadre.unit, field="unit")
    # Against the stored row: a caller's instance may carry the new values already.
    stored = Cadre.objects.select_for_update(of=("self",)).select_related("unit", "office").get(pk=cadre.pk)
    _refuse(cadre_problems(data, stored))
    changed = sorted(name for name, value in data.items() if getattr(stored, name) != value)
    for name, value in data.items():
        setattr(cadre, name, value)
    if changed:
        cadre.save(update_fields=[*changed, "updated_at"])
        audit.audit_log(
            actor=actor,
            action="update",
            accesses=[audit.Access(RESOURCE, cadre.pk, cadre.pk, changed)],
            request=request,
        )
    return cadre


@transaction.atomic
def cadre_delete(*, actor: User | None, cadre: Cadre, request: HttpRequest | None = None) -> None:
    """Delete a cadre where ``actor`` may delete cadres. Audited once, the row
    written first: it names the record before it is gone."""
    require_placement(actor, RESOURCE, DELETE, cadre.unit, field="unit")
    audit.audit_log(
        actor=actor, action="delete", accesses=[audit.Access(RESOURCE, cadre.pk, cadre.pk, [])], request=request
    )
    cadre.delete()
