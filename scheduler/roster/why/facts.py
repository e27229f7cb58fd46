"""What an explanation is made of: notes, wishes, a cadre's and a date's facts,
and the names of the quality metrics and rotation modes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Verdict = Literal["better", "worse", "same"]

#: The quality metrics of roster-problem.md (v2) in their order of importance,
#: named for the secretary; desirable_rest alone is better higher.
METRIC_NAMES: dict[str, tuple[str, str]] = {
    "preference_penalty": ("休息意愿未满足数（困难干部按三倍计）", "wishes not met (hardship counted three times)"),
    "desirable_rest": ("周末和节假日休息人次", "weekend and holiday rest days"),
    "fairness_spread": ("周末节假日休息的月均差距", "spread of weekend and holiday rest per month"),
    "smoothness": ("工作日休息人数的起伏", "spread of rest on workdays"),
}
HIGHER_IS_BETTER = frozenset({"desirable_rest"})
MODE_NAMES: dict[str, tuple[str, str]] = {
    "weekly": ("周轮休", "weekly rotation"),
    "half_month": ("半月轮休", "half-month rotation"),
    "monthly": ("月轮休", "monthly rotation"),
}


@dataclass(frozen=True)
class Note:
    """One fact about a roster in a sentence. `rule` is the hard rule of
    roster-problem.md it is about (0: the quality metrics, or none)."""

    topic: str
    zh: str
    en: str
    rule: int = 0
    dates: tuple[dt.date, ...] = ()
    cadres: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricChange:
    """One quality metric before and after a change, and which way it went."""

    name: str
    before: int | Fraction
    after: int | Fraction
    verdict: Verdict


@dataclass(frozen=True)
class Wish:
    """A date a cadre asked to rest (`prefer`) or not to rest (`avoid`), whether
    the roster honours it, and why. When a move of one block honouring it keeps
    every rule, `alternative` is the cadre's rest under that move and `costs`
    what it does to the metrics."""

    date: dt.date
    kind: Literal["prefer", "avoid"]
    honoured: bool
    why: Note
    alternative: tuple[dt.date, ...] = ()
    costs: tuple[MetricChange, ...] = ()


@dataclass(frozen=True)
class CadreWhy:
    """A cadre's month: rest blocks, what rule 1 entitles them to, their
    weekend and holiday rest against the township's, their wishes and the rules
    that bind them (`notes`)."""

    cadre: str
    rest: tuple[dt.date, ...]
    blocks: tuple[tuple[dt.date, dt.date], ...]
    available_days: int
    carry_days: int
    entitled: int
    desirable_rested: tuple[dt.date, ...]
    history_days: Fraction
    history_months: int
    rate: Fraction
    lowest_rate: Fraction
    highest_rate: Fraction
    wishes: tuple[Wish, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class OfficeDay:
    """Rule 6 on one date for one office."""

    office: str
    available: int
    on_duty: int
    need: int


@dataclass(frozen=True)
class DateWhy:
    """One date: who can be planned, who rests and who is away, what rules 4-6
    require, and why this many rest (`notes`)."""

    date: dt.date
    kind: Literal["desirable", "workday", "blackout"]
    available: tuple[str, ...]
    resting: tuple[str, ...]
    away: tuple[str, ...]
    need_on_duty: int
    leaders_available: int
    leaders_on_duty: int
    leaders_need: int
    offices: tuple[OfficeDay, ...]
    notes: tuple[Note, ...]
