"""Exchange format v1 in and out: problems round-trip, and bad input names the field at fault."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from scheduler.roster import (
    Cadre,
    Policy,
    Problem,
    ProblemError,
    load_problem,
    loads_json,
    problem_from_json,
    problem_to_json,
)
from tests.scheduler.roster.conftest import OWN_EXAMPLES


@pytest.mark.parametrize("name", OWN_EXAMPLES)
def test_an_example_round_trips_through_json(examples: Path, name: str) -> None:
    problem = load_problem(str(examples / f"{name}.json"))
    again = problem_from_json(loads_json(json.dumps(problem_to_json(problem), ensure_ascii=False)))
    assert again == problem


def test_the_duty_ratio_is_exact_whatever_number_type_the_caller_uses() -> None:
    for ratio in (0.7, Decimal("0.7"), Fraction(7, 10)):
        policy = Policy(mode="weekly", min_on_duty_ratio=ratio)
        assert policy.ratio == Fraction(7, 10)


def test_desirable_dates_default_to_the_weekends() -> None:
    problem = Problem(year=2027, month=3, policy=Policy(mode="weekly", min_on_duty_ratio=0), cadres=())
    assert problem.desirable_dates()[:2] == (dt.date(2027, 3, 6), dt.date(2027, 3, 7))
    assert len(problem.desirable_dates()) == 8


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pinned": (dt.date(2027, 4, 1),)}, "cadres[1].pinned[0]"),
        ({"id": "c0"}, "cadres[1].id"),
        ({"carry_days": -1}, "cadres[1].carry_days"),
        ({"away": ((dt.date(2027, 3, 9), dt.date(2027, 3, 2)),)}, "cadres[1].away[0]"),
    ],
)
def test_a_problem_built_in_code_names_the_field_at_fault(change: dict[str, object], field: str) -> None:
    cadres = (Cadre(id="c0", office="党政办"), Cadre(**{"id": "c1", "office": "党政办", **change}))  # type: ignore[arg-type]
    with pytest.raises(ProblemError) as caught:
        Problem(year=2027, month=3, policy=Policy(mode="weekly", min_on_duty_ratio=0.6), cadres=cadres)
    assert caught.value.field == field and field in str(caught.value)


def test_an_unknown_never_together_cadre_is_refused() -> None:
    with pytest.raises(ProblemError, match="unknown cadre 'x'"):
        Problem(
            year=2027,
            month=3,
            cadres=(Cadre(id="c0", office="党政办"),),
            policy=Policy(mode="weekly", min_on_duty_ratio=0.6, never_together=(("c0", "x"),)),
        )


def test_a_json_problem_with_a_float_where_an_integer_belongs_names_it() -> None:
    doc = {
        "format": "cadrecare.roster-problem/1",
        "month": "2027-03",
        "policy": {"mode": "weekly", "rest_days": 7.5, "min_on_duty_ratio": 0.6},
        "cadres": [],
    }
    with pytest.raises(ProblemError, match="policy.rest_days: expected an integer"):
        problem_from_json(loads_json(json.dumps(doc)))
