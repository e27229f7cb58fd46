"""Oversight's resources: transfer reviews, interview plans and field visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cadrecare.core import clock
from cadrecare.org.choices import Rank
from cadrecare.oversight.models import FieldVisit, InterviewPlan, TransferReview
from tests.factories import CadreFactory, cadre_of
from tests.resources.common import Factory, ResourceCase, days_ago


def _this_year() -> int:
    return clock.today().year


def _oversight_plan_payload(cast: Any) -> dict[str, Any]:
    CadreFactory(unit=cast.town_a1, rank=Rank.SECTION_CHIEF)
    return {
        "county": cast.county_a.pk,
        "year": _this_year(),
        "checkpoints": 4,
        "interviewers": [cadre_of(cast.county_a_staff, cast.agency_a).pk],
    }


def _field_visit_in(unit_attr: str) -> Factory:
    def make(cast: Any) -> FieldVisit:
        return FieldVisit.objects.create(township=getattr(cast, unit_attr), date=clock.today(), notes="座谈")

    return make


CASES: list[ResourceCase] = [
    ResourceCase(
        "transfer-reviews",
        make_in=lambda c: TransferReview.objects.create(
            county=c.county_a, year=_this_year() - 1, decide_by=clock.today()
        ),
        make_out=lambda c: TransferReview.objects.create(
            county=c.county_b, year=_this_year() - 1, decide_by=clock.today()
        ),
        payload=lambda c: {"county": c.county_a.pk, "year": _this_year()},
        update=lambda c: {"decide_by": (clock.today() + dt.timedelta(days=30)).isoformat()},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "interview-plans",
        make_in=lambda c: InterviewPlan.objects.create(county=c.county_a, year=_this_year() - 1),
        make_out=lambda c: InterviewPlan.objects.create(county=c.county_b, year=_this_year() - 1),
        payload=_oversight_plan_payload,
        update=lambda c: {"checkpoints": 2},
        methods=frozenset({"list", "retrieve", "create", "update"}),
        self_visible=False,
    ),
    ResourceCase(
        "field-visits",
        make_in=_field_visit_in("town_a1"),
        make_out=_field_visit_in("town_b1"),
        payload=lambda c: {
            "township": c.town_a1.pk,
            "date": days_ago(1),
            "visitors": [cadre_of(c.county_a_staff, c.agency_a).pk],
            "notes": "与班子成员座谈",
        },
        update=lambda c: {"notes": "补记：看望了两名生病干部"},
        methods=frozenset({"list", "retrieve", "create", "update", "delete"}),
        self_visible=False,
    ),
]
