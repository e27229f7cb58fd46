"""Each oversight service owns its write's audit row: called directly (as the
API and the workbench call it), a write leaves exactly one row naming the
record; a write into a county or township outside the actor's scope, or one a
rule refuses, leaves none and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import Rank
from cadrecare.oversight import services
from cadrecare.oversight.models import (
    FieldVisit,
    InterviewPlan,
    InterviewPlanLine,
    TransferDecision,
    TransferReview,
)
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

OVERSIGHT = ("transfer-reviews", "interview-plans", "field-visits")


def _today() -> dt.date:
    return clock.today()


@dataclass(frozen=True)
class Place:
    """Where a write goes: a county and one of its townships."""

    county: Any
    township: Any


def _review(place: Place) -> TransferReview:
    return TransferReview.objects.create(county=place.county, year=_today().year - 1, decide_by=_today())


def _decision(place: Place) -> TransferDecision:
    cadre = CadreFactory(unit=place.township, rank=Rank.SECTION_DEPUTY)
    return TransferDecision.objects.create(
        review=_review(place), cadre=cadre, township=place.township, remote_years=Decimal(6)
    )


def _line(place: Place, interviewer: Any) -> InterviewPlanLine:
    plan = InterviewPlan.objects.create(county=place.county, year=_today().year)
    plan.interviewers.set([interviewer])
    cadre = CadreFactory(unit=place.township, rank=Rank.SECTION_CHIEF)
    return InterviewPlanLine.objects.create(plan=plan, cadre=cadre, township=place.township)


def _visit(place: Place) -> FieldVisit:
    return FieldVisit.objects.create(township=place.township, date=_today(), notes="座谈")


def _plan(actor: Any, place: Place) -> InterviewPlan:
    CadreFactory(unit=place.township, rank=Rank.SECTION_CHIEF)
    return services.interview_plan_create(
        actor=actor, county=place.county, year=_today().year, checkpoints=4, interviewers=[actor]
    )


def _deleted_visit(actor: Any, place: Place) -> FieldVisit:
    visit = _visit(place)
    pk = visit.pk
    services.field_visit_delete(actor=actor, visit=visit)
    visit.pk = pk  # the row names the record as it was
    return visit


@dataclass(frozen=True)
class Write:
    name: str
    resource: str
    action: str
    call: Callable[[Any, Place], Any]  # (actor, where) -> the record written


WRITES = [
    Write(
        "transfer_review_open",
        "transfer-reviews",
        "create",
        lambda a, p: services.transfer_review_open(actor=a, county=p.county, year=_today().year),
    ),
    Write(
        "transfer_review_update",
        "transfer-reviews",
        "update",
        lambda a, p: services.transfer_review_update(
            actor=a, review=_review(p), decide_by=_today() + dt.timedelta(days=30)
        ),
    ),
    Write(
        "transfer_decision_record",
        "transfer-reviews",
        "update",
        lambda a, p: services.transfer_decision_record(actor=a, decision=_decision(p), outcome="proposed"),
    ),
    Write("interview_plan_create", "interview-plans", "create", _plan),
    Write(
        "interview_plan_update",
        "interview-plans",
        "update",
        lambda a, p: services.interview_plan_update(
            actor=a, plan=InterviewPlan.objects.create(county=p.county, year=_today().year - 1), checkpoints=2
        ),
    ),
    Write(
        "interview_record",
        "interview-plans",
        "update",
        lambda a, p: _interview(a, _line(p, a)),
    ),
    Write(
        "field_visit_record",
        "field-visits",
        "create",
        lambda a, p: services.field_visit_record(actor=a, township=p.township, date=_today(), visitors=[a]),
    ),
    Write(
        "field_visit_update",
        "field-visits",
        "update",
        lambda a, p: services.field_visit_update(actor=a, visit=_visit(p), notes="补记"),
    ),
    Write("field_visit_delete", "field-visits", "delete", _deleted_visit),
]


def _interview(actor: Any, line: InterviewPlanLine) -> InterviewPlanLine:
    return services.interview_record(actor=actor, plan=line.plan, cadre=line.cadre, date=_today(), form="face_to_face")


def _rows() -> list[tuple[str, str, str]]:
    rows = AuditEntry.objects.exclude(action="read").filter(resource__in=OVERSIGHT)
    return list(rows.order_by("pk").values_list("action", "resource", "object_id"))


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_an_oversight_service_writes_exactly_one_audit_row(cast: Any, write: Write) -> None:
    before = len(_rows())

    # when the county's organization department writes in its county
    record = write.call(cast.county_a_admin, Place(cast.county_a, cast.town_a1))

    # then one row names the write, its resource and its record, and no other row was added
    assert _rows()[before:] == [(write.action, write.resource, str(record.pk))]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_an_oversight_write_outside_the_actors_scope_is_refused_and_leaves_no_row(cast: Any, write: Write) -> None:
    before = len(_rows())

    # when county A's organization department writes in county B
    with pytest.raises(DomainError) as refused:
        write.call(cast.county_a_staff, Place(cast.county_b, cast.town_b1))

    # then it is refused as a placement outside scope, and nothing is audited
    assert str(refused.value.message) == "所选单位不在您的管理范围内。"
    assert len(_rows()) == before


# -- through the API: one row with the fields, or none when a rule refuses ----------------------


def test_api_writes_of_reviews_plans_and_visits_are_audited_once_with_their_fields(cast: Any, client_for: Any) -> None:
    client = client_for("county_a_admin")
    decision = _decision(Place(cast.county_a, cast.town_a1))
    visit = _visit(Place(cast.county_a, cast.town_a1))

    decided = client.post(
        f"/api/v1/transfer-reviews/{decision.review_id}/decide/",
        {"decision": decision.pk, "outcome": "deferred", "reason": "孩子明年中考"},
        format="json",
    )
    changed = client.patch(f"/api/v1/field-visits/{visit.pk}/", {"notes": "补记"}, format="json")
    removed = client.delete(f"/api/v1/field-visits/{visit.pk}/")

    assert (decided.status_code, changed.status_code, removed.status_code) == (200, 200, 204)
    rows = AuditEntry.objects.exclude(action="read").order_by("pk")
    assert list(rows.values_list("action", "resource", "object_id", "cadre_id", "fields")) == [
        ("update", "transfer-reviews", str(decision.pk), decision.cadre_id, ["decided_on", "outcome", "reason"]),
        ("update", "field-visits", str(visit.pk), None, ["notes"]),
        ("delete", "field-visits", str(visit.pk), None, []),
    ]


REFUSED = {  # name: (url, body) on the records made for the test, posted or patched
    "decide": ("/api/v1/transfer-reviews/{review}/decide/", {"decision": "{decision}", "outcome": "deferred"}),
    "review": ("/api/v1/transfer-reviews/{review}/", {"decide_by": "2000-01-01"}),
    "plan": ("/api/v1/interview-plans/{plan}/", {"interviewers": []}),
    "visit": ("/api/v1/field-visits/{visit}/", {"date": "2999-01-01"}),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_write_an_oversight_rule_refuses_leaves_no_row_and_no_change(cast: Any, client_for: Any, name: str) -> None:
    place = Place(cast.county_a, cast.town_a1)
    decision = _decision(place)
    plan = InterviewPlan.objects.create(county=place.county, year=_today().year)
    plan.interviewers.set([cast.county_a_staff])
    ids = {"review": decision.review_id, "decision": decision.pk, "plan": plan.pk, "visit": _visit(place).pk}
    url, body = REFUSED[name]
    before, stored = _written(), _state()

    client = client_for("county_a_admin")
    send = client.post if name == "decide" else client.patch
    response = send(
        url.format(**ids), {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}, format="json"
    )

    assert response.status_code == 400, response.content
    assert (_written(), _state()) == (before, stored)


def _written() -> int:
    return AuditEntry.objects.exclude(action="read").count()


def _state() -> list[Any]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (TransferReview, TransferDecision, InterviewPlan, InterviewPlanLine, FieldVisit)
    ] + [sorted(InterviewPlan.interviewers.through.objects.values_list("pk", flat=True))]
