"""轮休排班 in the workbench: the township's month page (grid, status and
quality in words, generation and its progress, the reasons when there is no
roster), editing a rest block through the API's roster edit (a stale version,
a rule break refused then overridden with a reason), publishing, the notice
board and its xlsx, who is on duty today, swap approvals and recalls; each
page for each role, in scope and out of it."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import LeaderPost, Role, UnitKind
from cadrecare.org.models import Cadre, OrgUnit, RoleGrant, User
from cadrecare.rotation.choices import DayKind, Mode, RosterStatus, RunStatus, SolverStatus, SwapStatus
from cadrecare.rotation.models import GenerationRun, Recall, Roster, RosterDay, RotationPolicy, SwapRequest
from cadrecare.rotation.services import (
    generation_item_run,
    generation_request,
    roster_publish,
    swap_request_create,
    swap_request_respond,
)
from cadrecare.web.actions import action_for
from tests.cadrecare.rotation.conftest import MARCH_2027, build_township, solved_draft
from tests.cadrecare.rotation.support import Plan, hand_roster, span
from tests.cadrecare.web.conftest import DEMO_ROLES
from tests.cadrecare.web.roster_support import a_move
from tests.factories import OrgUnitFactory, UserFactory

MONTH = "2027-03"


@pytest.fixture(autouse=True)
def _quick_solves(settings: Any) -> None:
    settings.ROTATION_SOLVE_SECONDS = 3


@pytest.fixture
def draft(cast: Any) -> tuple[Roster, list[Cadre]]:
    """石头乡 (the secretary's township) with a solved weekly draft of March 2027."""
    return solved_draft(cast, Mode.WEEKLY)


def signed(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(unit: OrgUnit, tail: str = "") -> str:
    return f"/roster/{unit.pk}/{MONTH}/{tail}"


def text(response: Any) -> str:
    """The page's text without tags, for reading what it says."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def block_fields(roster: Roster, prefix: str, cadre: int, start: str, **extra: Any) -> dict[str, Any]:
    roster.refresh_from_db()
    fields = {
        f"{prefix}-op": extra.pop("op", prefix),
        f"{prefix}-cadre": cadre,
        f"{prefix}-date": start,
        f"{prefix}-version": roster.version,
    }
    fields.update({f"{prefix}-{name}": value for name, value in extra.items()})
    return fields


# -- the month page ---------------------------------------------------------------------------------


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


# -- editing a block ----------------------------------------------------------------------------------


def test_moving_a_block_keeps_every_rule_and_makes_a_new_version(cast: Any, draft: Any) -> None:
    roster, _ = draft
    cadre, start, to = a_move(roster, breaks_a_rule=False)
    client = signed(cast.secretary_a1)
    version = roster.version

    # when the secretary opens the block (htmx: the panel alone) and moves it
    panel = client.get(page_url(cast.town_a1, f"block/?cadre={cadre}&date={start}"), HTTP_HX_REQUEST="true")
    fragment = panel.content.decode()
    assert panel.status_code == 200 and "调到别的日子" in fragment and "<html" not in fragment
    response = client.post(
        page_url(cast.town_a1, "edit/"), block_fields(roster, "move", cadre, start, to_date=to), HTTP_HX_REQUEST="true"
    )

    # then the body comes back with the new grid and says so; the roster is a version further
    assert response.status_code == 200 and "已调整，排班现为第" in text(response)
    roster.refresh_from_db()
    assert roster.version == version + 1 and roster.current.solver_status == SolverStatus.EDITED
    rest = set(
        RosterDay.objects.filter(version=roster.current, cadre_id=cadre, kind=DayKind.REST).values_list(
            "date", flat=True
        )
    )
    assert dt.date.fromisoformat(to) in rest


def test_a_stale_edit_says_someone_else_changed_it_and_shows_the_latest_roster(cast: Any, draft: Any) -> None:
    # given the secretary's page was drawn on a version that has since moved on
    roster, _ = draft
    cadre, start, to = a_move(roster, breaks_a_rule=False)
    fields = block_fields(roster, "move", cadre, start, to_date=to)
    Roster.objects.filter(pk=roster.pk).update(version=roster.version + 1)  # someone else's edit

    # when they move a block on the old page
    response = signed(cast.secretary_a1).post(page_url(cast.town_a1, "edit/"), fields, HTTP_HX_REQUEST="true")

    # then it is refused as stale, in words, the grid is drawn again, nothing is saved
    assert response.status_code == 412
    said = text(response)
    assert f"这份排班刚被他人修改（现为第 {roster.version + 1} 版），已为您载入最新的排班" in said
    assert 'class="g"' in response.content.decode()
    assert Roster.objects.get(pk=roster.pk).current_id == roster.current_id


def test_a_rule_break_is_refused_with_the_rule_then_overridden_with_a_reason(cast: Any, draft: Any) -> None:
    roster, _ = draft
    cadre, start, to = a_move(roster, breaks_a_rule=True)
    client = signed(cast.secretary_a1)
    before = roster.current_id

    # when the secretary makes a move that breaks a rule (no JavaScript: the whole page)
    refused = client.post(page_url(cast.town_a1, "edit/"), block_fields(roster, "move", cadre, start, to_date=to))

    # then it is refused in the block's panel: the rule by number and name, in Chinese, with the people
    # named; a field asks why to break it anyway; nothing is saved
    assert refused.status_code == 400
    said = text(refused)
    assert re.search(r"违反第 \d 条规则（[^）]+）：", said)
    assert not re.search(r"\bc\d+\b", said)  # cadres by name, never by problem id
    assert 'name="move-override_reason"' in refused.content.decode() and "仍要调整" in said
    assert Roster.objects.get(pk=roster.pk).current_id == before

    # when they give the reason and submit again
    fields = block_fields(roster, "move", cadre, start, to_date=to, override_reason="防汛值守，县里同意")
    done = client.post(page_url(cast.town_a1, "edit/"), fields)

    # then the move is made, the reason kept with the version and its broken rules recorded
    assert done.status_code == 303
    roster.refresh_from_db()
    assert "防汛值守，县里同意" in roster.current.note and roster.current.reasons


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"to_date": "2027-13-01"}, "调到（新的开始日期）"),
        ({"to_date": ""}, "调到（新的开始日期）"),
    ],
)
def test_a_bad_move_is_refused_beside_its_field(cast: Any, draft: Any, fields: dict[str, str], label: str) -> None:
    roster, _ = draft
    cadre, start, _to = a_move(roster, breaks_a_rule=False)

    response = signed(cast.secretary_a1).post(
        page_url(cast.town_a1, "edit/"), block_fields(roster, "move", cadre, start, **fields)
    )

    assert response.status_code == 400
    assert re.search(rf"{re.escape(label)}：\S+", text(response))
    assert Roster.objects.get(pk=roster.pk).current_id == roster.current_id


def test_swap_and_pin_go_through_the_same_edit(cast: Any, draft: Any) -> None:
    roster, cadres = draft
    client = signed(cast.secretary_a1)
    grid = client.get(page_url(cast.town_a1)).content.decode()
    links = re.findall(r"block/\?cadre=(\d+)&amp;date=([0-9-]+)", grid)
    (cadre, start) = links[0]

    pinned = client.post(page_url(cast.town_a1, "edit/"), block_fields(roster, "pin", int(cadre), start, op="pin"))

    assert pinned.status_code == 303
    roster.refresh_from_db()
    assert RosterDay.objects.filter(version=roster.current, cadre_id=cadre, date=start, pinned=True).exists()
    others = [(c, d) for c, d in links if c != cadre]
    for other, other_start in others:
        swap = block_fields(roster, "swap", int(cadre), start, other=f"{other}:{other_start}")
        response = client.post(page_url(cast.town_a1, "edit/"), swap)
        if response.status_code == 303:
            break
        assert response.status_code == 400 and "违反第" in text(response)  # the rules refused that pair
    else:
        pytest.fail("no swap kept the rules")
    roster.refresh_from_db()
    assert "互换休息" in roster.current.note


# -- publishing, the notice board ---------------------------------------------------------------------


def test_publishing_a_provisional_month_needs_the_confirmation(cast: Any, draft: Any) -> None:
    roster, _ = draft
    client = signed(cast.secretary_a1)

    refused = client.post(page_url(cast.town_a1, "publish/"), {})

    assert refused.status_code == 400
    assert re.search(r"仍要发布：2027 年的节假日安排尚未按国务院通知确认（暂定）", text(refused))
    assert Roster.objects.get(pk=roster.pk).status == RosterStatus.DRAFT

    published = client.post(page_url(cast.town_a1, "publish/"), {"confirm_provisional": "on"})

    assert published.status_code == 303
    assert Roster.objects.get(pk=roster.pk).status == RosterStatus.PUBLISHED
    written = AuditEntry.objects.filter(resource="rosters", object_id=str(roster.pk)).exclude(action="read")
    assert list(written.values_list("fields", flat=True)) == [["status"]]  # the publish, once; the refusal none
    page = client.get(page_url(cast.town_a1)).content.decode()
    assert "发布，干部已收到通知" in text(client.get(page_url(cast.town_a1)))
    assert "/publish/" not in page and "/generate/" not in page  # neither again


def test_the_county_publishes_for_a_township_whose_secretary_post_is_vacant(cast: Any, draft: Any) -> None:
    # given 石头乡's draft while its secretary's login is deactivated (the post vacant)
    roster, _ = draft
    cast.secretary_a1.is_active = False
    cast.secretary_a1.save()
    client = signed(cast.county_a_staff)

    # when the county's organization department staff open the month, then publish it
    page = client.get(page_url(cast.town_a1))
    published = client.post(page_url(cast.town_a1, "publish/"), {"confirm_provisional": "on"})

    # then the page offers to publish and says for whom; it is published in their name, audited as acting
    assert "/publish/" in page.content.decode()
    assert "乡镇党委书记空缺，由县委组织部代为生成、调整和发布" in text(page)
    assert published.status_code == 303
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED and roster.published_by == cast.county_a_staff
    entry = AuditEntry.objects.get(action="update", resource="rosters", object_id=str(roster.pk), fields=["status"])
    assert entry.roles == f"org_staff,acting:secretary@{cast.town_a1.code}"


def test_the_county_regenerates_for_a_township_whose_secretary_post_is_vacant(cast: Any, draft: Any) -> None:
    # given 石头乡's draft while its secretary's login is deactivated
    cast.secretary_a1.is_active = False
    cast.secretary_a1.save()
    client = signed(cast.county_a_staff)

    # when the county's organization department staff regenerate it from the page
    assert "/generate/" in client.get(page_url(cast.town_a1)).content.decode()
    queued = client.post(page_url(cast.town_a1, "generate/"), {"keep_pinned": "on"})

    # then a run is queued in their name, audited as acting for the township secretary
    assert queued.status_code == 303
    run = GenerationRun.objects.latest("pk")
    assert run.requested_by == cast.county_a_staff
    entry = AuditEntry.objects.get(action="create", resource="generation-runs", object_id=str(run.pk))
    assert entry.roles == f"org_staff,acting:secretary@{cast.town_a1.code}"


def test_the_county_generates_a_vacant_townships_first_roster_of_the_month_from_the_page(cast: Any) -> None:
    # given 石头乡 with a policy, no roster for March, and its secretary's login deactivated (the post vacant)
    build_township(cast.town_a1, 8)
    RotationPolicy.objects.create(unit=cast.town_a1, effective_from=dt.date(2026, 1, 1), mode=Mode.HALF_MONTH)
    cast.secretary_a1.is_active = False
    cast.secretary_a1.save()
    client = signed(cast.county_a_staff)

    # when the county's organization department staff open the month and generate it
    page = client.get(page_url(cast.town_a1))
    queued = client.post(page_url(cast.town_a1, "generate/"), {"keep_pinned": "on"})

    # then the page offered it and said for whom; the run is theirs, audited as acting for the township
    assert "/generate/" in page.content.decode() and "县委组织部代为生成" in text(page)
    assert queued.status_code == 303
    run = GenerationRun.objects.get(unit=cast.town_a1, month=MARCH_2027)
    assert run.requested_by == cast.county_a_staff
    entry = AuditEntry.objects.get(action="create", resource="generation-runs", object_id=str(run.pk))
    assert entry.roles == f"org_staff,acting:secretary@{cast.town_a1.code}"


def test_the_county_moves_a_block_for_a_township_whose_secretary_post_is_vacant(cast: Any, draft: Any) -> None:
    # given 石头乡's draft while its secretary's login is deactivated
    roster, _ = draft
    cast.secretary_a1.is_active = False
    cast.secretary_a1.save()
    cadre, start, to = a_move(roster, breaks_a_rule=False)
    client = signed(cast.county_a_staff)
    version = roster.version

    # when the county's organization department staff open a block and move it
    panel = client.get(page_url(cast.town_a1, f"block/?cadre={cadre}&date={start}"), HTTP_HX_REQUEST="true")
    moved = client.post(
        page_url(cast.town_a1, "edit/"), block_fields(roster, "move", cadre, start, to_date=to), HTTP_HX_REQUEST="true"
    )

    # then the same checked edit applies, audited as acting for the township secretary
    assert panel.status_code == 200 and "调到别的日子" in panel.content.decode()
    assert moved.status_code == 200 and "已调整，排班现为第" in text(moved)
    roster.refresh_from_db()
    assert roster.version == version + 1
    entry = AuditEntry.objects.get(action="update", resource="rosters", object_id=str(roster.pk), fields=["days"])
    assert entry.roles == f"org_staff,acting:secretary@{cast.town_a1.code}"


def test_the_county_may_not_publish_or_regenerate_over_a_serving_secretary_from_the_page(cast: Any, draft: Any) -> None:
    # given 石头乡's draft with its secretary in post
    roster, _ = draft
    client = signed(cast.county_a_staff)

    # when the county's organization department staff open the month and post a publish anyway
    page = client.get(page_url(cast.town_a1))
    refused = client.post(page_url(cast.town_a1, "publish/"), {"confirm_provisional": "on"})
    runs = GenerationRun.objects.count()
    regenerate = client.post(page_url(cast.town_a1, "generate/"), {"keep_pinned": "on"})
    cadre, start, to = a_move(roster, breaks_a_rule=False)
    version = roster.version
    block = client.get(page_url(cast.town_a1, f"block/?cadre={cadre}&date={start}"), HTTP_HX_REQUEST="true")
    moved = client.post(page_url(cast.town_a1, "edit/"), block_fields(roster, "move", cadre, start, to_date=to))

    # then neither is offered, both posts are refused and the draft stays
    assert "/publish/" not in page.content.decode() and "/generate/" not in page.content.decode()
    assert "县委组织部代为" not in text(page)
    assert refused.status_code == 403 and regenerate.status_code == 403
    assert block.status_code == 403 and moved.status_code == 403
    assert "有在任的党委书记" in text(moved)
    assert GenerationRun.objects.count() == runs
    roster.refresh_from_db()
    assert roster.status == RosterStatus.DRAFT and roster.version == version


def test_the_notice_board_print_and_the_xlsx(cast: Any, draft: Any) -> None:
    roster, cadres = draft
    client = signed(cast.secretary_a1)

    printed = client.get(page_url(cast.town_a1, "print/"), {"phone": "0888-5123456", "maker": "李文书"})
    bad = client.get(page_url(cast.town_a1, "print/"), {"phone": "call me"})
    sheet = client.get(page_url(cast.town_a1, "xlsx/"))

    said = text(printed)
    assert printed.status_code == 200
    assert "石头乡2027年3月干部轮休安排表" in said and "（草稿，尚未发布）" in said
    assert "0888-5123456" in said and "李文书" in said and "审核：" in said and "日期：" in said
    assert re.search(r"带班领导 鲁0[0-3] ", said)  # each day's duty leader, by name
    assert bad.status_code == 400 and "值班电话：请填写数字电话号码" in text(bad)
    assert sheet.status_code == 200
    book = load_workbook(io.BytesIO(sheet.content))
    assert "石头乡2027年3月干部轮休安排表" in book.active["A1"].value


# -- the other pages --------------------------------------------------------------------------------------


def test_today_on_duty_lists_leaders_first(cast: Any) -> None:
    # given this month's roster of the township, generated
    build_township(cast.town_a1, 12)
    RotationPolicy.objects.create(unit=cast.town_a1, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)
    month = clock.today().replace(day=1)
    run = generation_request(actor=None, unit=cast.town_a1, month=month)
    generation_item_run(item_id=run.items.get().pk)

    response = signed(cast.secretary_a1).get("/roster/today/")

    said = text(response)
    assert response.status_code == 200
    assert "本月排班尚未发布（草稿）" in said
    on_duty = RosterDay.objects.filter(
        version=Roster.objects.get(unit=cast.town_a1).current, date=clock.today(), kind=DayKind.DUTY
    ).select_related("cadre")
    leaders = [d.cadre.name for d in on_duty if d.cadre.leader_post != LeaderPost.NONE]
    assert re.search(rf"在岗 {on_duty.count()} 人", said)
    assert said.index("在岗班子成员") < said.index(leaders[0]) < said.index("在岗干部")


def _agreed_swap(cast: Any, monkeypatch: pytest.MonkeyPatch) -> SwapRequest:
    """A published March roster and a swap both cadres agreed to, on 20 February."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 2, 20))
    roster, cadres = solved_draft(cast, Mode.MONTHLY)
    roster = roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)
    staff = [c for c in cadres if c.leader_post == LeaderPost.NONE]
    users = {}
    for cadre in staff:
        users[cadre.pk] = UserFactory(username=f"cadre{cadre.pk}")
        RoleGrant.objects.create(user=users[cadre.pk], role=Role.CADRE, unit=cast.town_a1)
        Cadre.objects.filter(pk=cadre.pk).update(user=users[cadre.pk])
    rest = {
        c.pk: sorted(
            RosterDay.objects.filter(version=roster.current, cadre=c, kind=DayKind.REST).values_list("date", flat=True)
        )
        for c in staff
    }
    for a in staff:
        for b in staff:
            if a.pk == b.pk or not rest[a.pk] or not rest[b.pk] or rest[a.pk][0] == rest[b.pk][0]:
                continue
            try:
                swap = swap_request_create(
                    actor=users[a.pk],
                    roster_id=roster.pk,
                    counterpart_id=b.pk,
                    requester_start=rest[a.pk][0],
                    counterpart_start=rest[b.pk][0],
                    reason="孩子中考，想换到月中陪考",
                )
            except DomainError:
                continue
            return swap_request_respond(actor=users[b.pk], swap=swap, accept=True)
    raise AssertionError("no swap of this roster keeps the rules")


def test_a_swap_is_rejected_only_with_a_reason_and_approved_into_the_roster(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    swap = _agreed_swap(cast, monkeypatch)
    client = signed(cast.secretary_a1)

    listed = client.get("/roster/swaps/")
    assert listed.status_code == 200 and swap.requester.name in text(listed) and "待我审批（1）" in text(listed)

    # a rejection without a reason: refused beside the field, nothing changes
    bare = client.post(f"/roster/swaps/{swap.pk}/", {"decision": "reject", "note": ""})
    assert bare.status_code == 400 and "审批意见：不批准时请写明理由" in text(bare)
    assert SwapRequest.objects.get(pk=swap.pk).status == SwapStatus.PENDING_APPROVAL
    # no decision at all: the field says so
    assert "审批：该字段是必填项" in text(client.post(f"/roster/swaps/{swap.pk}/", {"note": "x"}))

    # an approval applies the exchange as a roster edit
    approved = client.post(f"/roster/swaps/{swap.pk}/", {"decision": "approve", "note": ""})
    assert approved.status_code == 303
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPLIED and swap.applied_version is not None


def test_recording_a_recall(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a published March roster, and a cadre resting on 10 March
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 3, 20))
    roster, cadres = solved_draft(cast, Mode.MONTHLY)
    roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)
    rest = RosterDay.objects.filter(version=roster.current, kind=DayKind.REST).order_by("date").first()
    client = signed(cast.secretary_a1)
    url = "/roster/recalls/new/"

    # bad input: a date in the future, a cadre of another township; each beside its field, nothing saved
    future = client.post(url, {"cadre": rest.cadre_id, "date": "2027-03-25", "days_lost": 1, "reason": "防汛"})
    other = client.post(url, {"cadre": cast.cadre_b1.pk, "date": rest.date, "days_lost": 1, "reason": "防汛"})
    assert future.status_code == 400 and "召回日期：召回须是已经发生的事" in text(future)
    assert other.status_code == 400 and re.search(r"被召回的干部：\S*选择", text(other))
    assert not Recall.objects.exists()

    # good input: recorded, audited, listed
    done = client.post(url, {"cadre": rest.cadre_id, "date": rest.date, "days_lost": 1, "reason": "防汛"})
    assert done.status_code == 303
    recall = Recall.objects.get()
    assert recall.recorded_by == cast.secretary_a1
    written = AuditEntry.objects.filter(resource="recalls").exclude(action="read")
    assert list(written.values_list("action", "object_id")) == [("create", str(recall.pk))]  # refusals left none
    assert rest.cadre.name in text(client.get("/roster/recalls/"))


