"""A refused write leaves no trace: the audit row of a write is written in the
write's own transaction, so a write the service refuses (400) or the access
table refuses (403) never appears in the append-only audit log as done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.care import services as care
from cadrecare.care.models import CarePolicy, HardshipCase, HardshipMeasure, Visit, VisitObligation
from cadrecare.core import clock
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.models import RotationPolicy
from cadrecare.selfservice.models import HeartMessage, SelfReport
from cadrecare.selfservice.services import heart_message_answer, heart_message_send, self_report_submit
from cadrecare.training.models import TrainingProgramme
from cadrecare.training.services import programme_create
from config.api_router import router
from tests.factories import (
    CheckupFactory,
    FacilityFactory,
    FamilyMemberFactory,
    HardshipCaseFactory,
    PostAllowanceFactory,
)
from tests.resources import CASES, ResourceCase

pytestmark = pytest.mark.django_db


def test_deleting_a_policy_version_used_by_past_months_is_refused_and_not_logged(cast: Any, client_for: Any) -> None:
    # given a county's policy version in force since January 2026, which past rosters were planned under
    policy = RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)

    # when the city's org admin deletes it through the API
    response = client_for("city_admin").delete(f"/api/v1/rotation-policies/{policy.pk}/")

    # then it is refused with the reason, the version stays, and the audit log says nothing was deleted
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "effective_from", "message": "该版本已经用于过去的月份，不能删除。"}]
    assert RotationPolicy.objects.filter(pk=policy.pk).exists()
    assert not AuditEntry.objects.filter(resource="rotation-policies", action="delete").exists()


def test_a_future_version_is_deleted_and_logged(cast: Any, client_for: Any) -> None:
    policy = RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2099, 1, 1), mode=Mode.WEEKLY)

    response = client_for("city_admin").delete(f"/api/v1/rotation-policies/{policy.pk}/")

    assert response.status_code == 204
    assert AuditEntry.objects.filter(resource="rotation-policies", action="delete", object_id=str(policy.pk)).exists()


CREATABLE = sorted(prefix for prefix, viewset, _ in router.registry if hasattr(viewset, "create"))


@pytest.mark.parametrize("resource", CREATABLE)
@pytest.mark.parametrize("role", ["city_admin", "county_a_staff", "secretary_a1", "hr_a1", "cadre_a1_user"])
def test_an_empty_or_forbidden_create_of_any_resource_writes_no_audit_row(
    cast: Any, client_for: Any, resource: str, role: str
) -> None:
    before = AuditEntry.objects.exclude(action="read").count()

    response = client_for(role).post(f"/api/v1/{resource}/", {}, format="json")

    assert response.status_code in (400, 403, 404, 405), (response.status_code, response.content[:300])
    assert AuditEntry.objects.exclude(action="read").count() == before


@pytest.mark.parametrize("method", ["patch", "delete"])
@pytest.mark.parametrize("case", [case for case in CASES if not case.inbox], ids=lambda case: case.resource)
def test_a_refused_change_or_delete_of_any_resource_writes_no_audit_row(
    cast: Any, client_for: Any, case: ResourceCase, method: str
) -> None:
    with case.context():
        # given a record of township A1 about cadre A1, whose own login the access table lets change or
        # delete almost nothing, and a record of township B1, outside township A1's secretary's scope
        own, elsewhere = case.make_in(cast), case.make_out(cast)

        # when the cadre changes or deletes their record, and the secretary the other township's
        outcomes = [
            _audited_write(client_for("cadre_a1_user"), method, f"/api/v1/{case.resource}/{own.pk}/"),
            _audited_write(client_for("secretary_a1"), method, f"/api/v1/{case.resource}/{elsewhere.pk}/"),
        ]

    # then the write out of scope is refused (a resource not scoped by unit aside), and no refusal
    # (by role, scope, method or rule) leaves a row in the append-only audit log
    assert case.national or outcomes[1][0] >= 400, outcomes
    assert all(rows == 0 for status, rows in outcomes if status >= 400), outcomes


def _audited_write(client: Any, method: str, url: str) -> tuple[int, int]:
    """The write's status and how many audit rows other than reads it added."""
    before = AuditEntry.objects.exclude(action="read").count()
    response = client.patch(url, {}, format="json") if method == "patch" else client.delete(url)
    return response.status_code, AuditEntry.objects.exclude(action="read").count() - before


# -- writes the service refuses by a rule, past the serializer: care, training and self-service --------------


def _later(days: int = 3) -> str:
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def _obligation(cast: Any) -> VisitObligation:
    return care.visit_obligation_create(actor=None, cadre=cast.cadre_a1, reason="春节前走访", event_date=clock.today())


def _waived(cast: Any) -> VisitObligation:
    return care.visit_obligation_waive(actor=cast.city_admin, obligation=_obligation(cast), reason="已调离")


