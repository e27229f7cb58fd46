"""The roster problem and its solution, mirroring exchange format v1.

`docs/roster-format.md` describes the format.  Everything here is a frozen dataclass; `Problem` validates
itself on construction so that a problem built from database rows and one read
from JSON are held to the same rules, and every `ProblemError` names the field
at fault with the same path the JSON would have (`cadres[3].pinned[0]`).
Reading and writing the JSON documents is `exchange.py`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, get_args

PROBLEM_FORMAT = "cadrecare.roster-problem/1"
SOLUTION_FORMAT = "cadrecare.roster-solution/1"

Mode = Literal["weekly", "half_month", "monthly"]
Status = Literal["optimal", "feasible", "infeasible"]
MODES: tuple[str, ...] = get_args(Mode)
STATUSES: tuple[str, ...] = get_args(Status)

#: Exact numbers as accepted from callers: floats go through their shortest
#: repr so that 0.7 means 7/10, as the checker reads the JSON decimal.
Number = int | Fraction | Decimal | float


class ProblemError(ValueError):
    """A problem or solution does not follow the exchange format.

    `field` is the path of the offending value (`policy.mode`,
    `cadres[2].away[0]`); `str()` gives a message fit for a person.
    """

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}" if field_path else message)
        self.field = field_path
        self.message = message


def exact(value: Number) -> Fraction:
    """The exact rational a number stands for (floats by their decimal repr)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


# --------------------------------------------------------------------------
# Problem
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """Desirable days rested over the last `months` months (fairness metric)."""

    desirable_rest_days: Number = 0
    months: int = 0


@dataclass(frozen=True)
class Cadre:
    """One cadre of the township; dates outside the month are clipped as the checker does."""

    id: str
    office: str
    leader: bool = False
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    away: tuple[tuple[dt.date, dt.date], ...] = ()
    carry_days: int = 0
    pinned: tuple[dt.date, ...] = ()
    hardship: bool = False
    prefer: tuple[dt.date, ...] = ()
    avoid: tuple[dt.date, ...] = ()
    history: History = field(default_factory=History)


@dataclass(frozen=True)
class Policy:
    """The township's rest policy (hard rules 2-7)."""

    mode: Mode
    min_on_duty_ratio: Number
    rest_days: int = 8
    min_leaders_on_duty: int = 0
    min_on_duty_per_office: int = 0
    never_together: tuple[tuple[str, str], ...] = ()
    blackout: tuple[dt.date, ...] = ()

    @property
    def ratio(self) -> Fraction:
        """min_on_duty_ratio as an exact fraction (rule 4)."""
        return exact(self.min_on_duty_ratio)


