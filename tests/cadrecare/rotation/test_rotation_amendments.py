"""Amending a published roster (发布后调整): the secretary changes
days from today on through the same checked edits as a draft, with a reason;
past days never change; a new version records who changed what and why;
exactly the cadres whose rest changed are told, in the app and by their
channels; rest compliance follows the new version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.core import clock
from cadrecare.org.models import Cadre
from cadrecare.reminders.models import Delivery, Notice
from cadrecare.rotation.amendments import AMENDED_NOTICE_KIND
from cadrecare.rotation.choices import DayKind, Mode, RosterStatus
from cadrecare.rotation.models import Roster, RosterDay
from cadrecare.rotation.services import roster_publish
from tests.cadrecare.rotation.conftest import MARCH_2027, solved_draft
from tests.cadrecare.rotation.support import Plan, hand_roster, span
from tests.factories import CadreFactory
from tests.roster_judge import judge

TODAY = dt.date(2027, 3, 12)  # the March roster is published and the month under way


@pytest.fixture(autouse=True)
def _mid_march(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _march(cast: Any, *, ratio: str = "0.5", **plans: Plan) -> tuple[Roster, dict[str, Cadre]]:
    """石头乡's published March, one block each (monthly mode, each cadre in an office of their
    own): 木晓梅 (a login) 15-22, and the colleagues named in ``plans``, none of them with a login;
    和书记 (a login) rests 24-31 and is never moved."""
    people = {"mu": cast.cadre_a1, "he": cast.secretary_a1_cadre}
    people.update({name: CadreFactory(unit=cast.town_a1, name=f"干部{name}") for name in plans})
    roster = hand_roster(
        cast.town_a1,
        MARCH_2027,
        {
            cast.cadre_a1: Plan(rest=span(dt.date(2027, 3, 15), 8)),
            cast.secretary_a1_cadre: Plan(rest=span(dt.date(2027, 3, 24), 8)),
            **{people[name]: plan for name, plan in plans.items()},
        },
        ratio=ratio,
    )
    return roster, people


def _amend(client: Any, roster: Roster, body: dict[str, Any], version: Any = "current") -> Any:
    if version == "current":
        version = Roster.objects.get(pk=roster.pk).version
    headers = {} if version is None else {"HTTP_IF_MATCH": f'"{version}"'}
    return client.post(f"/api/v1/rosters/{roster.pk}/edit/", body, format="json", **headers)


def _rest(roster: Roster, cadre: Cadre) -> list[dt.date]:
    roster.refresh_from_db()
    return sorted(
        RosterDay.objects.filter(version=roster.current, cadre=cadre, kind=DayKind.REST).values_list("date", flat=True)
    )


def test_an_amendment_moves_future_days_and_records_who_changed_what_and_why(cast: Any, client_for: Any) -> None:
    # Given the published March and a flood-prevention inspection on 15-22 March
    roster, people = _march(cast, li=Plan(rest=span(dt.date(2027, 3, 3), 8)))
    version = roster.version

    # When the secretary moves 木晓梅's block to start on the 13th, saying why
    response = _amend(
        client_for("secretary_a1"),
        roster,
        {
            "op": "move",
            "cadre": people["mu"].pk,
            "date": "2027-03-15",
            "to_date": "2027-03-13",
            "reason": "省防汛督查组 3月21日到乡检查",
        },
    )

    # Then the roster has a new version with the moved days, its ETag one up, the metrics before and after
    assert response.status_code == 200, response.json()
    body = response.json()
    assert _rest(roster, people["mu"]) == span(dt.date(2027, 3, 13), 8)
    assert roster.status == RosterStatus.PUBLISHED and roster.version == version + 1
    assert response["ETag"] == f'"{roster.version}"' and roster.current.number == 2
    assert set(body["metrics_change"]) >= {"before", "after", "verdict", "metrics", "message"}
    assert body["cadres_changed"] == [
        {
            "id": people["mu"].pk,
            "name": "木晓梅",
            "before": [d.isoformat() for d in span(dt.date(2027, 3, 15), 8)],
            "after": [d.isoformat() for d in span(dt.date(2027, 3, 13), 8)],
            "told": True,
        }
    ]
    # and the version history says who changed what and why
    history = client_for("county_a_staff").get(f"/api/v1/rosters/{roster.pk}/versions/").json()["results"]
    newest, first = history
    assert (newest["number"], newest["current"], first["current"]) == (2, True, False)
    assert newest["created_by"]["name"] == "和书记" and newest["solver_status_label"] == "手工调整"
    assert "发布后调整" in newest["note"] and "省防汛督查组" in newest["note"] and "木晓梅" in newest["note"]
    assert newest["changes"] == [
        {
            "cadre": people["mu"].pk,
            "name": "木晓梅",
            "removed": ["2027-03-21", "2027-03-22"],
            "added": ["2027-03-13", "2027-03-14"],
        }
    ]
    assert first["changes"] == []


def test_exactly_the_cadres_whose_days_changed_are_told_in_the_app_and_at_once_by_their_channels(
    cast: Any, client_for: Any
) -> None:
    # Given 木晓梅 (a login, with an email address and a phone) resting 15-22, 王 (no login) 13-20,
    # 李 (no login) 3-10 and 和书记 (a login) 24-31
    roster, people = _march(
        cast, li=Plan(rest=span(dt.date(2027, 3, 3), 8)), wang=Plan(rest=span(dt.date(2027, 3, 13), 8))
    )
    type(cast.cadre_a1_user).objects.filter(pk=cast.cadre_a1_user.pk).update(email="muxm@example.cn")

    # When the secretary swaps 木晓梅's block with 王's
    response = _amend(
        client_for("secretary_a1"),
        roster,
        {
            "op": "swap",
            "cadre": people["mu"].pk,
            "date": "2027-03-15",
            "other_cadre": people["wang"].pk,
            "other_date": "2027-03-13",
            "reason": "王同志 3月14日结婚",
        },
    )

    assert response.status_code == 200, response.json()
    changed = {c["id"]: c["told"] for c in response.json()["cadres_changed"]}
    assert changed == {people["mu"].pk: True, people["wang"].pk: False}  # 王 has no login: told in person
    # Then one notice, to 木晓梅's login only (not 和书记, whose days did not move), saying what and why
    notices = Notice.objects.filter(kind=AMENDED_NOTICE_KIND)
    assert [(n.recipient_id, n.cadre_id) for n in notices] == [(cast.cadre_a1_user.pk, people["mu"].pk)]
    notice = notices.get()
    assert "原为 3月15日" in notice.body and "现为 3月13日" in notice.body and "王同志 3月14日结婚" in notice.body
    assert notice.due_date == dt.date(2027, 3, 13) and notice.urgent and notice.outboxed
    # sent at once by email and SMS rather than in tomorrow's digest
    assert sorted(Delivery.objects.filter(notice=notice).values_list("channel", flat=True)) == ["email", "sms"]
    # and the cadre reads it in their inbox
    inbox = client_for("cadre_a1_user").get("/api/v1/notifications/", {"kind": AMENDED_NOTICE_KIND}).json()
    assert [n["title"] for n in inbox["results"]] == ["石头乡2027年3月轮休排班：您的休息日有调整"]


def test_a_stale_amendment_is_412_and_one_without_if_match_428(cast: Any, client_for: Any) -> None:
    roster, people = _march(cast)
    body = {"op": "move", "cadre": people["mu"].pk, "date": "2027-03-15", "to_date": "2027-03-14", "reason": "迎检"}

    missing = _amend(client_for("secretary_a1"), roster, body, version=None)
    stale = _amend(client_for("secretary_a1"), roster, body, version=roster.version - 1)

    assert missing.status_code == 428 and stale.status_code == 412
    assert Roster.objects.get(pk=roster.pk).current_id == roster.current_id
    assert not Notice.objects.filter(kind=AMENDED_NOTICE_KIND).exists()


def test_an_amendment_that_breaks_a_rule_is_a_400_naming_it_unless_overridden_with_a_reason(
    cast: Any, client_for: Any
) -> None:
    # Given three cadres at a duty share of 0.5: at most one may rest on a day
    roster, people = _march(cast)
    body = {"op": "move", "cadre": people["mu"].pk, "date": "2027-03-15", "to_date": "2027-03-24", "reason": "本人申请"}

    refused = _amend(client_for("secretary_a1"), roster, body)

    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert {e["rule"] for e in errors} == {4} and {e["date"] for e in errors} >= {"2027-03-24", "2027-03-31"}
    assert "第 4 条规则（最低在岗比例）" in errors[0]["message"]
    assert _rest(roster, people["mu"]) == span(dt.date(2027, 3, 15), 8)
    assert not Notice.objects.filter(kind=AMENDED_NOTICE_KIND).exists()

    overridden = _amend(client_for("secretary_a1"), roster, {**body, "override_reason": "党委会研究同意"})

    assert overridden.status_code == 200, overridden.json()
    roster.refresh_from_db()
    assert "党委会研究同意" in roster.current.note and {r["rule"] for r in roster.current.reasons} == {4}


def test_days_before_today_never_change(cast: Any, client_for: Any) -> None:
    # Given 李 rests 10-17 March (begun on the 10th; today is the 12th), two may rest a day
    roster, people = _march(cast, ratio="0.3", li=Plan(rest=span(dt.date(2027, 3, 10), 8)))
    client = client_for("secretary_a1")

    moved_off = _amend(
        client,
        roster,
        {"op": "move", "cadre": people["li"].pk, "date": "2027-03-12", "to_date": "2027-03-20", "reason": "借调"},
    )
    moved_onto = _amend(
        client,
        roster,
        {"op": "move", "cadre": people["mu"].pk, "date": "2027-03-15", "to_date": "2027-03-11", "reason": "提前"},
    )

    assert moved_off.status_code == 400 and moved_off.json()["errors"][0]["field"] == "date"
    assert "已经过去的日子不能改动" in moved_off.json()["message"] and "干部li 03-10" in moved_off.json()["message"]
    assert moved_onto.status_code == 400 and moved_onto.json()["errors"][0]["field"] == "to_date"
    assert "木晓梅 03-11" in moved_onto.json()["message"]
    assert Roster.objects.get(pk=roster.pk).current_id == roster.current_id
    # today itself and later days may change
    today_on = _amend(
        client,
        roster,
        {"op": "move", "cadre": people["mu"].pk, "date": "2027-03-15", "to_date": "2027-03-12", "reason": "提前"},
    )
    assert today_on.status_code == 200, today_on.json()


def test_a_whole_past_month_cannot_be_amended(cast: Any, client_for: Any) -> None:
    roster = hand_roster(cast.town_a1, dt.date(2027, 2, 1), {cast.cadre_a1: Plan(rest=span(dt.date(2027, 2, 3), 8))})

    response = _amend(
        client_for("secretary_a1"),
        roster,
        {"op": "move", "cadre": cast.cadre_a1.pk, "date": "2027-02-03", "to_date": "2027-02-12", "reason": "补登"},
    )

    assert response.status_code == 400 and response.json()["code"] == "past_day"


def test_an_amendment_needs_a_reason_and_a_locked_month_takes_none(cast: Any, client_for: Any) -> None:
    roster, people = _march(cast)
    no_reason = _amend(
        client_for("secretary_a1"),
        roster,
        {"op": "move", "cadre": people["mu"].pk, "date": "2027-03-15", "to_date": "2027-03-14"},
    )
    locked = hand_roster(
        cast.town_a1,
        dt.date(2027, 1, 1),
        {cast.cadre_a1: Plan(rest=span(dt.date(2027, 1, 3), 8))},
        status=RosterStatus.LOCKED,
    )
    on_locked = _amend(
        client_for("secretary_a1"),
        locked,
        {"op": "move", "cadre": cast.cadre_a1.pk, "date": "2027-01-03", "to_date": "2027-01-12", "reason": "补登"},
    )

    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    assert on_locked.status_code == 409


def test_rest_compliance_follows_the_amendment(cast: Any, client_for: Any) -> None:
    # Given 杨 is owed two days (entitled to 10, resting 13-22) and 木晓梅 entitled to 8 (resting 15-22)
    roster, people = _march(cast, ratio="0.3", yang=Plan(rest=span(dt.date(2027, 3, 13), 10), carry_days=2))
    client = client_for("secretary_a1")

    def compliance() -> dict[str, tuple[int, int, int, bool]]:
        rows = client.get("/api/v1/rest-compliance/", {"month": "2027-03"}).json()["results"]
        return {
            row["cadre_name"]: (row["entitled"], row["planned"], row["forfeited"], row["below_entitlement"])
            for row in rows
        }

    assert compliance()["干部yang"] == (10, 10, 0, False)

    # When the secretary swaps their blocks, overriding rule 1 (杨 asked for a shorter rest this month)
    response = _amend(
        client,
        roster,
        {
            "op": "swap",
            "cadre": people["yang"].pk,
            "date": "2027-03-13",
            "other_cadre": people["mu"].pk,
            "other_date": "2027-03-15",
            "reason": "杨同志本人申请",
            "override_reason": "欠休两天下月再补",
        },
    )

    # Then the report reads the new version: 杨 planned 8 of 10 (2 forfeited), 木晓梅 10 of 8
    assert response.status_code == 200, response.json()
    rows = compliance()
    assert rows["干部yang"] == (10, 8, 2, True) and rows["木晓梅"] == (8, 10, 0, False)


def test_a_published_roster_the_solver_made_is_amended_and_still_judged_valid(
    cast: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the solver's March, published, on 20 February (every block lies ahead)
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 2, 20))
    draft, cadres = solved_draft(cast, Mode.MONTHLY)
    roster = roster_publish(actor=None, roster_obj=draft, confirm_provisional=True)
    a, b = cadres[4], cadres[7]  # two clerks of the same office

    # When the secretary swaps their blocks

    response = _amend(
        client_for("secretary_a1"),
        roster,
        {
            "op": "swap",
            "cadre": a.pk,
            "date": _rest(roster, a)[0].isoformat(),
            "other_cadre": b.pk,
            "other_date": _rest(roster, b)[0].isoformat(),
            "reason": "两人协商一致",
        },
    )

    # Then the amended roster still keeps every rule, as the shared checker reads it
    assert response.status_code == 200, response.json()
    roster.refresh_from_db()
    assert judge(roster.current.problem, roster.current.solution)["valid"] is True
