"""Each health service owns its write's audit row: called directly (as the
API, the workbench and the check-up import call it), a write leaves exactly
one row naming the record; a write into a unit outside the actor's scope, or
one a rule refuses, leaves none and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.health import services
from cadrecare.health.models import CampaignAttendee, Checkup, CheckupCampaign, CheckupPolicy
from tests.factories import CheckupFactory, CheckupPolicyFactory

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return clock.today()


def _campaign(cadre: Any, actor: Any = None) -> CheckupCampaign:
    return services.campaign_plan(
        actor=actor,
        unit=cadre.unit,
        name="年度体检",
        date_from=_today() - dt.timedelta(days=5),
        date_to=_today() + dt.timedelta(days=25),
        institution="县人民医院",
        cadres=[cadre],
    )


def _deleted_policy(actor: Any, policy: CheckupPolicy) -> CheckupPolicy:
    pk = policy.pk
    services.checkup_policy_delete(actor=actor, policy=policy)
    policy.pk = pk  # the row names the record as it was
    return policy


@dataclass(frozen=True)
class Write:
    name: str
    resource: str
    action: str
    call: Callable[[Any, Any], Any]  # (actor, the record given) -> the record written
    given: Callable[[Any], Any] = lambda cadre: cadre  # cadre -> what the write is on


WRITES = [
    Write(
        "checkup_record",
        "health-checkups",
        "create",
        lambda a, c: services.checkup_record(
            actor=a, cadre=c, date=_today(), institution="县人民医院", conclusion="normal"
        ),
    ),
    Write(
        "checkup_update",
        "health-checkups",
        "update",
        lambda a, checkup: services.checkup_update(actor=a, checkup=checkup, changes={"findings": "未见异常"}),
        lambda c: CheckupFactory(cadre=c),
    ),
    Write(
        "checkup_policy_save",
        "checkup-policies",
        "create",
        lambda a, c: services.checkup_policy_save(actor=a, unit=c.unit, interval_months=6),
    ),
    Write(
        "checkup_policy_save-update",
        "checkup-policies",
        "update",
        lambda a, p: services.checkup_policy_save(actor=a, unit=p.unit, policy=p, interval_months=6),
        lambda c: CheckupPolicyFactory(unit=c.unit),
    ),
    Write(
        "checkup_policy_delete",
        "checkup-policies",
        "delete",
        _deleted_policy,
        lambda c: CheckupPolicyFactory(unit=c.unit),
    ),
    Write("campaign_plan", "checkup-campaigns", "create", lambda a, c: _campaign(c, actor=a)),
    Write(
        "campaign_update",
        "checkup-campaigns",
        "update",
        lambda a, k: services.campaign_update(actor=a, campaign=k, changes={"note": "分两批"}),
        _campaign,
    ),
    Write(
        "campaign_attendance_record-absent",
        "checkup-campaigns",
        "update",
        lambda a, k: services.campaign_attendance_record(
            actor=a, campaign=k, cadre=k.attendees.get().cadre, status="absent"
        ).campaign,
        _campaign,
    ),
    Write(
        "campaign_close",
        "checkup-campaigns",
        "update",
        lambda a, k: services.campaign_close(actor=a, campaign=k).campaign,
        _campaign,
    ),
]


def _rows() -> list[tuple[str, str, str]]:
    return list(AuditEntry.objects.exclude(action="read").order_by("pk").values_list("action", "resource", "object_id"))


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_health_service_writes_exactly_one_audit_row(cast: Any, write: Write) -> None:
    given = write.given(cast.cadre_a1)
    before = len(_rows())

    # when the county's organization department writes about a cadre of its county
    record = write.call(cast.county_a_admin, given)

    # then one row names the write, its resource and its record, and no other row was added
    assert _rows()[before:] == [(write.action, write.resource, str(record.pk))]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_health_write_outside_the_actors_scope_is_refused_and_leaves_no_row(cast: Any, write: Write) -> None:
    given = write.given(cast.cadre_b1)
    before = len(_rows())

    # when township A1's HR officer writes about a cadre of county B
    with pytest.raises(DomainError) as refused:
        write.call(cast.hr_a1, given)

    # then it is refused as a placement outside scope, and nothing is audited
    assert str(refused.value.message) == "所选单位不在您的管理范围内。"
    assert len(_rows()) == before


def test_attending_audits_the_checkup_it_creates_and_the_campaigns_attendees(cast: Any) -> None:
    campaign = _campaign(cast.cadre_a1)
    before = len(_rows())

    attendee = services.campaign_attendance_record(
        actor=cast.hr_a1,
        campaign=campaign,
        cadre=cast.cadre_a1,
        status="attended",
        checkup={"date": _today(), "conclusion": "normal"},
    )

    assert _rows()[before:] == [
        ("create", "health-checkups", str(attendee.checkup_id)),
        ("update", "checkup-campaigns", str(campaign.pk)),
    ]
    checkup_row, campaign_row = AuditEntry.objects.exclude(action="read").order_by("pk")[before:]
    assert checkup_row.cadre_id == cast.cadre_a1.pk and "campaign" in checkup_row.fields
    assert campaign_row.fields == ["attendees"]


# -- through the API: one row with the fields, or none when a rule refuses ----------------------


def test_an_api_correction_is_audited_once_with_what_it_changed(cast: Any, client_for: Any) -> None:
    checkup = CheckupFactory(cadre=cast.cadre_a1)

    response = client_for("hr_a1").patch(
        f"/api/v1/health-checkups/{checkup.pk}/",
        {"findings": "未见异常", "institution": checkup.institution},
        format="json",
    )

    assert response.status_code == 200
    rows = AuditEntry.objects.exclude(action="read")
    assert list(rows.values_list("action", "resource", "object_id", "cadre_id", "fields")) == [
        ("update", "health-checkups", str(checkup.pk), cast.cadre_a1.pk, ["findings"])
    ]


def test_api_writes_of_policies_and_campaigns_are_audited_once(cast: Any, client_for: Any) -> None:
    admin = client_for("county_a_admin")

    policy = admin.post(
        "/api/v1/checkup-policies/",
        {"unit": cast.town_a1.pk, "interval_months": 6, "reminder_days": [30]},
        format="json",
    )
    campaign = admin.post(
        "/api/v1/checkup-campaigns/",
        {
            "unit": cast.town_a1.pk,
            "name": "年度体检",
            "date_from": _today().isoformat(),
            "date_to": (_today() + dt.timedelta(days=20)).isoformat(),
            "institution": "县人民医院",
            "cadres": [cast.cadre_a1.pk],
        },
        format="json",
    )
    closed = admin.post(f"/api/v1/checkup-campaigns/{campaign.json()['id']}/close/")
    removed = admin.delete(f"/api/v1/checkup-policies/{policy.json()['id']}/")

    assert (policy.status_code, campaign.status_code, closed.status_code, removed.status_code) == (201, 201, 200, 204)
    assert list(
        AuditEntry.objects.exclude(action="read").order_by("pk").values_list("action", "resource", "fields")
    ) == [
        ("create", "checkup-policies", ["interval_months", "reminder_days", "unit"]),
        ("create", "checkup-campaigns", ["cadres", "date_from", "date_to", "institution", "name", "note", "unit"]),
        ("update", "checkup-campaigns", ["status"]),
        ("delete", "checkup-policies", []),
    ]


REFUSED = {  # name: (method, url, body), of the records made for the test
    "checkup": ("patch", "/api/v1/health-checkups/{checkup}/", lambda cast: {"date": "2999-01-01"}),
    "policy": ("patch", "/api/v1/checkup-policies/{policy}/", lambda cast: {"unit": cast.county_a.pk}),
    "campaign": ("patch", "/api/v1/checkup-campaigns/{campaign}/", lambda cast: {"date_to": "2000-01-01"}),
    "attendance": (
        "post",
        "/api/v1/checkup-campaigns/{campaign}/attendance/",
        lambda cast: {"cadre": cast.cadre_a1.pk, "status": "excused"},
    ),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_write_a_health_rule_refuses_leaves_no_row_and_no_change(cast: Any, client_for: Any, name: str) -> None:
    method, url, body = REFUSED[name]
    ids = {
        "checkup": CheckupFactory(cadre=cast.cadre_a1).pk,
        "policy": CheckupPolicyFactory(unit=cast.town_a1).pk,
        "campaign": _campaign(cast.cadre_a1).pk,
    }
    rows, stored = len(_rows()), _state()

    response = getattr(client_for("county_a_admin"), method)(url.format(**ids), body(cast), format="json")

    assert response.status_code == 400, response.content
    assert (len(_rows()), _state()) == (rows, stored)


def _state() -> list[Any]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Checkup, CheckupPolicy, CheckupCampaign, CampaignAttendee)
    ]


def test_closing_a_closed_campaign_through_the_api_writes_nothing_and_audits_nothing(
    cast: Any, client_for: Any
) -> None:
    campaign = _campaign(cast.cadre_a1)
    admin = client_for("county_a_admin")
    assert admin.post(f"/api/v1/checkup-campaigns/{campaign.pk}/close/").status_code == 200
    rows, stored = len(_rows()), _state()

    # when the closed campaign is closed again
    response = admin.post(f"/api/v1/checkup-campaigns/{campaign.pk}/close/")

    # then it reports as before, and no second row says it changed
    assert response.status_code == 200, response.content
    assert (len(_rows()), _state()) == (rows, stored)


def test_a_role_that_may_not_record_the_checkup_cannot_mark_the_cadre_attended(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign = _campaign(cast.cadre_a1)
    rows, stored = len(_rows()), _state()
    # (no role of the access table changes a campaign without recording its check-ups: stand one in)
    monkeypatch.setattr(services, "may_for_cadre", lambda user, resource, action, cadre: resource != "health-checkups")

    # when the HR officer, called as the API and the workbench call the service, marks the cadre attended
    with pytest.raises(DomainError) as refused:
        services.campaign_attendance_record(
            actor=cast.hr_a1,
            campaign=campaign,
            cadre=cast.cadre_a1,
            status="attended",
            checkup={"date": _today(), "conclusion": "normal"},
        )

    # then the service refuses it (403), and nothing is written or audited
    assert (refused.value.status_code, refused.value.field) == (403, "cadre")
    assert (len(_rows()), _state()) == (rows, stored)
