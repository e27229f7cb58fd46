"""Database rows → the roster problem of exchange format v1 (docs/roster-format.md).

The problem for a unit and month is built from: the policy in force for the
month, the month's desirable days from the holiday calendar, the cadres
working in the unit (office, leader flag), their absences (available span and
``away``), the rest owed from recalls (``carry_days``), the days the secretary
pinned, their rest requests (``prefer`` / ``avoid`` / ``hardship``) and the
desirable days they rested in the last three published months (``history``).

Cadre ids in the problem are ``c<pk>``, so the solver's reasons, which quote
them, can be shown with names (``reasons_for_people``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import F
from django.utils.translation import gettext as _

from cadrecare.core.errors import DomainError
from cadrecare.org.models import Cadre, OrgUnit
from cadrecare.rotation.choices import DayKind, MissedRestStatus, Mode, RosterStatus
from cadrecare.rotation.holiday_calendar import MonthCalendar, month_calendar, month_days
from cadrecare.rotation.models import (
    Absence,
    MissedRest,
    Recall,
    RestRequest,
    Roster,
    RosterDay,
    RosterEntitlement,
    RotationPolicy,
)
from cadrecare.rotation.selectors import policy_in_force, principal_leaders, rest_reducing_kinds, rostered_cadres
from scheduler import roster

# Apps that know of a cadre's hardship register here when Django starts (the care app: an open
# hardship case); rotation imports none of them, so care, which reads absences, may import rotation.
# Each takes cadre ids and returns those of them in hardship.
hardship_sources: list[Callable[[Sequence[int]], Iterable[int]]] = []

HISTORY_MONTHS = 3
HALF_MONTH_BLOCK = 4
HALF_MONTH_END = 15  # the first half is days 1-15
WEEKLY_BLOCK = 2
#: A monthly-mode cadre takes at most this many times the month's days in one block.
MONTHLY_CARRY_FACTOR = 2
NO_OFFICE = "未分科室"
#: A policy's mode as the exchange format names it (the same words, typed as its literals).
EXCHANGE_MODE: dict[str, roster.Mode] = {Mode.WEEKLY: "weekly", Mode.HALF_MONTH: "half_month", Mode.MONTHLY: "monthly"}


def cadre_key(cadre_id: int) -> str:
    return f"c{cadre_id}"


def cadre_pk(key: str) -> int:
    return int(key[1:])


@dataclass(frozen=True)
class BuiltProblem:
    """A solvable problem and what the service needs to read its answer back."""

    problem: roster.Problem
    policy: RotationPolicy
    calendar: MonthCalendar
    names: Mapping[str, str] = field(default_factory=dict)  # problem id -> cadre name
    #: cadre pk -> the part of ``carry_days`` that keeps their entitlement whole
    #: through absences that do not reduce the month's rest (年休假, 事假).
    leave_kept: Mapping[int, int] = field(default_factory=dict)

    @property
    def cadre_ids(self) -> list[int]:
        return [cadre_pk(c.id) for c in self.problem.cadres]


def _clip(start: dt.date, end: dt.date, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date] | None:
    lo, hi = max(start, first), min(end, last)
    return (lo, hi) if lo <= hi else None


def blackout_dates(policy: RotationPolicy, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    days: set[dt.date] = set()
    for span in policy.blackout:
        clipped = _clip(dt.date.fromisoformat(span["from"]), dt.date.fromisoformat(span["to"]), first, last)
        if clipped:
            days.update(clipped[0] + dt.timedelta(days=n) for n in range((clipped[1] - clipped[0]).days + 1))
    return tuple(sorted(days))


def carry_capacity(
    mode: str, entitlement: int, rest_days: int, month: dt.date, available: Collection[dt.date] | None = None
) -> int:
    """How much rest beyond the prorated entitlement a month's shape can still
    hold (docs/roster-format.md, ``carry_days``): half-month holds a block of
    4 in each half with 4 days available; weekly one block of 2 in each
    Monday-Sunday week with two days available in the month; monthly one
    block, kept within twice the policy's rest days and the days available."""
    days = month_days(month)
    free = set(days if available is None else available)
    if mode == Mode.HALF_MONTH:
        halves = (
            sum(1 for d in days if d.day <= HALF_MONTH_END and d in free),
            sum(1 for d in days if d.day > HALF_MONTH_END and d in free),
        )
        total = HALF_MONTH_BLOCK * sum(1 for count in halves if count >= HALF_MONTH_BLOCK)
    elif mode == Mode.WEEKLY:
        weeks: dict[int, int] = defaultdict(int)
        for day in days:
            if day in free:
                weeks[day.isocalendar()[1]] += 1
        total = WEEKLY_BLOCK * sum(1 for count in weeks.values() if count >= WEEKLY_BLOCK)
    else:
        total = min(MONTHLY_CARRY_FACTOR * rest_days, len(free))
    return max(0, total - entitlement)


