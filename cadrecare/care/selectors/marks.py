"""Marks of a cadre other modules read: the ``hardship`` flag of the
rest-roster solver and the health flag of the transfer report."""

from __future__ import annotations

from collections.abc import Iterable

from cadrecare.care.choices import ACTIVE_HARDSHIP, CadreConditionKind, HardshipCategory
from cadrecare.care.models import CadreCondition, HardshipCase
from cadrecare.health.choices import Conclusion
from cadrecare.health.models import Checkup

CONCERNING_CONCLUSIONS = (Conclusion.RECHECK, Conclusion.TREATMENT)


def cadres_with_hardship(cadre_ids: Iterable[int]) -> set[int]:
    """The cadres among ``cadre_ids`` with a hardship case open or being
    helped (an open case marks the cadre as ``hardship`` for the
    rest-roster solver). One query."""
    ids = list(cadre_ids)
    if not ids:
        return set()
    return set(
        HardshipCase.objects.filter(cadre_id__in=ids, status__in=ACTIVE_HARDSHIP).values_list("cadre_id", flat=True)
    )


def cadres_with_health_concern(cadre_ids: Iterable[int]) -> set[int]:
    """The health flag of the transfer report: a recorded serious illness, a
    hardship case for illness or disability still open, or a latest check-up
    concluding 需复查 or 需治疗 (cadrecare.health). Three queries."""
    ids = list(cadre_ids)
    if not ids:
        return set()
    ill = CadreCondition.objects.filter(cadre_id__in=ids, kind=CadreConditionKind.ILLNESS).values_list(
        "cadre_id", flat=True
    )
    disabled = HardshipCase.objects.filter(
        cadre_id__in=ids,
        status__in=ACTIVE_HARDSHIP,
        category__in=[HardshipCategory.ILLNESS, HardshipCategory.DISABILITY],
    ).values_list("cadre_id", flat=True)
    latest: dict[int, str] = {}
    for cadre_id, conclusion in (
        Checkup.objects.filter(cadre_id__in=ids)
        .order_by("cadre_id", "date", "id")
        .values_list("cadre_id", "conclusion")
    ):
        latest[cadre_id] = conclusion  # ordered by date: the last one wins
    unwell = {cadre_id for cadre_id, conclusion in latest.items() if conclusion in CONCERNING_CONCLUSIONS}
    return set(ill) | set(disabled) | unwell