def _visit(cast: Any) -> Visit:
    return care.visit_record(
        actor=None, cadre=cast.cadre_a1, date=clock.today(), kind="holiday", visitors=[cast.secretary_a1]
    )


def _resolved_case(cast: Any) -> HardshipCase:
    return HardshipCaseFactory(cadre=cast.cadre_a1, status="resolved", resolved_on=clock.today())


def _contacted_case(cast: Any) -> HardshipCase:
    case = HardshipCaseFactory(cadre=cast.cadre_a1)
    return care.hardship_first_contact_record(actor=None, case=case, way="call")


def _measure(cast: Any) -> HardshipMeasure:
    case = HardshipCaseFactory(cadre=cast.cadre_a1)
    return care.hardship_measure_add(actor=None, case=case, date=clock.today(), kind="goods", provided_by="石头乡党委")


def _programme(cast: Any) -> TrainingProgramme:
    data = {"unit": cast.town_a1, "kind": "training", "name": "培训班", "date_from": dt.date(2025, 5, 6)}
    return programme_create(actor=None, data={**data, "date_to": dt.date(2025, 5, 9), "location": "党校", "places": 5})


def _report(cast: Any) -> SelfReport:
    return self_report_submit(
        actor=cast.cadre_a1_user,
        kind="family_event",
        event_kind="grave_illness",
        date=clock.today(),
        description="母亲住院",
    )


def _answered(cast: Any) -> HeartMessage:
    message = heart_message_send(actor=cast.cadre_a1_user, addressee="secretary", body="想聊聊")
    return heart_message_answer(actor=cast.secretary_a1, message=message, answer="周五来乡里谈")


@dataclass(frozen=True)
class Refusal:
    """A write by a user the access table lets write, parsed by the serializer and refused by the service."""

    name: str
    user: str
    method: str
    url: Callable[[Any], str]  # cast -> the URL (making the record it names)
    payload: Callable[[Any], dict[str, Any]]
    field: str
    status: int = 400