def prorated_entitlement(rest_days: int, available: int, ndays: int) -> int:
    # Rule 1 without carry: floor(rest_days * a / m + 1/2), exactly.
    return (2 * rest_days * available + ndays) // (2 * ndays)


def _hardship_ids(cadre_ids: Sequence[int], requests: Sequence[RestRequest]) -> set[int]:
    """Cadres who weigh three times: flagged poor health or family hardship on
    one of their requests for the month, or in hardship by any of the
    ``hardship_sources`` (the care app's open hardship cases, when it is installed)."""
    flagged = {r.cadre_id for r in requests if r.poor_health or r.family_hardship}
    for source in hardship_sources:
        flagged |= set(source(cadre_ids))
    return flagged


def owed_rest(unit: OrgUnit, cadre_ids: Sequence[int], month: dt.date) -> dict[int, int]:
    """Rest still owed before ``month``: recalled days and rest days spent
    away (``MissedRest`` still owed), less what earlier published rosters of
    the unit already carried to pay them back (their entitlement rows say
    how much, apart from what kept annual leave whole)."""
    lost: dict[int, int] = defaultdict(int)
    for cadre_id, days in Recall.objects.filter(cadre_id__in=cadre_ids, date__lt=month).values_list(
        "cadre_id", "days_lost"
    ):
        lost[cadre_id] += days
    missed = MissedRest.objects.filter(
        cadre_id__in=cadre_ids, month__lt=month, status=MissedRestStatus.OWED, owed__gt=0
    ).values_list("cadre_id", "owed")
    for cadre_id, days in missed:
        lost[cadre_id] += days
    if not lost:
        return {}
    carried: dict[int, int] = defaultdict(int)
    rows = RosterEntitlement.objects.filter(
        version__roster__unit=unit,
        version__roster__month__lt=month,
        version__roster__status__in=[RosterStatus.PUBLISHED, RosterStatus.LOCKED],
        version__roster__current=F("version"),
        cadre_id__in=list(lost),
    ).values_list("cadre_id", "carry_days", "leave_kept")
    for cadre_id, carry, kept in rows:
        carried[cadre_id] += carry - kept
    return {cadre_id: max(0, days - carried[cadre_id]) for cadre_id, days in lost.items()}


