"""Post changes (职务变动): recorded append-only, each moving the cadre's current post.

Every function is keyword-only, owns its transaction and takes the acting user,
so it behaves the same from a view, a task, the admin or the shell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.core.i18n import choice_label

# The audit log is an app above org: reached through core's stand-in (cadrecare.core.providers).
from cadrecare.core.providers import audit
from cadrecare.org.access import ADD
from cadrecare.org.choices import ENDED_STATUSES, CadreStatus, LeaderPost, PostChangeKind
from cadrecare.org.models import Cadre, Office, OrgUnit, PostChange, User
from cadrecare.org.scoping import require_placement

# Later modules (the six must-talk triggers) subscribe here; the callbacks run
# inside the recording transaction so the trigger and the change land together.
post_change_listeners: list[Callable[[PostChange], object]] = []

_UNIT_MOVES = {PostChangeKind.TRANSFER, PostChangeKind.EXCHANGE, PostChangeKind.APPOINTMENT, PostChangeKind.PROMOTION}


@transaction.atomic
def post_change_record(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    date: dt.date,
    to_unit: OrgUnit,
    to_rank: str,
    to_leader_post: str | None = None,
    to_post_title: str = "",
    to_office: Office | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> PostChange:
    """Record a post change (``post_change_apply``) where ``actor`` may add
    post changes: both the cadre's unit and the new one in their scope (an
    ``actor`` of None is the system: the demo, the tests). Audited once."""
    require_placement(actor, "post-changes", ADD, cadre.unit, field="cadre")
    require_placement(actor, "post-changes", ADD, to_unit, field="to_unit")
    change = post_change_apply(
        actor=actor,
        cadre=cadre,
        kind=kind,
        date=date,
        to_unit=to_unit,
        to_rank=to_rank,
        to_leader_post=to_leader_post,
        to_post_title=to_post_title,
        to_office=to_office,
        note=note,
    )
    fields = ["cadre", "kind", "date", "to_unit", "to_rank", "to_leader_post", "to_post_title", "note"]
    audit.audit_log(
        actor=actor,
        action="create",
        accesses=[audit.Access("post-changes", change.pk, change.cadre_id, fields + ["to_office"] * bool(to_office))],
        request=request,
    )
    return change


@transaction.atomic
def post_change_apply(
    *,
    actor: User | None,
    cadre: Cadre,
    kind: str,
    date: dt.date,
    to_unit: OrgUnit,
    to_rank: str,
    to_leader_post: str | None = None,
    to_post_title: str = "",
    to_office: Office | None = None,
    note: str = "",
) -> PostChange:
    """Record a post change and move the cadre's current fields to it
    (``to_leader_post`` None keeps the current leadership post), for a
    service that checks its own scope and writes its own audit row (a
    secondment's start and end); anyone else calls ``post_change_record``.

    The history is append-only: a change dated before the latest recorded one
    is refused, so the current fields always follow the last entry.
    """
    cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
    if date > clock.today():
        raise DomainError(gettext("变动日期不能晚于今天。"), field="date")
    last = cadre.post_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and date < last:
        raise DomainError(
            gettext("该干部已有 %(last)s 的职务变动记录，变动日期不能早于它。") % {"last": format(last, "%Y-%m-%d")},
            field="date",
        )
    if cadre.status in ENDED_STATUSES:
        raise DomainError(
            gettext("该干部状态为“%(status)s”，不能登记职务变动。")
            % {"status": choice_label(cadre.get_status_display())},
            field="cadre",
        )
    if to_leader_post is None:
        to_leader_post = cadre.leader_post
    if to_office is not None and to_office.unit_id != to_unit.pk:
        raise DomainError(gettext("所选科室站所不属于新单位。"), field="to_office")
    if not to_unit.active:
        raise DomainError(gettext("新单位已停用。"), field="to_unit")

    change = PostChange.objects.create(
        cadre=cadre,
        kind=kind,
        date=date,
        from_unit=cadre.unit,
        to_unit=to_unit,
        from_post_title=cadre.post_title,
        to_post_title=to_post_title,
        from_rank=cadre.rank,
        to_rank=to_rank,
        from_leader_post=cadre.leader_post,
        to_leader_post=to_leader_post,
        note=note,
        recorded_by=actor,
    )
    if cadre.unit_id != to_unit.pk:
        cadre.unit_joined = date
        cadre.office = to_office
    elif to_office is not None:
        cadre.office = to_office
    cadre.unit = to_unit
    if kind in _UNIT_MOVES:
        cadre.establishment_unit = to_unit if kind != PostChangeKind.PROMOTION else cadre.establishment_unit
        cadre.status = CadreStatus.SERVING
    elif kind == PostChangeKind.SECONDMENT:
        cadre.status = CadreStatus.SECONDED
    cadre.rank = to_rank
    cadre.leader_post = LeaderPost.NONE if kind == PostChangeKind.REMOVAL else to_leader_post
    cadre.post_title = to_post_title
    cadre.save()
    for listener in post_change_listeners:
        listener(change)
    return change