REFUSALS = [
    Refusal(
        "care-policies-create",
        "city_admin",
        "post",
        lambda c: "/api/v1/care-policies/",
        lambda c: {"unit": c.town_a1.pk, "death_days": 99},
        "death_days",
    ),
    Refusal(
        "care-policies-create-again",
        "city_admin",
        "post",
        lambda c: "/api/v1/care-policies/",
        lambda c: {"unit": CarePolicy.objects.create(unit=c.town_a1).unit_id, "death_days": 2},
        "unit",
        status=409,
    ),
    Refusal(
        "care-policies-update",
        "city_admin",
        "patch",
        lambda c: f"/api/v1/care-policies/{CarePolicy.objects.create(unit=c.town_a1).pk}/",
        lambda c: {"illness_days": 0},
        "illness_days",
    ),
    Refusal(
        "family-members-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/family-members/",
        lambda c: {"cadre": c.cadre_a1.pk, "relation": "child", "name": "木小禾", "birth_date": _later()},
        "birth_date",
    ),
    Refusal(
        "family-members-update",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/family-members/{FamilyMemberFactory(cadre=c.cadre_a1).pk}/",
        lambda c: {"phone": "12345"},
        "phone",
    ),
    Refusal(
        "family-events-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/family-events/",
        lambda c: {"cadre": c.cadre_a1.pk, "kind": "grave_illness", "date": _later()},
        "date",
    ),
    Refusal(
        "cadre-conditions-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/cadre-conditions/",
        lambda c: {"cadre": c.cadre_a1.pk, "kind": "illness", "date": _later()},
        "date",
    ),
    Refusal(
        "visit-obligations-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/visit-obligations/",
        lambda c: {"cadre": c.cadre_a1.pk, "reason": "家中失火", "event_date": _later()},
        "event_date",
    ),
    Refusal(
        "visit-obligations-update",
        "city_admin",
        "patch",
        lambda c: f"/api/v1/visit-obligations/{_waived(c).pk}/",
        lambda c: {"deadline": _later(10)},
        "status",
    ),
    Refusal(
        "visit-obligations-waive",
        "city_admin",
        "post",
        lambda c: f"/api/v1/visit-obligations/{_waived(c).pk}/waive/",
        lambda c: {"reason": "再次免访"},
        "status",
    ),
    Refusal(
        "visits-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/visits/",
        lambda c: {"cadre": c.cadre_a1.pk, "date": _later(), "kind": "holiday", "visitors": [c.secretary_a1_cadre.pk]},
        "date",
    ),
    Refusal(
        "visits-update",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/visits/{_visit(c).pk}/",
        lambda c: {"date": _later()},
        "date",
    ),
    Refusal(
        "hardship-cases-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/hardship-cases/",
        lambda c: {"cadre": c.cadre_a1.pk, "category": "illness", "opened_on": _later()},
        "opened_on",
    ),
    Refusal(
        "hardship-cases-update",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/hardship-cases/{HardshipCaseFactory(cadre=c.cadre_a1).pk}/",
        lambda c: {"next_review": "2025-01-01"},
        "next_review",
    ),
    Refusal(
        "hardship-cases-review",
        "hr_a1",
        "post",
        lambda c: f"/api/v1/hardship-cases/{_resolved_case(c).pk}/review/",
        lambda c: {},
        "status",
    ),
    Refusal(
        "hardship-cases-first-contact",
        "hr_a1",
        "post",
        lambda c: f"/api/v1/hardship-cases/{_contacted_case(c).pk}/first-contact/",
        lambda c: {"way": "visit"},
        "date",
        status=409,
    ),
    Refusal(
        "hardship-measures-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/hardship-measures/",
        lambda c: {
            "case": HardshipCaseFactory(cadre=c.cadre_a1).pk,
            "date": _later(),
            "kind": "goods",
            "provided_by": "石头乡党委",
        },
        "date",
    ),
    Refusal(
        "hardship-measures-update",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/hardship-measures/{_measure(c).pk}/",
        lambda c: {"amount": "-5"},
        "amount",
    ),
    Refusal(
        "care-decisions-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/care-decisions/",
        lambda c: {"checkup": CheckupFactory(cadre=c.cadre_a1).pk, "outcome": "closed", "reason": "无需"},
        "checkup",
    ),
    Refusal(
        "facilities-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/facilities/",
        lambda c: {"township": c.town_a1.pk, "item": "bathhouse", "status": "building", "as_of": _later()},
        "as_of",
    ),
    Refusal(
        "facilities-update",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/facilities/{FacilityFactory(township=c.town_a1).pk}/",
        lambda c: {"as_of": _later()},
        "as_of",
    ),
    Refusal(
        "post-allowances-create",
        "hr_a1",
        "post",
        lambda c: "/api/v1/post-allowances/",
        lambda c: {"township": c.town_a1.pk, "month": "2025-02", "due_amount": "600.00", "due_by": "2025-01-31"},
        "due_by",
    ),
    Refusal(
        "post-allowances-update",
        "hr_a1",
        "patch",
        lambda c: f"/api/v1/post-allowances/{PostAllowanceFactory(township=c.town_a1).pk}/",
        lambda c: {"paid_on": _later()},
        "paid_on",
    ),
    Refusal(
        "training-programmes-create",
        "county_a_staff",
        "post",
        lambda c: "/api/v1/training-programmes/",
        lambda c: {
            "unit": c.town_a1.pk,
            "kind": "training",
            "name": "培训班",
            "date_from": "2026-06-03",
            "date_to": "2026-06-01",
            "location": "党校",
            "places": 5,
        },
        "date_to",
    ),
    Refusal(
        "training-programmes-update",
        "county_a_staff",
        "patch",
        lambda c: f"/api/v1/training-programmes/{_programme(c).pk}/",
        lambda c: {"places": 0},
        "places",
    ),
    Refusal(
        "self-reports-create",
        "cadre_a1_user",
        "post",
        lambda c: "/api/v1/self-reports/",
        lambda c: {"kind": "family_event", "event_kind": "grave_illness", "date": _later(), "description": "母亲住院"},
        "date",
    ),
    Refusal(
        "self-reports-reject",
        "hr_a1",
        "post",
        lambda c: f"/api/v1/self-reports/{_report(c).pk}/reject/",
        lambda c: {"reason": ""},
        "reason",
    ),
    Refusal(
        "family-member-changes-create",
        "cadre_a1_user",
        "post",
        lambda c: "/api/v1/family-member-changes/",
        lambda c: {"action": "create", "proposed": {"relation": "child", "name": "木小禾", "birth_date": _later()}},
        "birth_date",
    ),
    Refusal(
        "messages-create",
        "cadre_a1_user",
        "post",
        lambda c: "/api/v1/messages/",
        lambda c: {"addressee": "secretary", "body": "   "},
        "body",
    ),
    Refusal(
        "messages-answer",
        "secretary_a1",
        "post",
        lambda c: f"/api/v1/messages/{_answered(c).pk}/answer/",
        lambda c: {"answer": "再说一次"},
        "answer",
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.name)
def test_a_write_the_service_refuses_leaves_no_audit_row(cast: Any, client_for: Any, refusal: Refusal) -> None:
    # given a record (where the write names one), made and audited before the write
    url = refusal.url(cast)
    before = AuditEntry.objects.exclude(action="read").count()

    # when a user the access table lets write sends a write the serializer parses but a rule refuses
    client = client_for(refusal.user)
    response = getattr(client, refusal.method)(url, refusal.payload(cast), format="json")

    # then the answer names the field, and the audit log says nothing was written
    assert response.status_code == refusal.status, response.content[:400]
    assert refusal.field in [error["field"] for error in response.json()["errors"]], response.json()
    assert AuditEntry.objects.exclude(action="read").count() == before
