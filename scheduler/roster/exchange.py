"""Exchange format v1 as JSON: problems read and written, solutions read (for `check`).

The JSON types are checked here, with the same field paths as `Problem`'s own
validation (`problem.py`), which every problem built here then passes through.
Decimals are read exactly (0.7 stays 7/10), as the checker reads them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .problem import (
    MODES,
    PROBLEM_FORMAT,
    SOLUTION_FORMAT,
    STATUSES,
    Cadre,
    History,
    Policy,
    Problem,
    ProblemError,
    exact,
)

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
