"""Rest follows what happened: an absence recorded over published rest days
makes them away, not rest, tells the secretary and the cadre, and leaves the
days owed (carried into a later month, as recalls are) unless the secretary
records that the rest was taken; the kinds that reduce the month's rest are a
county setting; the cadre confirms or corrects their month at its end, and a
locked month with no open correction counts as confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from cadrecare.core import clock
from cadrecare.reminders.models import Notice
from cadrecare.reminders.services import reminders_scan
from cadrecare.rotation.choices import Mode, RosterStatus
from cadrecare.rotation.models import MissedRest, Roster, RotationPolicy
from cadrecare.rotation.problem import roster_problem_build
from cadrecare.rotation.services import roster_lock
from tests.cadrecare.rotation.support import Plan, hand_roster, span

APRIL, MAY = dt.date(2027, 4, 1), dt.date(2027, 5, 1)


@pytest.fixture
def april(cast: Any) -> Roster:
    """石头乡's published April: 木晓梅 rests 10–17 (8 of 30 days)."""
    return hand_roster(cast.town_a1, APRIL, {cast.cadre_a1: Plan(rest=span(dt.date(2027, 4, 10), 8))})


def _absence(client: Any, cadre: Any, kind: str, start: str, end: str) -> dict[str, Any]:
    response = client.post("/api/v1/absences/", {"cadre": cadre.pk, "kind": kind, "start": start, "end": end})
    assert response.status_code == 201, response.json()
    return response.json()


def _row(client: Any, month: str = "2027-04") -> dict[str, Any]:
    response = client.get("/api/v1/rest-compliance/", {"month": month})
    assert response.status_code == 200, response.json()
    return response.json()["results"][0]


FIGURES = ("entitled", "planned", "away", "entitlement_cut", "taken", "owed", "below_entitlement", "confirmed")


def test_annual_leave_over_published_rest_leaves_the_days_owed_and_tells_both(
    cast: Any, client_for: Any, april: Roster
) -> None:
    secretary = client_for("secretary_a1")
    _absence(secretary, cast.cadre_a1, "annual_leave", "2027-04-15", "2027-04-21")

    missed = MissedRest.objects.get()
    assert (missed.days, missed.entitlement_cut, missed.owed) == (3, 0, 3)  # the 15th, 16th and 17th
    row = _row(secretary)
    assert tuple(row[f] for f in FIGURES) == (8, 8, 3, 0, 5, 3, True, 0)
    told = Notice.objects.filter(kind="rest_missed")
    assert set(told.values_list("recipient__username", flat=True)) == {"secretary_a1", "cadre_a1"}
    assert "4月15日、4月16日、4月17日" in told.get(recipient__username="cadre_a1").body
    # the cadre reads their own record
    mine = client_for("cadre_a1_user").get("/api/v1/missed-rest/").json()["results"]
    assert [m["owed"] for m in mine] == [3]


def test_the_roster_days_read_rest_spent_away_as_away_until_it_is_recorded_as_taken(
    cast: Any, client_for: Any, april: Roster
) -> None:
    # given annual leave recorded over the 15th–17th of 木晓梅's published rest (10–17)
    secretary = client_for("secretary_a1")
    _absence(secretary, cast.cadre_a1, "annual_leave", "2027-04-15", "2027-04-21")
    cadre = client_for("cadre_a1_user")

    def kinds() -> list[str]:
        days = cadre.get("/api/v1/roster-days/", {"month": "2027-04", "cadre": cast.cadre_a1.pk, "page_size": 100})
        by_date = {day["date"]: day["kind"] for day in days.json()["results"]}
        return [by_date[f"2027-04-{n}"] for n in range(10, 18)]

    # then the cadre's roster days read those three as away, in the list and one by one
    assert kinds() == ["rest"] * 5 + ["away"] * 3
    day = cadre.get("/api/v1/roster-days/", {"date": "2027-04-16", "cadre": cast.cadre_a1.pk}).json()["results"][0]
    assert (day["kind"], day["kind_label"]) == ("away", "外出")
    assert cadre.get(f"/api/v1/roster-days/{day['id']}/").json()["kind"] == "away"
    # and the kind filter matches what the days read as
    for kind, dates in (
        ("rest", [f"2027-04-{n}" for n in range(10, 15)]),
        ("away", ["2027-04-15", "2027-04-16", "2027-04-17"]),
    ):
        for month in "2027-04", None:
            query = {"cadre": cast.cadre_a1.pk, "kind": kind, "page_size": 100} | ({"month": month} if month else {})
            found = [d["date"] for d in cadre.get("/api/v1/roster-days/", query).json()["results"]]
            assert [d for d in found if "2027-04-10" <= d <= "2027-04-17"] == dates
    # and once the secretary records that the rest was taken after all, they are rest again
    secretary.post(f"/api/v1/missed-rest/{MissedRest.objects.get().pk}/taken/", {})
    assert kinds() == ["rest"] * 8


