"""The end of a cadre's service (离退休, 调离, 去世) and the open items it closes.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label

# The audit log is an app above org: reached through core's stand-in (cadrecare.core.providers).
from cadrecare.core.providers import audit
from cadrecare.org.choices import ENDED_STATUSES, CadreStatus
from cadrecare.org.models import Cadre, User
from cadrecare.org.services.users import user_tokens_revoke


@dataclass(frozen=True)
class ServiceEnded:
    """What listeners of ``cadre_status_change`` are told: whose service ended,
    how (the new status, also the reason every cancelled item records), on
    which day, and who recorded it (for the audit log)."""

    cadre: Cadre
    status: str
    date: dt.date
    actor: User | None


# The modules whose open obligations end with the cadre's service (talks, care)
# subscribe here; the callbacks run inside the status change's transaction, so
# the change and every cancellation land together or not at all.
cadre_status_listeners: list[Callable[[ServiceEnded], object]] = []


def open_items_cancel(
    queryset: QuerySet, *, resource: str, cadre_field: str, reason: str, day: dt.date, actor: User | None
) -> int:
    """Cancel the items of ``queryset`` (open obligations about a cadre) with
    ``reason`` (an ``EndReason``: 去世, 离退休, 调离) as of ``day``, each one
    written to the audit log under ``resource``; returns how many. The model
    has a status whose choices include "cancelled", ``cancel_reason`` and
    ``cancelled_on`` (must-talks, follow-ups, interview items, visits)."""
    rows = list(queryset.select_for_update().order_by("pk").values_list("pk", cadre_field))
    if not rows:
        return 0
    queryset.model.objects.filter(pk__in=[pk for pk, _ in rows]).update(
        status="cancelled", cancel_reason=reason, cancelled_on=day
    )
    audit.audit_log(
        actor=actor,
        action="update",
        accesses=[
            audit.Access(resource, pk, cadre_id, ["status", "cancel_reason", "cancelled_on"]) for pk, cadre_id in rows
        ],
    )
    return len(rows)


@transaction.atomic
def cadre_status_change(
    *, actor: User | None, cadre: Cadre, status: str, date: dt.date, today: dt.date | None = None
) -> Cadre:
    """Record that a cadre retired (离退休), left (调离) or died (去世) on
    ``date``: the status and its date change, and every listener closes, with
    that reason, the open items about the cadre that no longer apply, audited.
    A death is recorded through ``care.services.cadre_condition_record``, which
    calls this. Post changes and secondments go through ``post_change_record``."""
    if status not in ENDED_STATUSES:
        raise DomainError(
            gettext("这里只能登记离退休、调离或去世；职务变动和借调请通过“职务变动”登记。"), field="status"
        )
    if date > (today or clock.today()):
        raise DomainError(gettext("变动日期不能晚于今天。"), field="date")
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if cadre.status == CadreStatus.DECEASED:
        raise DomainError(gettext("该干部已登记去世，不能再变更状态。"), field="cadre")
    if cadre.status == status:
        raise DomainError(
            gettext("该干部状态已是“%(status)s”。") % {"status": choice_label(cadre.get_status_display())},
            field="status",
        )
    last = cadre.post_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and date < last:
        raise DomainError(
            gettext("该干部有 %(last)s 的职务变动记录，变动日期不能早于它。") % {"last": format(last, "%Y-%m-%d")},
            field="date",
        )
    cadre.status = status
    cadre.status_changed_on = date
    cadre.save(update_fields=["status", "status_changed_on", "updated_at"])
    audit.audit_log(
        actor=actor,
        action="update",
        accesses=[audit.Access("cadres", cadre.pk, cadre.pk, ["status", "status_changed_on"])],
    )
    if cadre.user is not None and cadre.user.is_active:
        # Whoever left no longer signs in: the login closes with the service, its tokens with it.
        User.objects.filter(pk=cadre.user.pk).update(is_active=False)
        user_tokens_revoke(user=cadre.user)
        audit.audit_log(
            actor=actor, action="update", accesses=[audit.Access("users", cadre.user_id, cadre.pk, ["is_active"])]
        )
    change = ServiceEnded(cadre=cadre, status=status, date=date, actor=actor)
    for listener in cadre_status_listeners:
        listener(change)
    return cadre
