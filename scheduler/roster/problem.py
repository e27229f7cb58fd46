"""The roster problem and its solution, mirroring exchange format v1.

`docs/roster-format.md` describes the format.  Everything here is a frozen dataclass; `Problem` validates
itself on construction so that a problem built from database rows and one read
from JSON are held to the same rules, and every `ProblemError` names the field
at fault with the same path the JSON would have (`cadres[3].pinned[0]`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
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


# --------------------------------------------------------------------------
# JSON in
# --------------------------------------------------------------------------


def loads_json(text: str | bytes, what: str = "problem") -> Any:
    """Parse JSON keeping decimals exact (0.7 stays 7/10)."""
    try:
        return json.loads(text, parse_float=Decimal)
    except UnicodeDecodeError:
        raise ProblemError("", f"{what}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ProblemError("", f"{what}: not JSON ({exc.msg} at line {exc.lineno})") from None


def load_problem(path: str) -> Problem:
    """Read a problem file; raises ProblemError (also for an unreadable file)."""
    return problem_from_json(read_json(path, "problem"))


def read_json(path: str, what: str) -> Any:
    """Read a JSON file with exact decimals; ProblemError names `what` and the path."""
    try:
        with open(path, "rb") as handle:
            return loads_json(handle.read(), f"{what} {path}")
    except OSError as exc:
        raise ProblemError("", f"{what} {path}: cannot read ({exc.strerror})") from None


def problem_from_json(doc: Any) -> Problem:
    """Build a Problem from a parsed format-v1 document."""
    doc = _obj(doc, "")
    if doc.get("format") != PROBLEM_FORMAT:
        raise ProblemError("format", f"expected {PROBLEM_FORMAT!r}")
    unit = _obj(doc.get("unit", {}), "unit")
    year, month = _month(doc.get("month"))
    pol = _obj(doc.get("policy"), "policy")
    mode = pol.get("mode")
    if mode not in MODES:
        raise ProblemError("policy.mode", f"expected one of {', '.join(MODES)}")
    policy = Policy(
        mode=mode,
        rest_days=_int(pol.get("rest_days"), "policy.rest_days"),
        min_on_duty_ratio=_number(pol.get("min_on_duty_ratio"), "policy.min_on_duty_ratio"),
        min_leaders_on_duty=_int(pol.get("min_leaders_on_duty", 0), "policy.min_leaders_on_duty"),
        min_on_duty_per_office=_int(pol.get("min_on_duty_per_office", 0), "policy.min_on_duty_per_office"),
        never_together=tuple(
            _pair(p, f"policy.never_together[{i}]")
            for i, p in enumerate(_list(pol.get("never_together", []), "policy.never_together"))
        ),
        blackout=_dates(pol.get("blackout", []), "policy.blackout"),
    )
    desirable = _dates(doc["desirable"], "desirable") if "desirable" in doc else None
    cadres = tuple(_cadre(raw, f"cadres[{i}]") for i, raw in enumerate(_list(doc.get("cadres"), "cadres")))
    return Problem(
        year=year,
        month=month,
        policy=policy,
        cadres=cadres,
        unit_id=str(unit.get("id", "")),
        unit_name=str(unit.get("name", "")),
        desirable=desirable,
    )


def _cadre(raw: Any, at: str) -> Cadre:
    raw = _obj(raw, at)
    history = _obj(raw.get("history", {}), f"{at}.history")
    return Cadre(
        id=_str(raw.get("id"), f"{at}.id"),
        office=_str(raw.get("office"), f"{at}.office"),
        leader=_bool(raw.get("leader", False), f"{at}.leader"),
        available_from=_opt_date(raw.get("available_from"), f"{at}.available_from"),
        available_to=_opt_date(raw.get("available_to"), f"{at}.available_to"),
        away=tuple(_range(r, f"{at}.away[{j}]") for j, r in enumerate(_list(raw.get("away", []), f"{at}.away"))),
        carry_days=_int(raw.get("carry_days", 0), f"{at}.carry_days"),
        pinned=_dates(raw.get("pinned", []), f"{at}.pinned"),
        hardship=_bool(raw.get("hardship", False), f"{at}.hardship"),
        prefer=_dates(raw.get("prefer", []), f"{at}.prefer"),
        avoid=_dates(raw.get("avoid", []), f"{at}.avoid"),
        history=History(
            desirable_rest_days=_number(history.get("desirable_rest_days", 0), f"{at}.history.desirable_rest_days"),
            months=_int(history.get("months", 0), f"{at}.history.months"),
        ),
    )


def _month(value: Any) -> tuple[int, int]:
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        year, month = value[:4], value[5:]
        if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
            return int(year), int(month)
    raise ProblemError("month", f"expected 'YYYY-MM', got {value!r}")


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProblemError(where, "expected an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ProblemError(where, "expected a list")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemError(where, "expected a non-empty string")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ProblemError(where, "expected true or false")
    return value


def _int(value: Any, where: str) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProblemError(where, "expected an integer")
    if value < 0:
        raise ProblemError(where, "must be at least 0")
    return value


def _number(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ProblemError(where, "expected a number")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ProblemError(where, "expected a finite number")
    return Fraction(value)


def _date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise ProblemError(where, "expected a date string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ProblemError(where, f"not a date: {value!r}") from None


def _opt_date(value: Any, where: str) -> dt.date | None:
    return None if value is None else _date(value, where)


def _dates(values: Any, where: str) -> tuple[dt.date, ...]:
    return tuple(_date(v, f"{where}[{i}]") for i, v in enumerate(_list(values, where)))


def _range(value: Any, where: str) -> tuple[dt.date, dt.date]:
    if not isinstance(value, list) or len(value) != 2:
        raise ProblemError(where, "expected a pair [from, to]")
    return _date(value[0], where), _date(value[1], where)


def _pair(value: Any, where: str) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2:
        raise ProblemError(where, "expected a pair of cadre ids")
    return _str(value[0], where), _str(value[1], where)


# --------------------------------------------------------------------------
# JSON out, and solutions in (for `check`)
# --------------------------------------------------------------------------


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """The format-v1 document of a problem (the inverse of problem_from_json)."""
    pol = problem.policy
    doc: dict[str, Any] = {
        "format": PROBLEM_FORMAT,
        "unit": {"id": problem.unit_id, "name": problem.unit_name},
        "month": problem.month_label,
        "policy": {
            "mode": pol.mode,
            "rest_days": pol.rest_days,
            "min_on_duty_ratio": _json_number(pol.ratio),
            "min_leaders_on_duty": pol.min_leaders_on_duty,
            "min_on_duty_per_office": pol.min_on_duty_per_office,
            "never_together": [list(p) for p in pol.never_together],
            "blackout": _isos(pol.blackout),
        },
        "cadres": [_cadre_to_json(c) for c in problem.cadres],
    }
    if problem.desirable is not None:
        doc["desirable"] = _isos(problem.desirable)
    return doc


def _cadre_to_json(cadre: Cadre) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": cadre.id, "leader": cadre.leader, "office": cadre.office}
    if cadre.available_from:
        doc["available_from"] = cadre.available_from.isoformat()
    if cadre.available_to:
        doc["available_to"] = cadre.available_to.isoformat()
    doc["away"] = [[lo.isoformat(), hi.isoformat()] for lo, hi in cadre.away]
    doc["carry_days"] = cadre.carry_days
    doc["pinned"] = _isos(cadre.pinned)
    doc["hardship"] = cadre.hardship
    doc["prefer"] = _isos(cadre.prefer)
    doc["avoid"] = _isos(cadre.avoid)
    doc["history"] = {
        "desirable_rest_days": _json_number(exact(cadre.history.desirable_rest_days)),
        "months": cadre.history.months,
    }
    return doc


def _isos(days: Iterable[dt.date]) -> list[str]:
    return [d.isoformat() for d in days]


def _json_number(value: Fraction) -> int | float:
    # A float whose repr is the exact decimal whenever one exists (0.7 -> 0.7).
    return value.numerator if value.denominator == 1 else float(value)


def solution_from_json(doc: Any, problem: Problem) -> tuple[str, dict[str, tuple[dt.date, ...]]]:
    """Status and rest dates of a format-v1 solution, shape-checked like roster_check."""
    doc = _obj(doc, "")
    if doc.get("format") != SOLUTION_FORMAT:
        raise ProblemError("format", f"expected {SOLUTION_FORMAT!r}")
    status = doc.get("status")
    if status not in STATUSES:
        raise ProblemError("status", f"expected one of {', '.join(STATUSES)}")
    ids = {c.id for c in problem.cadres}
    rest: dict[str, tuple[dt.date, ...]] = {}
    for cid, dates in _obj(doc.get("rest", {}), "rest").items():
        at = f"rest[{cid!r}]"
        if cid not in ids:
            raise ProblemError(at, "the problem has no such cadre")
        parsed = _dates(dates, at)
        if len(set(parsed)) != len(parsed):
            raise ProblemError(at, "lists a date twice")
        rest[cid] = tuple(sorted(parsed))
    _list(doc.get("reasons", []), "reasons")
    return status, rest
