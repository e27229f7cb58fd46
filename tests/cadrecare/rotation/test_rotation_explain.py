"""Explanations a secretary can read: for a cadre, why these days;
for a date, why this many rest or work; for an edit, the quality metrics
before and after. Through the API, on rosters the real solver made."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import DayKind, Mode, RequestKind
from cadrecare.rotation.models import Roster, RosterDay
from cadrecare.rotation.services import rest_request_save
from tests.cadrecare.rotation.conftest import MARCH_2027, solved_draft

CADRE_ID = re.compile(r"(?<![A-Za-z0-9])c\d+")
FLOOD = [{"from": "2027-03-10", "to": "2027-03-10", "reason": "防汛演练"}]


def _explain(client: Any, roster: Roster, **params: Any) -> Any:
    return client.get(f"/api/v1/rosters/{roster.pk}/explain/", params, **params.pop("headers", {}))


def _rest(roster: Roster, cadre: Cadre) -> list[dt.date]:
    return sorted(
        RosterDay.objects.filter(version=roster.current, cadre=cadre, kind=DayKind.REST).values_list("date", flat=True)
    )


def _messages(body: Any) -> list[str]:
    notes = body.get("rules", []) + body.get("wishes", []) + body.get("notes", [])
    return [note["message"] for note in notes] + [note["message_en"] for note in notes]


def test_a_cadres_explanation_gives_their_days_wishes_weekend_record_and_rules(cast: Any, client_for: Any) -> None:
    # Given a clerk who asked to rest on Saturday 20 March and not on Monday 8 March, and a draft solved after it
    roster, cadres = solved_draft(cast, Mode.WEEKLY, prepare=_wishes, blackout=FLOOD)
    clerk = cadres[6]

    # When the secretary asks why the clerk rests on their days
    body = _explain(client_for("secretary_a1"), roster, cadre=clerk.pk).json()

    # Then: their rest in blocks, the entitlement, each wish with its answer, and the rules that bind them
    assert body["cadre"] == {"id": clerk.pk, "name": clerk.name, "office": "党政办", "leader": False}
    assert body["rest"] == [d.isoformat() for d in _rest(roster, clerk)] and body["entitled"] == 8
    assert [b["days"] for b in body["blocks"]] == [2, 2, 2, 2] and body["mode_label"] == "周轮休"
    wishes = {(w["date"], w["kind"]): w for w in body["wishes"]}
    assert set(wishes) == {("2027-03-20", "prefer"), ("2027-03-08", "avoid")}
    for wish in wishes.values():
        assert isinstance(wish["honoured"], bool) and wish["kind_label"] in ("希望休息", "希望不休息")
        assert wish["message"].startswith(("3月20日", "3月8日"))
    assert wishes[("2027-03-20", "prefer")]["honoured"] == ("2027-03-20" in body["rest"])
    topics = [note["topic"] for note in body["rules"]]
    assert topics[:2] == ["mode", "entitlement"] and "history" in topics and "office" in topics
    blackout = next(note for note in body["rules"] if note["topic"] == "blackout")
    assert "3月10日（防汛演练）" in blackout["message"] and blackout["rule"] == 3 and blackout["rule_label"] == "禁休日"
    record = body["desirable_rest"]
    assert record["this_month"] == len(record["dates"]) and record["history_months"] == 0 and record["record"] == []
    # names, never the problem's ids, in every sentence
    assert not [m for m in _messages(body) if CADRE_ID.search(m)]


def test_the_party_secretary_is_told_whom_they_never_rest_with(cast: Any, client_for: Any) -> None:
    roster, cadres = solved_draft(cast, Mode.HALF_MONTH)
    secretary, head = cadres[0], cadres[1]

    body = _explain(client_for("secretary_a1"), roster, cadre=secretary.pk).json()

    pair = next(note for note in body["rules"] if note["topic"] == "pair")
    assert pair["cadres"] == [{"id": head.pk, "name": head.name}]
    assert f"您与 {head.name} 不能同时休息" in pair["message"]
    assert any(note["topic"] == "leaders" for note in body["rules"])


def test_a_dates_explanation_adds_up_with_the_grid(cast: Any, client_for: Any) -> None:
    roster, _ = solved_draft(cast, Mode.WEEKLY, blackout=FLOOD)
    client = client_for("county_a_staff")
    grid = client.get(f"/api/v1/rosters/{roster.pk}/grid/").json()

    for day in grid["dates"]:
        body = _explain(client, roster, date=day["date"]).json()
        assert body["on_duty"] == day["on_duty"] and body["available"] == body["on_duty"] + body["resting"]
        assert body["kind"] == (
            "blackout" if day["date"] == "2027-03-10" else "desirable" if day["desirable"] else "workday"
        )
        assert body["resting"] <= body["max_resting"] == body["available"] - body["need_on_duty"]
        assert body["leaders"]["on_duty"] >= body["leaders"]["need"]
        assert all(office["on_duty"] >= office["need"] for office in body["offices"])
    flood = _explain(client, roster, date="2027-03-10").json()
    assert flood["resting"] == 0 and "禁休日（防汛演练）" in flood["notes"][0]["message"]
    saturday = _explain(client, roster, date="2027-03-06").json()
    assert saturday["day_type"] == "weekend" and saturday["day_type_label"] == "周末"
    assert "周末或节假日" in saturday["notes"][0]["message"]
    coverage = next(note for note in saturday["notes"] if note["topic"] == "coverage")
    assert f"最多 {saturday['max_resting']} 人休息" in coverage["message"] and coverage["rule_label"] == "最低在岗比例"
    resting = [c["id"] for c in grid["cadres"] if c["days"][5] == DayKind.REST]
    assert [c["id"] for c in saturday["resting_cadres"]] == sorted(resting) and len(resting) == saturday["resting"]


def test_labels_follow_the_language_asked_for_and_sentences_come_in_both(cast: Any, client_for: Any) -> None:
    roster, cadres = solved_draft(cast, Mode.WEEKLY)

    body = _explain(
        client_for("secretary_a1"), roster, cadre=cadres[6].pk, headers={"HTTP_ACCEPT_LANGUAGE": "en"}
    ).json()
    day = _explain(client_for("secretary_a1"), roster, date="2027-03-06", headers={"HTTP_ACCEPT_LANGUAGE": "en"}).json()

    assert body["mode_label"] == "Weekly rotation"
    entitlement = next(note for note in body["rules"] if note["topic"] == "entitlement")
    assert entitlement["rule_label"] == "rest days" and entitlement["message"].startswith("应休 8 天")
    assert entitlement["message_en"].startswith("Entitled to 8 days")
    assert day["kind_label"] == "weekend or holiday" and day["day_type_label"] == "Weekend"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "cadre"),
        ({"cadre": "1", "date": "2027-03-01"}, "date"),
        ({"cadre": "十二"}, "cadre"),
        ({"cadre": ""}, "cadre"),
        ({"cadre": "99999999999999999999"}, "cadre"),
        ({"date": "2027-04-01"}, "date"),
        ({"date": "2027-02-30"}, "date"),
        ({"date": "1 March"}, "date"),
        ({"date": "2027-03-01\x00"}, "date"),
    ],
)
def test_a_bad_question_is_a_400_in_chinese_naming_the_parameter(
    cast: Any, client_for: Any, params: dict[str, str], field: str
) -> None:
    roster, _ = solved_draft(cast, Mode.MONTHLY)

    response = _explain(client_for("secretary_a1"), roster, **params)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field and re.search(r"[\u4e00-\u9fff]", response.json()["message"])


def test_a_cadre_outside_the_roster_is_a_400_and_a_roster_outside_scope_a_404(cast: Any, client_for: Any) -> None:
    roster, _ = solved_draft(cast, Mode.MONTHLY)

    elsewhere = _explain(client_for("secretary_a1"), roster, cadre=cast.cadre_b1.pk)
    out_of_scope = _explain(client_for("secretary_b1"), roster, cadre=cast.secretary_a1_cadre.pk)
    hr = _explain(client_for("hr_a1"), roster, date="2027-03-02")

    assert elsewhere.status_code == 400 and elsewhere.json()["errors"][0]["field"] == "cadre"
    assert "不在这份排班中" in elsewhere.json()["message"]
    assert out_of_scope.status_code == 404
    assert hr.status_code == 200


def test_moving_a_block_answers_with_the_metrics_before_and_after(cast: Any, client_for: Any) -> None:
    roster, cadres = solved_draft(cast, Mode.MONTHLY)
    before = roster.current.metrics
    clerk = cadres[6]
    block = _rest(roster, clerk)
    to_date = MARCH_2027 + dt.timedelta(days=0 if block[0].day > 12 else 20)

    response = client_for("secretary_a1").post(
        f"/api/v1/rosters/{roster.pk}/edit/",
        {
            "op": "move",
            "cadre": clerk.pk,
            "date": block[0].isoformat(),
            "to_date": to_date.isoformat(),
            "override_reason": "试算",
        },
        format="json",
        HTTP_IF_MATCH=f'"{roster.version}"',
    )

    assert response.status_code == 200, response.json()
    change = response.json()["metrics_change"]
    roster.refresh_from_db()
    assert change["before"] == before and change["after"] == roster.current.metrics == response.json()["metrics"]
    assert [m["name"] for m in change["metrics"]] == [
        "preference_penalty",
        "desirable_rest",
        "fairness_spread",
        "smoothness",
    ]
    assert change["metrics"][1]["label"] == "周末和节假日休息人次"
    assert change["verdict"] in ("better", "worse", "same") and change["message"]


def _wishes(cadres: list[Cadre]) -> None:
    """The clerk (cadres[6]) asks to rest on Saturday 20 March and not to on Monday 8 March."""
    for kind, day in ((RequestKind.PREFER, 20), (RequestKind.AVOID, 8)):
        rest_request_save(
            actor=None,
            data={
                "cadre": cadres[6],
                "kind": kind,
                "start": MARCH_2027.replace(day=day),
                "end": MARCH_2027.replace(day=day),
                "reason": "家中有事",
            },
            today=dt.date(2027, 2, 1),
        )
