"""轮休排班 in the workbench: editing a rest block from the month page through
the roster edit (a move, a stale version, a rule break refused then overridden
with a reason, a bad field, a swap and a pin)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from cadrecare.rotation.choices import DayKind, SolverStatus
from cadrecare.rotation.models import Roster, RosterDay
from tests.cadrecare.web.roster_support import a_move, block_fields, page_url, signed, text


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
