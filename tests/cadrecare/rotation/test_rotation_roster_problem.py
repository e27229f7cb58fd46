"""Rosters in the service: the problem built from the database is the exchange
format exactly, its calendar from the holidays; no policy, no problem."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from cadrecare.core.errors import DomainError
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import AbsenceKind, RequestKind
from cadrecare.rotation.models import Absence, Recall, RestRequest, RotationPolicy
from cadrecare.rotation.problem import cadre_key, problem_json, roster_problem_build
from scheduler.roster import loads_json, problem_from_json
from tests.cadrecare.rotation.conftest import MARCH_2027, build_township


def test_the_problem_carries_policy_calendar_absences_requests_and_recalls(cast: Any, township: list[Cadre]) -> None:
    # given the township's secretary on training 10-12 March, a hardship request,
    # a recall owing 2 days, and a county blackout for flood prevention on 5 March
    secretary, head, deputy, clerk = township[0], township[1], township[2], township[5]
    Absence.objects.create(
        cadre=secretary, kind=AbsenceKind.TRAINING, start=dt.date(2027, 3, 10), end=dt.date(2027, 3, 12)
    )
    RestRequest.objects.create(
        cadre=clerk,
        kind=RequestKind.PREFER,
        start=dt.date(2027, 3, 20),
        end=dt.date(2027, 3, 21),
        reason="母亲住院",
        family_hardship=True,
    )
    RestRequest.objects.create(
        cadre=deputy, kind=RequestKind.AVOID, start=dt.date(2027, 3, 8), end=dt.date(2027, 3, 8), reason="督查"
    )
    Recall.objects.create(cadre=deputy, date=dt.date(2027, 2, 6), days_lost=2, reason="森林火情")
    RotationPolicy.objects.filter(unit=cast.county_a).update(
        blackout=[{"from": "2027-03-05", "to": "2027-03-05", "reason": "防汛"}]
    )

    # when the problem is built and exported
    built = roster_problem_build(unit=cast.town_a2, month=MARCH_2027)
    doc = problem_json(built)

    # then it is the exchange format exactly, as a reader of the file parses it
    parsed = problem_from_json(loads_json(json.dumps(doc)))
    assert len(parsed.cadres) == 12
    assert doc["month"] == "2027-03" and doc["unit"] == {"id": cast.town_a2.code, "name": "鲁甸乡"}
    assert doc["policy"]["mode"] == "weekly" and doc["policy"]["min_on_duty_ratio"] == 0.6
    assert doc["policy"]["blackout"] == ["2027-03-05"]
    assert doc["policy"]["never_together"] == [[cadre_key(secretary.pk), cadre_key(head.pk)]]
    by_id = {c["id"]: c for c in doc["cadres"]}
    assert by_id[cadre_key(secretary.pk)]["away"] == [["2027-03-10", "2027-03-12"]]
    assert by_id[cadre_key(secretary.pk)]["leader"] is True
    assert by_id[cadre_key(clerk.pk)]["hardship"] is True
    assert by_id[cadre_key(clerk.pk)]["prefer"] == ["2027-03-20", "2027-03-21"]
    assert by_id[cadre_key(deputy.pk)]["avoid"] == ["2027-03-08"]
    assert by_id[cadre_key(deputy.pk)]["carry_days"] == 2
    assert by_id[cadre_key(clerk.pk)]["office"] == clerk.office.name


def test_desirable_days_come_from_the_holiday_calendar(cast: Any, township: list[Cadre]) -> None:
    # October 2026: National Day 1-7 Oct, makeup Saturday 10 Oct
    built = roster_problem_build(unit=cast.town_a2, month=dt.date(2026, 10, 1))
    desirable = set(built.problem.desirable)
    assert {dt.date(2026, 10, d) for d in range(1, 8)} <= desirable
    assert dt.date(2026, 10, 10) not in desirable
    assert built.calendar.provisional is False


def test_a_unit_without_a_policy_cannot_be_planned(cast: Any) -> None:
    build_township(cast.town_b1, 5)
    with pytest.raises(DomainError, match="没有轮休政策"):
        roster_problem_build(unit=cast.town_b1, month=MARCH_2027)
