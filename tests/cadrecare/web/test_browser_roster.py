"""In a real browser, on a phone and on a desktop, with a real Celery worker:
the demo township's party secretary plans next month. They open 轮休排班,
generate (the page shows the progress until the worker has solved it), read
the grid, move a rest block, see a move that breaks a rule refused with the
rule named, publish (confirming the provisional holidays), and open the
notice-board print. A 150-cadre township's grid stays usable on a phone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.org.choices import Role, UnitKind
from cadrecare.org.demo import DEMO_PASSWORD
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import Mode, RosterStatus
from cadrecare.rotation.models import Roster, RotationPolicy
from cadrecare.rotation.services import generation_item_run, generation_request
from tests.browser import sign_in
from tests.cadrecare.rotation.conftest import build_township
from tests.cadrecare.web.roster_support import a_move
from tests.factories import OrgUnitFactory, RoleGrantFactory, UserFactory

GENERATION_SECONDS = 120


def open_nav(page: Page, name: str) -> None:
    if page.viewport_name == "phone":  # type: ignore[attr-defined]
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name=name).click()


def test_the_secretary_plans_next_month(demo: None, roster_worker: Any, page: Page, shoot: Any) -> None:
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    # given the demo township's party secretary, signed in
    sign_in(page, "secretary")

    # when they open 轮休排班: next month, not generated yet
    open_nav(page, "轮休排班")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{month.year}年{month.month}月轮休排班")
    expect(page.locator(".roster-status")).to_contain_text("本月还没有排班")
    shoot(page, "empty-month")

    # and generate it: the page says it is working, then shows the grid the worker solved
    page.get_by_role("button", name="生成排班").click()
    expect(page.locator("#run-panel")).to_contain_text("正在生成排班")
    shoot(page, "generating")
    expect(page.locator("table.g")).to_be_visible(timeout=GENERATION_SECONDS * 1000)
    roster = Roster.objects.get(unit__name=page.locator(".roster-unit").inner_text().split(" · ")[-1], month=month)
    expect(page.locator(".roster-status")).to_contain_text("草稿")
    expect(page.locator(".roster-metrics")).to_contain_text("周末和节假日共安排休息")
    assert page.locator("table.g tbody tr").count() == roster.current.days.values("cadre").distinct().count()
    shoot(page, "grid")

    # when they open a block and move it to a day that keeps every rule
    cadre, start, to = a_move(roster, breaks_a_rule=False)
    version = Roster.objects.get(pk=roster.pk).version
    page.locator(f'.g a[href*="cadre={cadre}&date={start}"]').first.click()
    panel = page.locator("#edit-panel .block-panel")
    expect(panel).to_contain_text("的休息")
    shoot(page, "block-panel")
    panel.locator("select[name='move-to_date']").select_option(to)
    panel.get_by_role("button", name="调整", exact=True).click()

    # then the roster is a version further and the page says so, the grid redrawn
    expect(page.locator("#roster-body > .alert-success")).to_contain_text("已调整")
    assert Roster.objects.get(pk=roster.pk).version == version + 1
    expect(page.locator(f'.g a[href*="cadre={cadre}&date={to}"]').first).to_be_visible()
    expect(page.locator(f'.g a[href*="cadre={cadre}&date={start}"]')).to_have_count(0)
    shoot(page, "moved")

    # when they try a move that breaks a rule
    cadre, start, to = a_move(roster, breaks_a_rule=True)
    page.locator(f'.g a[href*="cadre={cadre}&date={start}"]').first.click()
    panel = page.locator("#edit-panel .block-panel")
    panel.locator("select[name='move-to_date']").select_option(to)
    panel.get_by_role("button", name="调整", exact=True).click()

    # then it is refused beside the block, naming the rule, and a reason is asked to override it
    expect(panel.locator(".alert-error")).to_contain_text("违反第")
    expect(panel.get_by_label("打破规则仍要调整的理由")).to_be_visible()
    expect(panel.get_by_role("button", name="仍要调整")).to_be_visible()
    assert Roster.objects.get(pk=roster.pk).version == version + 1  # nothing saved
    shoot(page, "rule-break")

    # when they close the panel and publish, confirming the provisional holidays
    panel.get_by_role("link", name="关闭").click()
    if roster.provisional_calendar or page.get_by_label(re.compile("节假日安排为暂定")).count():
        page.get_by_label(re.compile("节假日安排为暂定")).check()
    page.get_by_role("button", name="发布排班").click()
    expect(page.locator(".roster-status")).to_contain_text("已发布")
    assert Roster.objects.get(pk=roster.pk).status == RosterStatus.PUBLISHED
    shoot(page, "published")

    # and open the notice board with the duty phone filled in
    page.get_by_role("link", name="打印张贴版").click()
    page.get_by_label("值班电话").fill("0888-5123456")
    page.get_by_role("button", name="填入表中").click()
    sheet = page.locator(".sheet")
    expect(sheet).to_contain_text(f"{month.year}年{month.month}月干部轮休安排表")
    expect(sheet).to_contain_text("0888-5123456")
    expect(sheet).to_contain_text("带班领导")
    expect(sheet).to_contain_text("审核：")
    shoot(page, "print")
    if page.viewport_name == "desktop":  # type: ignore[attr-defined]
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
        shoot(page, "print-media")


@pytest.mark.django_db(transaction=True)
def test_a_150_cadre_grid_stays_usable_on_a_phone(phone_page: Page, shoot: Any, settings: Any) -> None:
    settings.ROTATION_SOLVE_SECONDS = 10
    # given a township of 150 cadres with a generated draft, and its secretary
    county = OrgUnitFactory(kind=UnitKind.COUNTY, name="大县")
    town = OrgUnitFactory(parent=county, name="大乡")
    RotationPolicy.objects.create(unit=county, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)
    party_secretary = build_township(town, 150)[0]
    user = UserFactory(username="big_secretary", password=DEMO_PASSWORD)
    RoleGrantFactory(user=user, role=Role.SECRETARY, unit=town)
    Cadre.objects.filter(pk=party_secretary.pk).update(user=user)
    month = dt.date(2027, 3, 1)
    run = generation_request(actor=None, unit=town, month=month, today=dt.date(2027, 2, 1))
    generation_item_run(item_id=run.items.get().pk)
    assert Roster.objects.get(unit=town).current.solver_status in ("optimal", "feasible")

    # when the secretary opens it on a phone
    sign_in(phone_page, "big_secretary")
    phone_page.goto(f"/roster/{town.pk}/2027-03/")
    grid = phone_page.locator(".g-wrap")
    expect(grid).to_be_visible()
    shoot(phone_page, "big-grid")
    first_name = phone_page.locator(".g tbody th.g-name").first
    before = first_name.bounding_box()

    # and scroll the grid sideways to the end of the month
    grid.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    phone_page.wait_for_timeout(200)

    # then the names stay where they were (sticky), and the month's last day is in view
    after = first_name.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 1
    last_day = phone_page.locator(".g thead th.g-day").last.bounding_box()
    view = grid.bounding_box()
    assert last_day and view and last_day["x"] + last_day["width"] <= view["x"] + view["width"] + 1
    shoot(phone_page, "big-grid-scrolled")
