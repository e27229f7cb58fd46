"""轮休排班 in the workbench: publishing a month, the county acting for a
township whose secretary post is vacant (and not over a serving secretary),
the notice board print and its xlsx."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from openpyxl import load_workbook

from cadrecare.audit.models import AuditEntry
from cadrecare.rotation.choices import Mode, RosterStatus
from cadrecare.rotation.models import GenerationRun, Roster, RotationPolicy
from tests.cadrecare.rotation.conftest import MARCH_2027, build_township
from tests.cadrecare.web.roster_support import a_move, block_fields, page_url, signed, text


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
