"""Manual edits of a draft roster: move, swap, pin a block; every
hard rule checked again, a break refused naming rule, dates and cadres unless
overridden with a written reason; edits carry the version (428 / 412)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import DayKind, Mode
from cadrecare.rotation.models import Roster, RosterDay
from tests.cadrecare.rotation.conftest import MARCH_2027
from tests.cadrecare.rotation.conftest import solved_draft as _draft
from tests.roster_judge import judge


def _rest(roster: Roster, cadre: Cadre) -> list[dt.date]:
    roster.refresh_from_db()
    return sorted(
        RosterDay.objects.filter(version=roster.current, cadre=cadre, kind=DayKind.REST).values_list("date", flat=True)
    )


def _edit(client: Any, roster: Roster, body: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"HTTP_IF_MATCH": f'"{version}"'}
    return client.post(f"/api/v1/rosters/{roster.pk}/edit/", body, format="json", **headers)


def test_an_edit_without_if_match_is_428_and_a_stale_one_412(cast: Any, client_for: Any) -> None:
    roster, cadres = _draft(cast, Mode.MONTHLY)
    client = client_for("secretary_a1")
    first = _rest(roster, cadres[5])[0]
    body = {"op": "pin", "cadre": cadres[5].pk, "date": first.isoformat()}

    missing = _edit(client, roster, body)
    stale = _edit(client, roster, body, version=roster.version - 1)

    assert missing.status_code == 428
    assert stale.status_code == 412 and "刷新" in stale.json()["message"]
    assert Roster.objects.get(pk=roster.pk).version == roster.version


def test_pinning_a_block_writes_a_new_version_and_etag(cast: Any, client_for: Any) -> None:
    roster, cadres = _draft(cast, Mode.MONTHLY)
    block = _rest(roster, cadres[5])

    response = _edit(
        client_for("secretary_a1"),
        roster,
        {"op": "pin", "cadre": cadres[5].pk, "date": block[3].isoformat()},
        version=roster.version,
    )

    assert response.status_code == 200, response.json()
    roster.refresh_from_db()
    assert response["ETag"] == f'"{roster.version}"' and roster.current.number == 2
    assert roster.current.solver_status == "edited" and "固定" in roster.current.note
    pinned = RosterDay.objects.filter(version=roster.current, cadre=cadres[5], pinned=True)
    assert sorted(pinned.values_list("date", flat=True)) == block


def test_swapping_two_clerks_of_one_office_keeps_a_valid_roster(cast: Any, client_for: Any) -> None:
    roster, cadres = _draft(cast, Mode.MONTHLY)
    a, b = cadres[4], cadres[7]  # both staff of the same office (index % 3 == 1)
    before_a, before_b = _rest(roster, a), _rest(roster, b)

    response = _edit(
        client_for("secretary_a1"),
        roster,
        {
            "op": "swap",
            "cadre": a.pk,
            "date": before_a[0].isoformat(),
            "other_cadre": b.pk,
            "other_date": before_b[0].isoformat(),
        },
        version=roster.version,
    )

    assert response.status_code == 200, response.json()
    assert _rest(roster, a) == before_b and _rest(roster, b) == before_a
    assert judge(roster.current.problem, roster.current.solution)["valid"] is True


def test_moving_a_block_onto_a_blackout_is_refused_naming_rule_date_and_cadre(cast: Any, client_for: Any) -> None:
    roster, cadres = _draft(cast, Mode.WEEKLY, blackout=[{"from": "2027-03-10", "to": "2027-03-10", "reason": "防汛"}])
    clerk = cadres[6]
    block = _rest(roster, clerk)[:2]
    version = roster.version

    response = _edit(
        client_for("secretary_a1"),
        roster,
        {"op": "move", "cadre": clerk.pk, "date": block[0].isoformat(), "to_date": "2027-03-10"},
        version=version,
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    blackout = [e for e in errors if e["rule"] == 3]
    assert blackout and blackout[0]["date"] == "2027-03-10" and blackout[0]["cadre"] == clerk.pk
    assert "禁休日" in blackout[0]["message"] and clerk.name in blackout[0]["message"]
    assert Roster.objects.get(pk=roster.pk).version == version and _rest(roster, clerk)[:2] == block


def test_a_secretary_may_override_a_broken_rule_with_a_written_reason(cast: Any, client_for: Any) -> None:
    roster, cadres = _draft(cast, Mode.WEEKLY, blackout=[{"from": "2027-03-10", "to": "2027-03-10", "reason": "防汛"}])
    clerk = cadres[6]
    block = _rest(roster, clerk)[:2]

    response = _edit(
        client_for("secretary_a1"),
        roster,
        {
            "op": "move",
            "cadre": clerk.pk,
            "date": block[0].isoformat(),
            "to_date": "2027-03-10",
            "override_reason": "本人父亲手术，经党委会同意",
        },
        version=roster.version,
    )

    assert response.status_code == 200, response.json()
    roster.refresh_from_db()
    assert "父亲手术" in roster.current.note
    assert any(reason["rule"] == 3 for reason in roster.current.reasons)
    assert dt.date(2027, 3, 10) in _rest(roster, clerk)


def test_hr_may_not_edit_a_roster(cast: Any, client_for: Any) -> None:
    roster, cadres = _draft(cast, Mode.MONTHLY)
    response = _edit(
        client_for("hr_a1"), roster, {"op": "pin", "cadre": cadres[5].pk, "date": "2027-03-01"}, version=roster.version
    )
    assert response.status_code == 403


@pytest.mark.parametrize("body_fix", [{"date": "2027-03-31"}, {"op": "explode"}])
def test_a_malformed_edit_is_a_400_naming_the_field(cast: Any, client_for: Any, body_fix: dict[str, str]) -> None:
    roster, cadres = _draft(cast, Mode.MONTHLY)
    rest = _rest(roster, cadres[5])
    free = next(d for d in (MARCH_2027 + dt.timedelta(days=n) for n in range(31)) if d not in rest)
    body = {"op": "pin", "cadre": cadres[5].pk, "date": free.isoformat(), **body_fix}
    if "date" in body_fix and dt.date.fromisoformat(body_fix["date"]) in rest:
        body["date"] = free.isoformat()
    response = _edit(client_for("secretary_a1"), roster, body, version=roster.version)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] in ("date", "op")


def test_the_month_grid_exports_to_xlsx_for_the_notice_board(cast: Any, client_for: Any) -> None:
    import io

    from openpyxl import load_workbook

    roster, cadres = _draft(cast, Mode.HALF_MONTH)

    response = client_for("county_a_staff").get(f"/api/v1/rosters/{roster.pk}/xlsx/")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "石头乡2027年3月干部轮休安排表" in sheet["A1"].value and "暂定" in sheet["A1"].value
    assert [sheet.cell(2, c).value for c in (1, 2, 3)] == ["姓名", "科室", "休息天数"]
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    rows = {sheet.cell(r, 1).value: r for r in range(4, 4 + 14)}
    clerk_row = rows[cadres[6].name]
    marks = [sheet.cell(clerk_row, c).value for c in range(4, 4 + 31)]
    assert marks.count("休") == 8 == sheet.cell(clerk_row, 3).value
    saturday = 4 + 5  # 6 March 2027 is a Saturday
    assert sheet.cell(2, saturday).fill.fgColor.rgb.endswith("E7E6E6")


def test_a_recall_must_fall_on_a_published_rest_day_and_is_owed_next_month(cast: Any, client_for: Any) -> None:
    from cadrecare.rotation.problem import cadre_key, roster_problem_build
    from cadrecare.rotation.services import roster_publish

    # given October 2026 published (a month already past, so a recall in it has happened)
    october = dt.date(2026, 10, 1)
    roster, cadres = _draft(cast, Mode.MONTHLY, month=october)
    roster_publish(actor=None, roster_obj=roster)
    clerk = cadres[6]
    block = _rest(roster, clerk)
    working = next(d for d in (october + dt.timedelta(days=n) for n in range(31)) if d not in block)
    client = client_for("secretary_a1")
    payload = {"cadre": clerk.pk, "reason": "防汛抢险"}

    wrong_day = client.post("/api/v1/recalls/", {**payload, "date": working.isoformat(), "days_lost": 1}, format="json")
    too_many = client.post(
        "/api/v1/recalls/", {**payload, "date": block[-2].isoformat(), "days_lost": 3}, format="json"
    )
    recorded = client.post(
        "/api/v1/recalls/", {**payload, "date": block[-2].isoformat(), "days_lost": 2}, format="json"
    )

    assert wrong_day.status_code == 400 and wrong_day.json()["errors"][0]["field"] == "date"
    assert too_many.status_code == 400 and too_many.json()["errors"][0]["field"] == "days_lost"
    assert recorded.status_code == 201, recorded.json()
    november = roster_problem_build(unit=cast.town_a1, month=dt.date(2026, 11, 1)).problem.cadres
    assert {c.id: c for c in november}[cadre_key(clerk.pk)].carry_days == 2


def test_a_cadre_subscribes_to_their_rest_days_at_a_secret_address(cast: Any, client_for: Any) -> None:
    from rest_framework.test import APIClient

    from cadrecare.rotation.services import roster_publish

    roster, _ = _draft(cast, Mode.HALF_MONTH, month=dt.date(2026, 12, 1))
    roster_publish(actor=None, roster_obj=roster)
    cadre_client = client_for("cadre_a1_user")

    address = cadre_client.get("/api/v1/roster-days/feed-url/").json()["path"]
    feed = APIClient().get(address)  # a phone, not logged in

    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    rest = _rest(roster, cast.cadre_a1)
    assert body.count("BEGIN:VEVENT") == 2  # two 4-day blocks in half-month mode
    assert f"DTSTART;VALUE=DATE:{rest[0]:%Y%m%d}" in body
    # renewing the address retires the old one
    renewed = cadre_client.post("/api/v1/roster-days/feed-url/").json()["path"]
    assert renewed != address
    assert APIClient().get(address).status_code == 404
    assert APIClient().get(renewed).status_code == 200
