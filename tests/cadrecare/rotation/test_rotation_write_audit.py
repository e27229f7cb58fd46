"""Each rotation service owns its write's audit row: called directly (as the
API, the workbench and the jobs call it), a write leaves exactly one row
naming the record, in the write's transaction; a write outside the actor's
scope is refused beside the field that places it, and a write a rule refuses
leaves none, through the API too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.rotation import services
from cadrecare.rotation.choices import DayKind, Mode, RosterStatus
from cadrecare.rotation.models import Absence, Recall, RestRequest, Roster, RotationPolicy
from tests.cadrecare.rotation.support import Plan, hand_roster, next_free_month, span
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def _next_month() -> dt.date:
    return (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _absence(cadre: Any) -> dict[str, Any]:
    start = clock.today() + dt.timedelta(days=3)
    return {"cadre": cadre, "kind": "annual_leave", "start": start, "end": start + dt.timedelta(days=1)}


def _rest_request(cadre: Any) -> dict[str, Any]:
    start = clock.today() + dt.timedelta(days=3)
    return {"cadre": cadre, "kind": "prefer", "start": start, "end": start, "reason": "孩子中考"}


def _recall(cadre: Any) -> dict[str, Any]:
    return {"cadre": cadre, "date": clock.today(), "days_lost": 1, "reason": "防汛"}


@dataclass(frozen=True)
class Write:
    name: str
    resource: str
    action: str
    call: Callable[[Any, Any], Any]  # (actor, the record given) -> the record written
    given: Callable[[Any], Any] = lambda cadre: cadre  # cadre -> what the write is on
    writer: str = "secretary_a1"  # who may make it in county A (the access table)


def _deleted(delete: Callable[..., None], name: str) -> Callable[[Any, Any], Any]:
    def call(actor: Any, record: Any) -> Any:
        pk = record.pk
        delete(actor=actor, **{name: record})
        record.pk = pk  # the row names the record as it was
        return record

    return call


def _county(cadre: Any) -> Any:
    return cadre.unit.parent


def _policy(cadre: Any) -> RotationPolicy:
    return RotationPolicy.objects.create(unit=_county(cadre), effective_from=_next_month(), mode=Mode.WEEKLY)


def _roster(cadre: Any, status: str = RosterStatus.DRAFT, month: dt.date | None = None) -> Roster:
    """A hand-made roster of the cadre's township: them and a colleague, a week's rest each."""
    month = month or next_free_month(cadre.unit)
    other = CadreFactory(unit=cadre.unit)
    plans = {cadre: Plan(rest=span(month.replace(day=3), 8)), other: Plan(rest=span(month.replace(day=15), 8))}
    return hand_roster(cadre.unit, month, plans, status=status)


def _ended(cadre: Any) -> Roster:
    return _roster(cadre, RosterStatus.PUBLISHED, (clock.today().replace(day=1) - dt.timedelta(days=40)).replace(day=1))


def _regenerated(actor: Any, roster: Roster) -> Roster:
    services.roster_regenerate(actor=actor, roster_obj=roster)
    return roster  # the row names the roster, not the run


def _edit(actor: Any, roster: Roster) -> Roster:
    first_day = roster.month.replace(day=3)
    cadre = roster.current.days.get(date=first_day, kind=DayKind.REST).cadre
    return services.roster_edit(
        actor=actor,
        roster_obj=roster,
        expected_version=roster.version,
        op="pin",
        cadre=cadre,
        date=first_day,
        override_reason="人手少，先固定",
    )


WRITES = [
    Write(
        "rotation_policy_create",
        "rotation-policies",
        "create",
        lambda a, c: services.rotation_policy_create(
            actor=a, unit=_county(c), data={"effective_from": _next_month(), "mode": Mode.HALF_MONTH}
        ),
        writer="county_a_admin",
    ),
    Write(
        "rotation_policy_update",
        "rotation-policies",
        "update",
        lambda a, p: services.rotation_policy_update(actor=a, policy=p, data={"mode": Mode.MONTHLY}),
        _policy,
        writer="county_a_admin",
    ),
    Write(
        "rotation_policy_delete",
        "rotation-policies",
        "delete",
        _deleted(services.rotation_policy_delete, "policy"),
        _policy,
        writer="county_a_admin",
    ),
    Write("absence_save", "absences", "create", lambda a, c: services.absence_save(actor=a, data=_absence(c))),
    Write(
        "absence_save-update",
        "absences",
        "update",
        lambda a, r: services.absence_save(actor=a, data={"note": "改为调休"}, absence=r),
        lambda c: Absence.objects.create(**_absence(c)),
    ),
    Write(
        "absence_delete",
        "absences",
        "delete",
        _deleted(services.absence_delete, "absence"),
        lambda c: Absence.objects.create(**_absence(c)),
    ),
    Write(
        "rest_request_save",
        "rest-requests",
        "create",
        lambda a, c: services.rest_request_save(actor=a, data=_rest_request(c)),
    ),
    Write(
        "rest_request_save-update",
        "rest-requests",
        "update",
        lambda a, r: services.rest_request_save(actor=a, data={"reason": "陪护老人"}, rest_request=r),
        lambda c: RestRequest.objects.create(**_rest_request(c)),
    ),
    Write(
        "rest_request_delete",
        "rest-requests",
        "delete",
        _deleted(services.rest_request_delete, "rest_request"),
        lambda c: RestRequest.objects.create(**_rest_request(c)),
    ),
    Write("recall_save", "recalls", "create", lambda a, c: services.recall_save(actor=a, data=_recall(c))),
    Write(
        "recall_save-update",
        "recalls",
        "update",
        lambda a, r: services.recall_save(actor=a, data={"reason": "森林火灾"}, recall=r),
        lambda c: Recall.objects.create(**_recall(c)),
    ),
    Write(
        "roster_publish",
        "rosters",
        "update",
        lambda a, r: services.roster_publish(actor=a, roster_obj=r, confirm_provisional=True),
        _roster,
    ),
    Write("roster_lock", "rosters", "update", lambda a, r: services.roster_lock(actor=a, roster_obj=r), _ended),
    Write(
        "roster_regenerate",
        "rosters",
        "update",
        _regenerated,
        _roster,
    ),
    Write("roster_edit", "rosters", "update", _edit, _roster),
    Write(
        "recall_delete",
        "recalls",
        "delete",
        _deleted(services.recall_delete, "recall"),
        lambda c: Recall.objects.create(**_recall(c)),
    ),
]


def _rows() -> list[tuple[str, str, str]]:
    return list(AuditEntry.objects.exclude(action="read").order_by("pk").values_list("action", "resource", "object_id"))


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_rotation_service_writes_exactly_one_audit_row(cast: Any, write: Write) -> None:
    given = write.given(cast.cadre_a1)
    before = len(_rows())

    # when one whose role may make the write makes it in their county
    record = write.call(getattr(cast, write.writer), given)

    # then one row names the write, its resource and its record, and no other row was added
    assert _rows()[before:] == [(write.action, write.resource, str(record.pk))]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.name)
def test_a_rotation_write_outside_the_actors_scope_is_refused_and_leaves_no_row(cast: Any, write: Write) -> None:
    given = write.given(cast.cadre_b1)
    before = len(_rows())

    # when township A1's HR officer writes in county B
    with pytest.raises(DomainError) as refused:
        write.call(cast.hr_a1, given)

    # then it is refused as a placement outside scope, and nothing is audited
    assert str(refused.value.message) == "所选单位不在您的管理范围内。"
    assert len(_rows()) == before


def test_a_cadre_asks_for_their_own_rest_and_only_theirs(cast: Any) -> None:
    # when a cadre with a self-only grant asks to rest, for themselves and for a colleague of another county
    own = services.rest_request_save(actor=cast.cadre_a1_user, data=_rest_request(cast.cadre_a1))
    with pytest.raises(DomainError) as refused:
        services.rest_request_save(actor=cast.cadre_a1_user, data=_rest_request(cast.cadre_b1))

    # then their own is recorded and audited once, the other refused beside the cadre, unaudited
    assert refused.value.field == "cadre"
    assert _rows() == [("create", "rest-requests", str(own.pk))]


def test_an_absence_the_rules_refuse_through_the_api_leaves_no_row(cast: Any, client_for: Any) -> None:
    # given an absence of cadre A1 already recorded
    data = _absence(cast.cadre_a1)
    Absence.objects.create(**data)
    body = {**data, "cadre": cast.cadre_a1.pk}

    # when the township's HR officer records one over the same days, and one the next month
    clash = client_for("hr_a1").post("/api/v1/absences/", body, format="json")
    later = {**body, "start": data["start"] + dt.timedelta(days=40), "end": data["end"] + dt.timedelta(days=40)}
    done = client_for("hr_a1").post("/api/v1/absences/", later, format="json")

    # then the overlap is refused and unaudited; the other is audited once with the fields given
    assert clash.status_code == 400 and clash.json()["errors"][0]["field"] == "start"
    assert done.status_code == 201, done.json()
    entry = AuditEntry.objects.exclude(action="read").get()
    assert (entry.action, entry.resource, entry.object_id) == ("create", "absences", str(done.json()["id"]))
    assert entry.fields == ["cadre", "end", "kind", "start"]


def test_a_policy_update_through_the_api_is_audited_once_with_what_changed(cast: Any, client_for: Any) -> None:
    policy = _policy(cast.cadre_a1)

    response = client_for("county_a_admin").patch(
        f"/api/v1/rotation-policies/{policy.pk}/", {"mode": Mode.MONTHLY, "rest_days": policy.rest_days}, format="json"
    )

    assert response.status_code == 200, response.json()
    entry = AuditEntry.objects.exclude(action="read").get()
    assert (entry.action, entry.resource, entry.object_id, entry.fields) == (
        "update",
        "rotation-policies",
        str(policy.pk),
        ["mode"],
    )


def test_an_edit_through_the_api_is_audited_once_and_a_stale_one_not_at_all(cast: Any, client_for: Any) -> None:
    # given a draft of township A1, and a pin of cadre A1's rest block
    roster = _roster(cast.cadre_a1)
    url = f"/api/v1/rosters/{roster.pk}/edit/"
    body = {
        "op": "pin",
        "cadre": cast.cadre_a1.pk,
        "date": roster.month.replace(day=3),
        "override_reason": "人手少，先固定",
    }

    # when the township's secretary pins it, then sends the same edit on the version it replaced
    done = client_for("secretary_a1").post(url, body, format="json", HTTP_IF_MATCH=f'"{roster.version}"')
    stale = client_for("secretary_a1").post(url, body, format="json", HTTP_IF_MATCH=f'"{roster.version}"')

    # then one row names the new days of the roster; the stale edit (412) wrote none
    assert done.status_code == 200, done.json()
    assert stale.status_code == 412
    rows = AuditEntry.objects.filter(resource="rosters").exclude(action="read")
    assert [(row.action, row.object_id, row.fields[0]) for row in rows] == [("update", str(roster.pk), "days")]