@dataclass(frozen=True)
class Problem:
    """A township's roster problem for one month (format v1).

    `desirable=None` means every Saturday and Sunday of the month.
    """

    year: int
    month: int
    policy: Policy
    cadres: tuple[Cadre, ...]
    unit_id: str = ""
    unit_name: str = ""
    desirable: tuple[dt.date, ...] | None = None

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def month_label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def ndays(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def desirable_dates(self) -> tuple[dt.date, ...]:
        """The desirable dates, defaulting to the month's weekends."""
        if self.desirable is not None:
            return self.desirable
        days = (dt.date(self.year, self.month, d) for d in range(1, self.ndays + 1))
        return tuple(d for d in days if d.weekday() >= 5)


def _validate(problem: Problem) -> None:
    """The checks of roster_check.parse_problem that do not concern JSON types."""
    if not (1 <= problem.month <= 12 and 1 <= problem.year <= 9999):
        raise ProblemError("month", f"not a month: {problem.year}-{problem.month}")
    in_month = _month_guard(problem.year, problem.month)
    policy = problem.policy
    if policy.mode not in MODES:
        raise ProblemError("policy.mode", f"expected one of {', '.join(MODES)}, got {policy.mode!r}")
    for name in ("rest_days", "min_leaders_on_duty", "min_on_duty_per_office"):
        _non_negative_int(getattr(policy, name), f"policy.{name}")
    try:
        ratio = policy.ratio
    except (TypeError, ValueError, ArithmeticError):
        raise ProblemError("policy.min_on_duty_ratio", "expected a finite number") from None
    if not 0 <= ratio <= 1:
        raise ProblemError("policy.min_on_duty_ratio", "must lie between 0 and 1")
    for i, day in enumerate(policy.blackout):
        in_month(day, f"policy.blackout[{i}]")
    for i, day in enumerate(problem.desirable or ()):
        in_month(day, f"desirable[{i}]")

    seen: set[str] = set()
    for i, cadre in enumerate(problem.cadres):
        at = f"cadres[{i}]"
        if not isinstance(cadre.id, str) or not cadre.id:
            raise ProblemError(f"{at}.id", "expected a non-empty string")
        if cadre.id in seen:
            raise ProblemError(f"{at}.id", f"duplicate cadre id {cadre.id!r}")
        seen.add(cadre.id)
        if not isinstance(cadre.office, str) or not cadre.office:
            raise ProblemError(f"{at}.office", "expected a non-empty string")
        if cadre.available_from and cadre.available_to and cadre.available_from > cadre.available_to:
            raise ProblemError(f"{at}.available_from", "is after available_to")
        for j, (lo, hi) in enumerate(cadre.away):
            if lo > hi:
                raise ProblemError(f"{at}.away[{j}]", "from is after to")
        _non_negative_int(cadre.carry_days, f"{at}.carry_days")
        for name in ("pinned", "prefer", "avoid"):
            for j, day in enumerate(getattr(cadre, name)):
                in_month(day, f"{at}.{name}[{j}]")
        _non_negative_int(cadre.history.months, f"{at}.history.months")
        if exact(cadre.history.desirable_rest_days) < 0:
            raise ProblemError(f"{at}.history.desirable_rest_days", "must not be negative")

    for i, pair in enumerate(policy.never_together):
        at = f"policy.never_together[{i}]"
        if len(pair) != 2:
            raise ProblemError(at, "expected a pair of cadre ids")
        for cid in pair:
            if cid not in seen:
                raise ProblemError(at, f"unknown cadre {cid!r}")
        if pair[0] == pair[1]:
            raise ProblemError(at, "a pair needs two different cadres")


def _month_guard(year: int, month: int) -> Callable[[dt.date, str], None]:
    def check(day: dt.date, where: str) -> None:
        if (day.year, day.month) != (year, month):
            raise ProblemError(where, f"{day.isoformat()} is outside {year:04d}-{month:02d}")

    return check


def _non_negative_int(value: object, where: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProblemError(where, "expected an integer")
    if value < 0:
        raise ProblemError(where, "must be at least 0")


# --------------------------------------------------------------------------
# Solution
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    """The four quality metrics of roster-problem.md (metrics v2), in order of importance.

    desirable_rest is better higher; the other three are better lower.
    """

    preference_penalty: int
    desirable_rest: int
    fairness_spread: Fraction
    smoothness: int

    def to_json(self) -> dict[str, Any]:
        # Six decimals, as roster_check prints them.
        return {
            "preference_penalty": self.preference_penalty,
            "desirable_rest": self.desirable_rest,
            "fairness_spread": round(float(self.fairness_spread), 6),
            "smoothness": self.smoothness,
        }

    def rank(self) -> tuple[int, int, Fraction, int]:
        """A key under which a smaller value is a better roster (lexicographic, v2 order)."""
        return (self.preference_penalty, -self.desirable_rest, self.fairness_spread, self.smoothness)


@dataclass(frozen=True)
class Reason:
    """Why no roster exists: Chinese for the secretary first, English after.

    `rule` is the roster-problem.md hard rule number (0 for a problem that
    breaks no single rule but the policy as a whole).
    """

    rule: int
    zh: str
    en: str
    dates: tuple[dt.date, ...] = ()
    cadres: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.zh}（{self.en}）"


@dataclass(frozen=True)
class Solution:
    """A solved roster: `rest` maps every cadre id to its rest dates in order.

    `status` is `optimal` (proved best, lexicographically), `feasible` (valid,
    not proved best) or `infeasible` (no valid roster exists; `rest` is empty,
    `metrics` is None and `reasons` says why).  `proved` names the quality
    terms whose stage was proved optimal, in order (the roster is `optimal`
    when all four are); it is not part of the exchange format.
    """

    status: Status
    rest: Mapping[str, tuple[dt.date, ...]]
    metrics: Metrics | None
    reasons: tuple[Reason, ...] = ()
    proved: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SOLUTION_FORMAT,
            "status": self.status,
            "rest": {cid: [d.isoformat() for d in days] for cid, days in self.rest.items()},
            "metrics": self.metrics.to_json() if self.metrics else None,
            "reasons": [str(r) for r in self.reasons],
        }