def test_the_ical_feed_leaves_out_rest_spent_away(
    cast: Any, client_for: Any, april: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 4, 1))
    _absence(client_for("secretary_a1"), cast.cadre_a1, "annual_leave", "2027-04-15", "2027-04-21")

    address = client_for("cadre_a1_user").get("/api/v1/roster-days/feed-url/").json()["path"]
    body = APIClient().get(address).content.decode()  # a phone, not logged in

    # one event, the 10th to the 14th: the 15th–17th were spent away
    assert body.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20270410" in body and "DTEND;VALUE=DATE:20270415" in body


def test_sick_leave_cuts_the_entitlement_and_owes_only_the_rest(cast: Any, client_for: Any, april: Roster) -> None:
    secretary = client_for("secretary_a1")
    # 14 days of sick leave over 4 rest days: 8 × 16/30 rounds to 4, so the cut is 4 and nothing is owed
    _absence(secretary, cast.cadre_a1, "sick_leave", "2027-04-14", "2027-04-27")
    row = _row(secretary)
    assert tuple(row[f] for f in FIGURES) == (8, 8, 4, 4, 4, 0, False, 0)


def test_the_secretary_records_that_the_rest_was_taken(cast: Any, client_for: Any, april: Roster) -> None:
    secretary = client_for("secretary_a1")
    _absence(secretary, cast.cadre_a1, "annual_leave", "2027-04-16", "2027-04-17")
    missed = MissedRest.objects.get()
    assert client_for("cadre_a1_user").post(f"/api/v1/missed-rest/{missed.pk}/taken/", {}).status_code == 403

    response = secretary.post(f"/api/v1/missed-rest/{missed.pk}/taken/", {"note": "当天已在家休息"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "taken"
    row = _row(secretary)
    assert (row["away"], row["taken"], row["owed"]) == (0, 8, 0)
    assert secretary.post(f"/api/v1/missed-rest/{missed.pk}/taken/", {}).status_code == 409


def test_owed_rest_is_carried_into_the_next_month_and_an_absence_moved_off_it_owes_nothing(
    cast: Any, client_for: Any, april: Roster
) -> None:
    RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2027, 1, 1), mode=Mode.MONTHLY)
    secretary = client_for("secretary_a1")
    absence = _absence(secretary, cast.cadre_a1, "annual_leave", "2027-04-16", "2027-04-17")

    may = roster_problem_build(unit=cast.town_a1, month=MAY)
    assert {c.id: c.carry_days for c in may.problem.cadres}[f"c{cast.cadre_a1.pk}"] == 2

    response = secretary.patch(f"/api/v1/absences/{absence['id']}/", {"start": "2027-04-20", "end": "2027-04-21"})
    assert response.status_code == 200, response.json()
    assert not MissedRest.objects.exists()
    may = roster_problem_build(unit=cast.town_a1, month=MAY)
    assert {c.id: c.carry_days for c in may.problem.cadres}[f"c{cast.cadre_a1.pk}"] == 0


