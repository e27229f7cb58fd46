"""Rotation policies: inherited down the tree, versioned by month,
refused with the reason when they cannot work; absences never overlap; rest
requests come from the cadre or the secretary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core.errors import DomainError
from cadrecare.rotation.choices import AbsenceKind, Mode, RequestKind
from cadrecare.rotation.models import Absence, RestRequest, RotationPolicy
from cadrecare.rotation.selectors import policy_in_force
from cadrecare.rotation.services import absence_save, rotation_policy_create, rotation_policy_update

TODAY = dt.date(2027, 1, 10)


def _policy(unit: Any, month: dt.date, mode: str = Mode.WEEKLY, **fields: Any) -> RotationPolicy:
    return rotation_policy_create(
        actor=None, unit=unit, data={"effective_from": month, "mode": mode, **fields}, today=TODAY
    )


# -- inheritance and versions ------------------------------------------------


def test_a_township_inherits_the_county_default_until_it_overrides_it(cast: Any) -> None:
    # given a county default in half-month mode and, from April, a township override
    _policy(cast.county_a, dt.date(2027, 2, 1), Mode.HALF_MONTH)
    _policy(cast.town_a1, dt.date(2027, 4, 1), Mode.MONTHLY)

    # then March in township A1 follows the county, April the township
    assert policy_in_force(unit=cast.town_a1, month=dt.date(2027, 3, 1)).mode == Mode.HALF_MONTH
    assert policy_in_force(unit=cast.town_a1, month=dt.date(2027, 4, 1)).mode == Mode.MONTHLY
    # and a sister township keeps the county default
    assert policy_in_force(unit=cast.town_a2, month=dt.date(2027, 4, 1)).mode == Mode.HALF_MONTH
    # and before any version there is none
    assert policy_in_force(unit=cast.town_a1, month=dt.date(2027, 1, 1)) is None


def test_a_later_version_leaves_earlier_months_their_policy(cast: Any) -> None:
    _policy(cast.county_a, dt.date(2027, 1, 1), Mode.WEEKLY)
    _policy(cast.county_a, dt.date(2027, 6, 1), Mode.MONTHLY)

    assert policy_in_force(unit=cast.town_a1, month=dt.date(2027, 5, 1)).mode == Mode.WEEKLY
    assert policy_in_force(unit=cast.town_a1, month=dt.date(2027, 6, 1)).mode == Mode.MONTHLY


def test_a_version_already_used_by_past_months_cannot_change(cast: Any) -> None:
    # given a version from January 2027, and now it is March
    policy = _policy(cast.county_a, dt.date(2027, 1, 1))

    with pytest.raises(DomainError) as refused:
        rotation_policy_update(actor=None, policy=policy, data={"mode": Mode.MONTHLY}, today=dt.date(2027, 3, 2))

    assert refused.value.field == "effective_from"
    assert RotationPolicy.objects.get(pk=policy.pk).mode == Mode.WEEKLY


def test_a_policy_cannot_start_in_a_past_month(cast: Any) -> None:
    with pytest.raises(DomainError, match="已过去的月份"):
        _policy(cast.county_a, dt.date(2026, 12, 1))


# -- validation ----------------------------------------------------------------


@pytest.mark.parametrize("ratio", ["0.75", "0.80", "0.95"])
def test_a_duty_ratio_of_three_quarters_or_more_is_refused_with_the_reason(cast: Any, ratio: str) -> None:
    with pytest.raises(DomainError) as refused:
        _policy(cast.town_a1, dt.date(2027, 2, 1), min_on_duty_ratio=ratio)
    assert refused.value.field == "min_on_duty_ratio"
    assert "任何轮休模式都排不出来" in refused.value.message


def test_the_default_policy_is_the_documented_one(cast: Any) -> None:
    policy = _policy(cast.town_a1, dt.date(2027, 2, 1))
    assert (policy.rest_days, str(policy.min_on_duty_ratio), policy.principal_leaders_apart) == (8, "0.60", True)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"generation_day": 30}, "generation_day"),
        ({"rest_days": 0}, "rest_days"),
        ({"never_together": [[1, 1]]}, "never_together[0]"),
        ({"never_together": [["a", 2]]}, "never_together[0]"),
        ({"blackout": [{"from": "2027-07-10", "to": "2027-07-01", "reason": "防汛"}]}, "blackout[0]"),
        ({"blackout": [{"from": "2027-07-01", "to": "2027-07-10"}]}, "blackout[0]"),
    ],
)
def test_a_bad_policy_field_is_named(cast: Any, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        _policy(cast.town_a1, dt.date(2027, 2, 1), **fields)
    assert refused.value.field == field


def test_never_together_cadres_must_work_in_the_unit(cast: Any) -> None:
    with pytest.raises(DomainError, match="不在本单位"):
        _policy(cast.town_a1, dt.date(2027, 2, 1), never_together=[[cast.cadre_a1.pk, cast.cadre_b1.pk]])


def test_policy_api_refuses_an_impossible_ratio_in_chinese(client_for: Any, cast: Any) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/rotation-policies/",
        {"unit": cast.town_a1.pk, "effective_from": "2030-02", "mode": "monthly", "min_on_duty_ratio": "0.75"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "min_on_duty_ratio"
    assert "0.75" in response.json()["message"]


def test_policy_api_shows_the_policy_in_force_for_a_township(client_for: Any, cast: Any) -> None:
    # given a county default (visible to the secretary only through inheritance)
    RotationPolicy.objects.create(
        unit=cast.county_a,
        effective_from=dt.date(2030, 1, 1),
        mode=Mode.HALF_MONTH,
        blackout=[{"from": "2030-07-01", "to": "2030-07-15", "reason": "防汛"}],
    )
    client = client_for("secretary_a1")

    response = client.get("/api/v1/rotation-policies/in-force/", {"unit": cast.town_a1.pk, "month": "2030-07"})

    assert response.status_code == 200
    assert response.json()["mode_label"] == "半月轮休"
    assert response.json()["blackout"][0]["reason"] == "防汛"
    # and another county's township is not found
    other = client.get("/api/v1/rotation-policies/in-force/", {"unit": cast.town_b1.pk, "month": "2030-07"})
    assert other.status_code == 404


# -- the township's own policy within the county's bounds -----------------------------


def _county_bounds(client_for: Any, cast: Any) -> Any:
    """玉龙县 lets its townships choose weekly or half-month rest, no less than 60 % on duty, and keeps
    flood season free of rest."""
    return client_for("county_a_admin").post(
        "/api/v1/rotation-policies/",
        {
            "unit": cast.county_a.pk,
            "effective_from": "2030-01",
            "mode": "weekly",
            "township_modes": ["weekly", "half_month"],
            "township_min_ratio": "0.60",
            "blackout": [{"from": "2030-07-01", "to": "2030-07-15", "reason": "防汛"}],
        },
        format="json",
    )


def test_the_township_secretary_sets_their_policy_within_the_county_bounds(client_for: Any, cast: Any) -> None:
    assert _county_bounds(client_for, cast).status_code == 201
    secretary = client_for("secretary_a1")
    policy = {"unit": cast.town_a1.pk, "effective_from": "2030-03", "mode": "half_month", "min_on_duty_ratio": "0.65"}

    # when the secretary sets half-month rest with a blackout of their own (the county's is not repeated)
    own_blackout = [{"from": "2030-09-20", "to": "2030-09-30", "reason": "换届选举"}]
    created = secretary.post("/api/v1/rotation-policies/", {**policy, "blackout": own_blackout}, format="json")

    # then it is theirs, and the county's blackout binds it ahead of their own
    assert created.status_code == 201, created.json()
    assert [span["reason"] for span in created.json()["blackout"]] == ["防汛", "换届选举"]
    assert created.json()["created_by"] == cast.secretary_a1.pk
    assert policy_in_force(unit=cast.town_a1, month=dt.date(2030, 3, 1)).mode == Mode.HALF_MONTH
    # and dropping the county's span on a change puts it back
    changed = secretary.patch(f"/api/v1/rotation-policies/{created.json()['id']}/", {"blackout": []}, format="json")
    assert changed.status_code == 200 and [span["reason"] for span in changed.json()["blackout"]] == ["防汛"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"mode": "monthly"}, "mode", "玉龙县规定乡镇只能选用周轮休、半月轮休。如需调整，请联系玉龙县委组织部。"),
        ({"min_on_duty_ratio": "0.50"}, "min_on_duty_ratio", "玉龙县规定乡镇最低在岗比例不得低于 0.60。"),
        ({"township_modes": ["monthly"]}, "township_modes", "乡镇可选范围由县（区）在其政策中设定"),
    ],
)
def test_outside_the_bounds_the_secretary_is_told_what_the_county_allows_and_whom_to_ask(
    client_for: Any, cast: Any, fields: dict[str, Any], field: str, message: str
) -> None:
    assert _county_bounds(client_for, cast).status_code == 201

    refused = client_for("secretary_a1").post(
        "/api/v1/rotation-policies/",
        {"unit": cast.town_a1.pk, "effective_from": "2030-03", "mode": "weekly", **fields},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == field
    assert refused.json()["message"].startswith(message)
    assert not RotationPolicy.objects.filter(unit=cast.town_a1).exists()


def test_the_secretary_writes_no_policy_but_their_townships(client_for: Any, cast: Any) -> None:
    secretary = client_for("secretary_a1")
    county = secretary.post(
        "/api/v1/rotation-policies/", {"unit": cast.county_a.pk, "effective_from": "2030-03", "mode": "weekly"}
    )
    other = secretary.post(
        "/api/v1/rotation-policies/", {"unit": cast.town_b1.pk, "effective_from": "2030-03", "mode": "weekly"}
    )

    assert county.status_code == other.status_code == 400
    assert not RotationPolicy.objects.exists()


def test_policy_list_costs_the_same_for_2_or_10(client_for: Any, cast: Any, count_queries: Any) -> None:
    client = client_for("county_a_admin")
    for month in (1, 2):
        RotationPolicy.objects.create(unit=cast.town_a1, effective_from=dt.date(2030, month, 1), mode=Mode.WEEKLY)
    two = count_queries(lambda: client.get("/api/v1/rotation-policies/"))
    for month in range(3, 11):
        RotationPolicy.objects.create(unit=cast.town_a2, effective_from=dt.date(2030, month, 1), mode=Mode.WEEKLY)
    ten = count_queries(lambda: client.get("/api/v1/rotation-policies/"))
    assert two == ten


# -- absences and rest requests -------------------------------------------------


def test_absences_of_one_cadre_never_overlap(cast: Any) -> None:
    absence_save(
        actor=None,
        data={
            "cadre": cast.cadre_a1,
            "kind": AbsenceKind.TRAINING,
            "start": dt.date(2027, 3, 1),
            "end": dt.date(2027, 3, 5),
        },
    )

    with pytest.raises(DomainError, match="重叠"):
        absence_save(
            actor=None,
            data={
                "cadre": cast.cadre_a1,
                "kind": AbsenceKind.SICK_LEAVE,
                "start": dt.date(2027, 3, 5),
                "end": dt.date(2027, 3, 8),
            },
        )
    # another cadre on the same days is fine
    absence_save(
        actor=None,
        data={
            "cadre": cast.secretary_a1_cadre,
            "kind": AbsenceKind.LEAVE,
            "start": dt.date(2027, 3, 5),
            "end": dt.date(2027, 3, 8),
        },
    )
    assert Absence.objects.count() == 2


def test_an_absence_ending_before_it_starts_is_a_400(client_for: Any, cast: Any) -> None:
    response = client_for("secretary_a1").post(
        "/api/v1/absences/",
        {"cadre": cast.cadre_a1.pk, "kind": "leave", "start": "2030-03-05", "end": "2030-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "end"


def test_the_secretary_who_plans_sees_sick_leave_as_such(client_for: Any, cast: Any) -> None:
    Absence.objects.create(
        cadre=cast.cadre_a1, kind=AbsenceKind.SICK_LEAVE, start=dt.date(2030, 3, 1), end=dt.date(2030, 3, 3)
    )
    row = client_for("secretary_a1").get("/api/v1/absences/").json()["results"][0]
    assert row["kind_label"] == "病假"


def test_a_cadre_asks_for_rest_for_themself_and_not_for_a_colleague(client_for: Any, cast: Any) -> None:
    client = client_for("cadre_a1_user")
    payload = {
        "kind": RequestKind.PREFER,
        "start": "2030-05-01",
        "end": "2030-05-02",
        "reason": "女儿婚礼",
        "family_hardship": True,
    }

    own = client.post("/api/v1/rest-requests/", {**payload, "cadre": cast.cadre_a1.pk}, format="json")
    other = client.post("/api/v1/rest-requests/", {**payload, "cadre": cast.secretary_a1_cadre.pk}, format="json")

    assert own.status_code == 201, own.json()
    assert own.json()["reason"] == "女儿婚礼"
    assert other.status_code == 400  # a colleague is not found among the cadres she may choose
    assert RestRequest.objects.filter(cadre=cast.cadre_a1, requested_by=cast.cadre_a1_user).exists()


def test_a_rest_request_for_a_past_date_is_refused(client_for: Any, cast: Any) -> None:
    response = client_for("secretary_a1").post(
        "/api/v1/rest-requests/",
        {"cadre": cast.cadre_a1.pk, "kind": "avoid", "start": "2020-01-01", "end": "2020-01-02", "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "start"


def test_hr_reads_rest_requests_without_their_reasons(client_for: Any, cast: Any) -> None:
    RestRequest.objects.create(
        cadre=cast.cadre_a1,
        kind=RequestKind.PREFER,
        start=dt.date(2030, 1, 2),
        end=dt.date(2030, 1, 3),
        reason="住院复查",
        poor_health=True,
    )
    row = client_for("hr_a1").get("/api/v1/rest-requests/").json()["results"][0]
    assert row["reason"] == "***" and row["poor_health"] == "***"
