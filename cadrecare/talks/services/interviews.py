"""Scheduled interviews (定期约谈)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from cadrecare.audit.services import written
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import SECTION_LEVEL_RANKS, CadreStatus, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, User
from cadrecare.talks.models import InterviewItem, InterviewRound


@transaction.atomic
def interview_round_plan(
    *,
    actor: User | None,
    unit: OrgUnit,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    interviewers: Sequence[User],
    request: HttpRequest | None = None,
) -> InterviewRound:
    """Plan a round of interviews with a township's serving section-level
    cadres (正科/副科 and the 主任科员 ranks): one item per cadre, closed by their interview."""
    if unit.kind != UnitKind.TOWNSHIP:
        raise DomainError(gettext("定期约谈的对象单位须为乡镇（街道）。"), field="unit")
    _check_round(start_date, end_date, interviewers)
    cadre_ids = list(
        Cadre.objects.filter(unit=unit, status=CadreStatus.SERVING, rank__in=SECTION_LEVEL_RANKS)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not cadre_ids:
        raise DomainError(gettext("该乡镇没有在职的科级干部。"), field="unit")
    round_ = InterviewRound.objects.create(
        unit=unit, title=title.strip(), start_date=start_date, end_date=end_date, created_by=actor
    )
    round_.interviewers.set(interviewers)
    InterviewItem.objects.bulk_create(InterviewItem(round=round_, cadre_id=cadre_id) for cadre_id in cadre_ids)
    fields = ["end_date", "interviewers", "start_date", "title", "unit"]
    written(actor, request, "create", "interview-rounds", round_, fields)
    return round_


def _check_round(start_date: dt.date, end_date: dt.date, interviewers: Sequence[User] | None) -> None:
    """A round ends no earlier than it starts and has interviewers (None: those it has, left as they are)."""
    if end_date < start_date:
        raise DomainError(gettext("结束日期不能早于开始日期。"), field="end_date")
    if interviewers is not None and not interviewers:
        raise DomainError(gettext("请至少选择一名约谈人。"), field="interviewers")


@transaction.atomic
def interview_round_update(
    *,
    actor: User | None,
    round_: InterviewRound,
    title: str | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    interviewers: Sequence[User] | None = None,
    request: HttpRequest | None = None,
) -> InterviewRound:
    """Retitle a round, move its dates or change its interviewers (None: as
    it was); the township and the cadres it interviews stay."""
    round_ = InterviewRound.objects.select_for_update().get(pk=round_.pk)
    before = {"title": round_.title, "start_date": round_.start_date, "end_date": round_.end_date}
    had = set(round_.interviewers.values_list("pk", flat=True))
    round_.title = round_.title if title is None else title.strip()
    round_.start_date = start_date or round_.start_date
    round_.end_date = end_date or round_.end_date
    _check_round(round_.start_date, round_.end_date, interviewers)
    round_.save(update_fields=["title", "start_date", "end_date"])
    changed = [name for name, value in before.items() if getattr(round_, name) != value]
    if interviewers is not None and {user.pk for user in interviewers} != had:
        round_.interviewers.set(interviewers)
        changed.append("interviewers")
    written(actor, request, "update", "interview-rounds", round_, sorted(changed))
    return round_
