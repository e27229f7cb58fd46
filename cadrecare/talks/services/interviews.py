"""Scheduled interviews (定期约谈)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext

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
) -> InterviewRound:
    """Plan a round of interviews with a township's serving section-level
    cadres (正科/副科 and the 主任科员 ranks): one item per cadre, closed by their interview."""
    if unit.kind != UnitKind.TOWNSHIP:
        raise DomainError(gettext("定期约谈的对象单位须为乡镇（街道）。"), field="unit")
    if end_date < start_date:
        raise DomainError(gettext("结束日期不能早于开始日期。"), field="end_date")
    if not interviewers:
        raise DomainError(gettext("请至少选择一名约谈人。"), field="interviewers")
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
    return round_
