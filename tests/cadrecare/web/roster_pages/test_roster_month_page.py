"""轮休排班 in the workbench: the township's month page (the grid, status and
quality in words, the reasons when there is no roster, the month picker) and
generating a month from it, with the page following the run."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import Mode, SolverStatus
from cadrecare.rotation.models import GenerationRun, Roster, RotationPolicy
from cadrecare.rotation.services import generation_item_run, generation_request
from tests.cadrecare.rotation.conftest import MARCH_2027, build_township
from tests.cadrecare.rotation.support import Plan, hand_roster, span
from tests.cadrecare.web.roster_support import MONTH, page_url, signed, text
from tests.factories import OrgUnitFactory


def test_the_month_page_shows_the_grid_status_and_quality_in_words(cast: Any, draft: Any) -> None:
    # given a solved draft of March 2027
    roster, cadres = draft

    # when the township's secretary opens the month
    response = signed(cast.secretary_a1).get(page_url(cast.town_a1))

    # then the grid has a row per cadre and a column per day, rest as 休, duty and away as marks
    assert response.status_code == 200
    body = response.content.decode()
    said = text(response)
    on_roster = roster.current.days.values("cadre").distinct().count()
    assert on_roster >= len(cadres) and body.count('<th scope="row" class="g-name"><span class="g-who">') == on_roster
    assert body.count('class="g-day') == 31
    assert "休" in said and "在岗 / 最低" in said
    # weekends shaded AND named: the weekday letter and a star, the legend saying what they mean
    assert re.search(
        r'class="g-day w"[^>]*><span class="g-d">6</span><span class="g-wd">六<span class="g-star">★', body
    )
    assert "周末和节假日（宜休日，底色加深）" in said
    # status and metrics v2 in words; the provisional 2027 holidays said so
    assert "草稿" in said and ("可行" in said or "最优" in said)
    assert re.search(r"周末和节假日共安排休息 \d+ 人次", said)
    assert "节假日安排尚未按国务院通知确认（暂定）" in said
    # the secretary may edit: every rest day links to its block
    assert f"/roster/{cast.town_a1.pk}/{MONTH}/block/?cadre=" in body


def test_the_grid_shows_published_rest_spent_away_as_away(cast: Any, client_for: Any) -> None:
    # given 木晓梅's published rest of March 10–17, and annual leave recorded afterwards over the 15th–21st
    hand_roster(cast.town_a1, MARCH_2027, {cast.cadre_a1: Plan(rest=span(dt.date(2027, 3, 10), 8))})
    leave = {"cadre": cast.cadre_a1.pk, "kind": "annual_leave", "start": "2027-03-15", "end": "2027-03-21"}
    assert client_for("secretary_a1").post("/api/v1/absences/", leave).status_code == 201

    # when the secretary opens the month
    body = signed(cast.secretary_a1).get(page_url(cast.town_a1)).content.decode()

    # (published by the service itself, with nobody's name on it)
    assert "已发布，干部已收到通知" in body
    # then her row shows the 10th–14th as rest and the 15th–17th as away (外), no longer linked to a block
    row = body.split(f'<span class="g-who">{cast.cadre_a1.name}', 1)[1].split("</tr>", 1)[0]
    marks = re.findall(r'<td class="([rad]) [^"]*">(?:<a [^>]*>)?([^<]*)', row)
    assert [kind for kind, _ in marks[9:17]] == ["r"] * 5 + ["a"] * 3
    assert [mark for _, mark in marks[14:17]] == ["外"] * 3


def test_the_kept_grid_follows_what_changes_without_a_new_version(cast: Any, client_for: Any) -> None:
    # given 木晓梅's published rest of March 10–17, the month already looked at once (its grid kept)
    hand_roster(cast.town_a1, MARCH_2027, {cast.cadre_a1: Plan(rest=span(dt.date(2027, 3, 10), 8))})
    secretary = signed(cast.secretary_a1)
    first = secretary.get(page_url(cast.town_a1)).content.decode()
    assert first.count('<th scope="row" class="g-name">') > 1
    version = Roster.objects.get(unit=cast.town_a1).current_id

    # when, with no new version of the roster, leave is recorded over the 15th–21st and she is renamed
    leave = {"cadre": cast.cadre_a1.pk, "kind": "annual_leave", "start": "2027-03-15", "end": "2027-03-21"}
    assert client_for("secretary_a1").post("/api/v1/absences/", leave).status_code == 201
    Cadre.objects.filter(pk=cast.cadre_a1.pk).update(name="木晓梅（改名）")
    assert Roster.objects.get(unit=cast.town_a1).current_id == version

    # then the page and the API's grid show both, not the kept grid of the first look
    body = secretary.get(page_url(cast.town_a1)).content.decode()
    row = body.split('<span class="g-who">木晓梅（改名）', 1)[1].split("</tr>", 1)[0]
    marks = re.findall(r'<td class="([rad]) [^"]*">', row)
    assert marks[9:17] == ["r"] * 5 + ["a"] * 3
    roster = Roster.objects.get(unit=cast.town_a1)
    grid = client_for("secretary_a1").get(f"/api/v1/rosters/{roster.pk}/grid/").json()
    mine = next(cadre for cadre in grid["cadres"] if cadre["id"] == cast.cadre_a1.pk)
    assert mine["name"] == "木晓梅（改名）" and mine["days"][14:17] == ["away"] * 3


def test_a_version_solved_before_metrics_v2_says_it_is_the_old_measure(cast: Any, draft: Any) -> None:
    roster, _ = draft
    roster.current.metrics = {"preference_penalty": 2, "fairness_spread": 1.5, "smoothness": 3}
    roster.current.save()

    said = text(signed(cast.secretary_a1).get(page_url(cast.town_a1)))

    assert "以下为旧版质量指标" in said and "个人休息意愿未满足 2 处" in said
    assert "周末和节假日共安排休息" not in said


def test_a_short_day_shows_the_count_against_the_minimum(cast: Any, draft: Any) -> None:
    # given a rule broken on purpose: the policy's minimum is now above the count on duty on some day
    roster, _ = draft
    problem = dict(roster.current.problem)
    problem["policy"] = {**problem["policy"], "min_on_duty_ratio": 0.95}
    roster.current.problem = problem
    roster.current.save()

    said = text(signed(cast.secretary_a1).get(page_url(cast.town_a1)))

    assert re.search(r"有 \d+ 天在岗人数低于政策最低要求", said)
    assert re.search(r"缺\d", said)


def test_the_grid_query_count_does_not_grow_with_the_cadres(cast: Any, count_queries: Any) -> None:
    # given two townships of one county, of 12 and of 36 cadres, each with a draft
    RotationPolicy.objects.create(unit=cast.county_a, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)
    big = OrgUnitFactory(parent=cast.county_a, name="大乡")
    for unit, size in ((cast.town_a2, 12), (big, 36)):
        build_township(unit, size)
        run = generation_request(actor=None, unit=unit, month=MARCH_2027, today=dt.date(2027, 2, 1))
        generation_item_run(item_id=run.items.get().pk)
    client = signed(cast.county_a_staff)
    for unit in (cast.town_a2, big):
        assert client.get(page_url(unit)).status_code == 200  # warm: the year's holidays are seeded once

    # when the county officer opens each month page
    small_count = count_queries(lambda: client.get(page_url(cast.town_a2)))
    big_count = count_queries(lambda: client.get(page_url(big)))

    # then the queries are the same, and few
    assert small_count == big_count <= 14


def test_an_infeasible_month_gives_the_reasons_with_names_dates_and_what_to_change(cast: Any) -> None:
    # given a policy that cannot be met: no rest allowed on any day of March
    build_township(cast.town_a1, 8)
    RotationPolicy.objects.create(
        unit=cast.town_a1,
        effective_from=dt.date(2026, 1, 1),
        mode=Mode.MONTHLY,
        blackout=[{"from": "2027-03-01", "to": "2027-03-31", "reason": "防汛"}],
    )
    run = generation_request(actor=None, unit=cast.town_a1, month=MARCH_2027, today=dt.date(2027, 2, 1))
    generation_item_run(item_id=run.items.get().pk)
    assert Roster.objects.get(unit=cast.town_a1).current.solver_status == SolverStatus.INFEASIBLE

    # when the secretary opens the month
    response = signed(cast.secretary_a1).get(page_url(cast.town_a1))

    # then the reasons are there in Chinese, naming the rule and what can be changed; no grid, no publish
    said = text(response)
    assert response.status_code == 200
    assert "排不出符合全部规则的排班" in said and "第 " in said and "条规则" in said
    assert "可以这样改" in said and "县（区）委组织部" in said
    assert "鲁0" in said  # the cadres named, not c123
    assert 'class="g"' not in response.content.decode() and "发布排班" not in said


def test_the_month_picker_goes_to_a_month_or_says_what_is_wrong(cast: Any) -> None:
    client = signed(cast.secretary_a1)

    good = client.get("/roster/", {"unit": cast.town_a1.pk, "month": "2027-05"})
    bad = client.get("/roster/", {"unit": cast.town_a1.pk, "month": "2027-5"})
    other = client.get("/roster/", {"unit": cast.town_b1.pk, "month": "2027-05"})

    assert good.status_code == 302 and good["Location"] == f"/roster/{cast.town_a1.pk}/2027-05/"
    assert bad.status_code == 400 and "月份：月份格式应为 YYYY-MM，如 2027-03。" in text(bad)
    assert other.status_code == 404


# -- generating -------------------------------------------------------------------------------------


def test_generate_queues_a_run_and_the_page_polls_it_until_the_roster_is_there(cast: Any) -> None:
    # given a township with a policy and no roster for March
    build_township(cast.town_a1, 8)
    RotationPolicy.objects.create(unit=cast.town_a1, effective_from=dt.date(2026, 1, 1), mode=Mode.HALF_MONTH)
    client = signed(cast.secretary_a1)

    # when the secretary generates it, without keeping pinned days
    response = client.post(page_url(cast.town_a1, "generate/"), {})

    # then one run is queued for the month, audited as the API's, and the page shows its progress, polling
    assert response.status_code == 303 and response["Location"] == page_url(cast.town_a1)
    run = GenerationRun.objects.get(unit=cast.town_a1, month=MARCH_2027)
    assert run.keep_pinned is False and run.requested_by == cast.secretary_a1
    assert AuditEntry.objects.filter(resource="generation-runs", object_id=str(run.pk), action="create").exists()
    page = client.get(page_url(cast.town_a1)).content.decode()
    assert "正在生成排班" in page and f'hx-get="{page_url(cast.town_a1, "run/")}"' in page
    assert 'http-equiv="refresh"' in page  # and without JavaScript the page reloads itself
    poll = client.get(page_url(cast.town_a1, "run/"), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "正在生成排班" in poll.content.decode() and "<html" not in poll.content.decode()

    # when the worker has solved it, the next poll reloads the page, which shows the grid
    generation_item_run(item_id=run.items.get().pk)
    done = client.get(page_url(cast.town_a1, "run/"), HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done["HX-Refresh"] == "true"
    assert 'class="g"' in client.get(page_url(cast.town_a1)).content.decode()


def test_generating_a_past_month_is_refused_beside_the_form_and_nothing_is_queued(cast: Any) -> None:
    build_township(cast.town_a1, 4)
    past = (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)

    response = signed(cast.secretary_a1).post(
        f"/roster/{cast.town_a1.pk}/{past:%Y-%m}/generate/", {"keep_pinned": "on"}
    )

    assert response.status_code == 400
    assert "已经过去，不能再生成排班" in text(response)
    assert not GenerationRun.objects.exists()