def desirable_rest_by_month(unit: OrgUnit, cadre_ids: Sequence[int], month: dt.date) -> dict[int, dict[dt.date, int]]:
    """Per cadre and month: the desirable days rested on the unit's published
    rosters of the three months before ``month`` (a month the cadre was on
    the roster counts, with 0 when they rested no such day)."""
    since = month - relativedelta(months=HISTORY_MONTHS)
    rosters = list(
        Roster.objects.filter(
            unit=unit,
            month__gte=since,
            month__lt=month,
            status__in=[RosterStatus.PUBLISHED, RosterStatus.LOCKED],
            current__isnull=False,
        ).values_list("current_id", "month")
    )
    if not rosters:
        return {}
    desirable = {version: set(month_calendar(m.year, m.month).desirable) for version, m in rosters}
    months = dict(rosters)
    rested: dict[int, dict[dt.date, int]] = defaultdict(dict)
    days = RosterDay.objects.filter(version_id__in=desirable, cadre_id__in=cadre_ids).values_list(
        "version_id", "cadre_id", "date", "kind"
    )
    for version, cadre_id, date, kind in days:
        count = rested[cadre_id].setdefault(months[version], 0)
        if kind == DayKind.REST and date in desirable[version]:
            rested[cadre_id][months[version]] = count + 1
    return dict(rested)


def desirable_history(unit: OrgUnit, cadre_ids: Sequence[int], month: dt.date) -> dict[int, tuple[int, int]]:
    """Per cadre: desirable days rested and months counted, over the unit's
    published rosters of the last three months (the fairness history)."""
    return {
        cadre_id: (sum(by_month.values()), len(by_month))
        for cadre_id, by_month in desirable_rest_by_month(unit, cadre_ids, month).items()
    }