def test_my_items_link_a_draft_to_its_month_page(cast: Any, draft: Any) -> None:
    roster, _ = draft
    action = action_for(cast.secretary_a1, "roster_publish", roster.pk)
    assert action is not None and action_for(cast.cadre_a1_user, "roster_publish", roster.pk) is None
    response = signed(cast.secretary_a1).get(action["url"])
    assert response.status_code == 302 and response["Location"] == page_url(cast.town_a1)


# -- who may open what ------------------------------------------------------------------------------------


def test_pages_refuse_other_townships_and_roles_without_the_right(cast: Any, draft: Any) -> None:
    roster, _ = draft
    cadre, start, _to = a_move(roster, breaks_a_rule=False)
    month, block = page_url(cast.town_a1), page_url(cast.town_a1, f"block/?cadre={cadre}&date={start}")
    expected = {
        # another township's secretary: not found, as the API answers out of scope
        "secretary_b1": {month: 404, block: 404, f"/roster/r/{roster.pk}/": 404, page_url(cast.town_a1, "print/"): 404},
        # HR reads the roster; editing is the secretary's
        "hr_a1": {month: 200, block: 403, page_url(cast.town_a1, "print/"): 200},
        # the county reads, the city may lock; neither edits
        "county_a_staff": {month: 200, block: 403, "/roster/swaps/": 403, "/roster/recalls/new/": 403},
        "city_admin": {month: 200, block: 403, "/roster/recalls/new/": 200},
        # a cadre has no roster page at all (their own rest days are another page)
        "cadre_a1_user": {month: 403, "/roster/": 403, "/roster/today/": 403, "/roster/swaps/": 403},
    }
    for name, pages in expected.items():
        client = signed(cast.user(name))
        for url, status in pages.items():
            assert client.get(url).status_code == status, (name, url)
    # a write out of scope is not found either, and changes nothing
    post = signed(cast.secretary_b1).post(page_url(cast.town_a1, "publish/"), {"confirm_provisional": "on"})
    assert post.status_code == 404 and Roster.objects.get(pk=roster.pk).status == RosterStatus.DRAFT