def test_annual_leave_keeps_the_months_entitlement_whole_and_sick_leave_prorates_it(cast: Any, client_for: Any) -> None:
    county = RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2027, 1, 1), mode=Mode.HALF_MONTH)
    secretary = client_for("secretary_a1")
    _absence(secretary, cast.cadre_a1, "annual_leave", "2027-05-03", "2027-05-09")  # a week of 年休假
    _absence(secretary, cast.secretary_a1_cadre, "sick_leave", "2027-05-03", "2027-05-09")

    def entitlement() -> dict[str, tuple[int, int]]:
        from scheduler import roster as solver

        month = solver.month_of(roster_problem_build(unit=cast.town_a1, month=MAY).problem)
        return {c.id: (c.entitlement, c.cadre.carry_days) for c in month.cadres}

    # 31 days, 7 away: prorated 8 × 24/31 → 6; annual leave gets its 2 back as carried days
    assert entitlement()[f"c{cast.cadre_a1.pk}"] == (8, 2)
    assert entitlement()[f"c{cast.secretary_a1_cadre.pk}"] == (6, 0)

    # the county may say annual leave reduces the month's rest too
    county.absence_kinds_reducing_rest = ["sick_leave", "annual_leave"]
    county.save()
    assert entitlement()[f"c{cast.cadre_a1.pk}"] == (6, 0)


def test_a_township_cannot_set_which_absences_reduce_rest(cast: Any, client_for: Any) -> None:
    response = client_for("county_a_admin").post(
        "/api/v1/rotation-policies/",
        {
            "unit": cast.town_a1.pk,
            "effective_from": "2027-06",
            "mode": "weekly",
            "absence_kinds_reducing_rest": ["sick_leave"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "absence_kinds_reducing_rest"


def test_the_cadre_confirms_or_corrects_the_month_and_the_confirmed_figure_follows(
    cast: Any, client_for: Any, april: Roster, monkeypatch: Any
) -> None:
    cadre, secretary = client_for("cadre_a1_user"), client_for("secretary_a1")
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 4, 29))
    early = cadre.post("/api/v1/rest-confirmations/", {"roster": april.pk, "confirm": True})
    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "roster"

    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 4, 30))
    missing = cadre.post("/api/v1/rest-confirmations/", {"roster": april.pk, "confirm": False})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "note"
    corrected = cadre.post(
        "/api/v1/rest-confirmations/",
        {"roster": april.pk, "confirm": False, "days_rested": 6, "note": "4月16日、17日被叫回值班"},
    )
    assert corrected.status_code == 201, corrected.json()
    assert corrected.json()["status"] == "corrected"
    assert Notice.objects.filter(kind="rest_corrected", recipient=cast.secretary_a1).count() == 1
    assert secretary.post("/api/v1/rest-confirmations/", {"roster": april.pk, "confirm": True}).status_code == 403

    roster_lock(actor=cast.secretary_a1, roster_obj=april, today=dt.date(2027, 5, 1))
    row = _row(secretary)
    assert (row["taken"], row["confirmed"], row["confirmation"]) == (8, 0, "corrected")
    units = secretary.get("/api/v1/rest-compliance/units/", {"month": "2027-04"}).json()["results"][0]
    assert (units["confirmed"], units["open_corrections"]) == (0, 1)

    # the correction is the secretary's item: reminded as it falls due, escalated when late
    for day in range(1, 12):
        reminders_scan(today=dt.date(2027, 5, day), kinds=["rest_correction"])
    reminded = Notice.objects.filter(kind="rest_correction", recipient=cast.secretary_a1)
    assert reminded.filter(stage="due").count() == 1 and reminded.filter(stage="overdue").exists()

    answer = secretary.post(
        f"/api/v1/rest-confirmations/{corrected.json()['id']}/resolve/", {"resolution": "已补登召回 2 天"}
    )
    assert answer.status_code == 200, answer.json()
    row = _row(secretary)
    assert (row["confirmed"], row["confirmation"]) == (8, "resolved")
    before = Notice.objects.filter(kind="rest_correction").count()
    reminders_scan(today=dt.date(2027, 5, 12), kinds=["rest_correction"])
    assert Notice.objects.filter(kind="rest_correction").count() == before


def test_a_locked_month_nobody_corrected_counts_as_confirmed(cast: Any, client_for: Any, april: Roster) -> None:
    row = _row(client_for("secretary_a1"))
    assert row["confirmed"] == 0  # published, not locked
    Roster.objects.filter(pk=april.pk).update(status=RosterStatus.LOCKED)
    assert _row(client_for("cadre_a1_user"))["confirmed"] == 8