def roster_problem_build(
    *, unit: OrgUnit, month: dt.date, pinned: Mapping[int, Sequence[dt.date]] | None = None
) -> BuiltProblem:
    """The exchange-format problem for ``unit`` in ``month`` (see module doc).

    Raises DomainError when the unit has no policy for the month or no cadres.
    """
    policy = policy_in_force(unit=unit, month=month)
    if policy is None:
        raise DomainError(
            _("%(name)s 及其上级单位在 %(month)s 都没有轮休政策，请先设置。")
            % {"name": unit.name, "month": format(month, "%Y-%m")},
            field="unit",
        )
    cadres: list[Cadre] = list(rostered_cadres(unit=unit))
    if not cadres:
        raise DomainError(_("%(name)s 没有在职干部，无需排班。") % {"name": unit.name}, field="unit")
    days = month_days(month)
    first, last = days[0], days[-1]
    ids = [c.pk for c in cadres]
    calendar = month_calendar(month.year, month.month)

    away: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    reducing_away: dict[int, set[dt.date]] = defaultdict(set)
    reducing = rest_reducing_kinds(unit=unit, month=month)
    for absence in Absence.objects.filter(cadre_id__in=ids, start__lte=last, end__gte=first).order_by("start"):
        clipped = _clip(absence.start, absence.end, first, last)
        if clipped:
            away[absence.cadre_id].append(clipped)
            if absence.kind in reducing:
                reducing_away[absence.cadre_id].update(d for d in days if clipped[0] <= d <= clipped[1])
    requests = list(RestRequest.objects.filter(cadre_id__in=ids, start__lte=last, end__gte=first))
    prefer: dict[int, set[dt.date]] = defaultdict(set)
    avoid: dict[int, set[dt.date]] = defaultdict(set)
    for request in requests:
        clipped = _clip(request.start, request.end, first, last)
        target = prefer if request.kind == "prefer" else avoid
        if clipped:
            target[request.cadre_id].update(d for d in days if clipped[0] <= d <= clipped[1])
    hardship = _hardship_ids(ids, requests)
    owed = owed_rest(unit, ids, month)
    history = desirable_history(unit, ids, month)
    pinned = pinned or {}

    problem_cadres = []
    leave_kept: dict[int, int] = {}
    for cadre in cadres:
        available_from = cadre.unit_joined if cadre.unit_joined and first < cadre.unit_joined <= last else None
        away_days = {d for lo, hi in away[cadre.pk] for d in days if lo <= d <= hi}
        in_post = [d for d in days if available_from is None or d >= available_from]
        free = [d for d in in_post if d not in away_days]
        available = len(free)
        entitlement = prorated_entitlement(policy.rest_days, available, len(days))
        # Rule 1 prorates by every away day; an absence that does not reduce
        # the month's rest has its share given back as carried days.
        counted = sum(1 for d in in_post if d not in reducing_away[cadre.pk])
        whole = prorated_entitlement(policy.rest_days, counted, len(days))
        room = carry_capacity(policy.mode, entitlement, policy.rest_days, month, free)
        kept = min(max(0, whole - entitlement), room)
        carry = kept + min(owed.get(cadre.pk, 0), room - kept)
        if available and kept:
            leave_kept[cadre.pk] = kept
        rested, months = history.get(cadre.pk, (0, 0))
        problem_cadres.append(
            roster.Cadre(
                id=cadre_key(cadre.pk),
                office=cadre.office.name if cadre.office else f"{NO_OFFICE}{cadre.pk}",
                leader=cadre.is_leader,
                available_from=available_from,
                available_to=None,
                away=tuple(away[cadre.pk]),
                carry_days=carry if available else 0,
                pinned=tuple(sorted(d for d in pinned.get(cadre.pk, ()) if first <= d <= last)),
                hardship=cadre.pk in hardship,
                prefer=tuple(sorted(prefer[cadre.pk])),
                avoid=tuple(sorted(avoid[cadre.pk] - prefer[cadre.pk])),
                history=roster.History(desirable_rest_days=rested, months=months),
            )
        )

    pairs: list[tuple[str, str]] = []
    present = set(ids)
    if policy.principal_leaders_apart and (principals := principal_leaders(cadres)):
        pairs.append((cadre_key(principals[0].pk), cadre_key(principals[1].pk)))
    for a, b in policy.never_together:
        pair = (cadre_key(a), cadre_key(b))
        if a in present and b in present and pair not in pairs and pair[::-1] not in pairs:
            pairs.append(pair)
    problem = roster.Problem(
        year=month.year,
        month=month.month,
        unit_id=unit.code,
        unit_name=unit.name,
        policy=roster.Policy(
            mode=EXCHANGE_MODE[policy.mode],
            rest_days=policy.rest_days,
            min_on_duty_ratio=Decimal(policy.min_on_duty_ratio),
            min_leaders_on_duty=policy.min_leaders_on_duty,
            min_on_duty_per_office=policy.min_on_duty_per_office,
            never_together=tuple(pairs),
            blackout=blackout_dates(policy, first, last),
        ),
        desirable=calendar.desirable,
        cadres=tuple(problem_cadres),
    )
    return BuiltProblem(
        problem=problem,
        policy=policy,
        calendar=calendar,
        names={cadre_key(c.pk): c.name for c in cadres},
        leave_kept=leave_kept,
    )


_CADRE_KEY = re.compile(r"(?<![A-Za-z0-9])c(\d+)(?!\d)")


def with_names(text: str, names: Mapping[str, str]) -> str:
    """A sentence of the solver library with its cadre ids (``c12``) replaced by names."""
    return _CADRE_KEY.sub(lambda m: names.get(m.group(0), m.group(0)), text)


def reasons_for_people(reasons: Sequence[roster.Reason], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The solver's reasons with cadre ids replaced by names, for the secretary."""
    return [
        {
            "rule": r.rule,
            "message": with_names(r.zh, names),
            "message_en": with_names(r.en, names),
            "dates": [d.isoformat() for d in r.dates],
            "cadres": [cadre_pk(c) for c in r.cadres if c in names],
            "offices": list(r.offices),
        }
        for r in reasons
    ]


def problem_json(built: BuiltProblem) -> dict[str, Any]:
    """The problem in exchange format v1, exactly."""
    return roster.problem_to_json(built.problem)


def problem_from_stored(doc: Mapping[str, Any]) -> roster.Problem:
    """A roster version's stored problem (``problem_json`` as saved) as the solver reads it."""
    return roster.problem_from_json(roster.loads_json(json.dumps(doc)))