@pytest.mark.django_db(transaction=True)
def test_every_roster_page_for_every_demo_role(demo: None, signed_in: Any) -> None:
    # given the demo city, the secretary's township with a generated draft of next month
    secretary = User.objects.get(username="secretary")
    town = OrgUnit.objects.get(grants__user=secretary)
    other = OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).exclude(pk=town.pk).first()
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run = generation_request(actor=secretary, unit=town, month=month)
    assert generation_item_run(item_id=run.items.get().pk) == RunStatus.SOLVED
    roster = Roster.objects.get(unit=town, month=month)
    mine, theirs = f"/roster/{town.pk}/{month:%Y-%m}/", f"/roster/{other.pk}/{month:%Y-%m}/"
    cadre, start, _to = a_move(roster, breaks_a_rule=False)
    pages = {
        "/roster/": {"city_admin": 200, "county_staff": 200, "secretary": 302, "hr": 302, "cadre": 403},
        mine: {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        theirs: {"city_admin": 200, "county_staff": 200, "secretary": 404, "hr": 404, "cadre": 403},
        f"{mine}block/?cadre={cadre}&date={start}": {
            "city_admin": 403,
            "county_staff": 403,
            "secretary": 200,
            "hr": 403,
            "cadre": 403,
        },
        f"{mine}print/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        f"{mine}xlsx/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        f"{theirs}print/": {"secretary": 404, "hr": 404},
        f"/roster/r/{roster.pk}/": {"city_admin": 302, "county_staff": 302, "secretary": 302, "hr": 302, "cadre": 403},
        "/roster/today/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 403},
        "/roster/swaps/": {"city_admin": 403, "county_staff": 403, "secretary": 200, "hr": 403, "cadre": 403},
        "/roster/recalls/": {"city_admin": 200, "county_staff": 200, "secretary": 200, "hr": 200, "cadre": 200},
        "/roster/recalls/new/": {"city_admin": 200, "county_staff": 403, "secretary": 200, "hr": 403, "cadre": 403},
    }
    for role in DEMO_ROLES:
        client = signed_in(role)
        for url, statuses in pages.items():
            if role in statuses:
                assert client.get(url).status_code == statuses[role], (role, url)
        # the nav shows the rotation pages a role may open, and only those
        nav = client.get("/").content.decode()
        assert ("/roster/swaps/" in nav) == (pages["/roster/swaps/"][role] == 200), role
    # the secretary's due item for the draft links to its month page
    items = signed_in("secretary").get("/?kind=roster_publish&within=all").content.decode()
    assert f"/roster/r/{roster.pk}/" in items
