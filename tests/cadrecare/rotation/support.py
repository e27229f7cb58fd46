"""Hand-made rosters: a month written down day by day, without the solver, for
specifications that need exact numbers (and for the authorisation matrix)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from cadrecare.core import clock
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.rotation.choices import DayKind, RosterStatus
from cadrecare.rotation.holiday_calendar import month_days
from cadrecare.rotation.models import Roster, RosterDay, RosterEntitlement, RosterVersion
from cadrecare.rotation.problem import cadre_key
from cadrecare.rotation.services import SOLUTION_FORMAT, roster_entitlement_rows
from scheduler import roster as solver


def span(first: dt.date, days: int) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(days)]


@dataclass
class Plan:
    """One cadre's month on a hand-made roster."""

    rest: Sequence[dt.date] = ()
    away: Sequence[tuple[dt.date, dt.date]] = ()
    carry_days: int = 0
    office: str = ""
    pinned: Sequence[dt.date] = ()


def hand_roster(
    unit: OrgUnit,
    month: dt.date,
    plans: Mapping[Cadre, Plan],
    *,
    mode: str = "monthly",
    ratio: str = "0.5",
    status: str = RosterStatus.PUBLISHED,
) -> Roster:
    """A roster of ``unit`` for ``month`` with exactly the days given: its
    problem in the exchange format, the solution, every day of every cadre
    and the entitlements, as a generated version has them."""
    problem = solver.Problem(
        year=month.year,
        month=month.month,
        unit_id=unit.code,
        unit_name=unit.name,
        policy=solver.Policy(mode=mode, min_on_duty_ratio=Decimal(ratio)),
        cadres=tuple(
            solver.Cadre(
                id=cadre_key(cadre.pk),
                office=plan.office or f"科室{cadre.pk}",
                away=tuple(plan.away),
                carry_days=plan.carry_days,
                pinned=tuple(plan.pinned),
            )
            for cadre, plan in plans.items()
        ),
    )
    roster = Roster.objects.create(unit=unit, month=month, status=status, version=1)
    rest = {cadre_key(cadre.pk): sorted(d.isoformat() for d in plan.rest) for cadre, plan in plans.items()}
    version = RosterVersion.objects.create(
        roster=roster,
        number=1,
        solver_status="feasible",
        problem=solver.problem_to_json(problem),
        solution={"format": SOLUTION_FORMAT, "status": "feasible", "rest": rest, "reasons": []},
    )
    days = []
    for cadre, plan in plans.items():
        away = {d for lo, hi in plan.away for d in month_days(month) if lo <= d <= hi}
        for day in month_days(month):
            kind = DayKind.AWAY if day in away else DayKind.REST if day in plan.rest else DayKind.DUTY
            days.append(RosterDay(version=version, cadre=cadre, date=day, kind=kind, pinned=day in plan.pinned))
    RosterDay.objects.bulk_create(days)
    RosterEntitlement.objects.bulk_create(roster_entitlement_rows(version, solver.month_of(problem)))
    Roster.objects.filter(pk=roster.pk).update(current=version)
    roster.refresh_from_db()
    return roster


def next_free_month(unit: OrgUnit) -> dt.date:
    """A month ahead of today with no roster of ``unit`` yet."""
    month = clock.today().replace(day=1) + relativedelta(months=1)
    taken = set(Roster.objects.filter(unit=unit).values_list("month", flat=True))
    while month in taken:
        month += relativedelta(months=1)
    return month


def two_cadre_roster(unit: OrgUnit, a: Cadre, b: Cadre, month: dt.date | None = None) -> Roster:
    """A published monthly-mode roster ahead of today in which ``a`` rests the
    3rd to the 10th and ``b`` the 15th to the 22nd: swapping them keeps every rule."""
    month = month or next_free_month(unit)
    return hand_roster(
        unit, month, {a: Plan(rest=span(month.replace(day=3), 8)), b: Plan(rest=span(month.replace(day=15), 8))}
    )
