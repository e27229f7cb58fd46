"""In a real browser, on a phone and on a desktop: the demo county officer
opens 总览 from the nav, reads the township table and its trend charts, and
drills into one township's overdue items."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cadrecare.org.models import Cadre
from tests.browser import sign_in


def test_the_county_officer_drills_into_a_townships_overdue_items(demo: None, page: Page, shoot) -> None:
    township = Cadre.objects.get(user__username="secretary").unit

    # given the demo county officer, signed in, on 总览 from the nav
    sign_in(page, "county_staff")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="总览").click()
    expect(page.get_by_role("heading", name=f"总览 · {township.parent.name}", level=1)).to_be_visible()

    # then each township is a row, and the trend charts are drawn from local files
    row = page.locator(".dash-table tbody tr").filter(has_text=township.name)
    expect(row).to_have_count(1)
    expect(page.locator(".dash-chart-canvas svg").first).to_be_visible()
    shoot(page, "dashboard")

    # when they follow the township's overdue figure
    row.locator(".dash-overdue .dash-num").click()

    # then 全部待办 lists that township's overdue items, filtered and in words
    expect(page.get_by_role("heading", name="全部待办", level=1)).to_be_visible()
    expect(page.get_by_label("单位")).to_have_value(str(township.pk))
    expect(page.get_by_label("状态")).to_have_value("overdue")
    items = page.locator(".item")
    expect(items.first).to_contain_text("逾期")
    for text in items.locator(".item-meta").all_inner_texts():
        assert township.name in text or "村" in text
    shoot(page, "township-overdue")


def test_the_county_officer_reassigns_an_escalated_talk(demo: None, page: Page, shoot) -> None:
    # given the demo county officer on 督办事项 from the nav
    sign_in(page, "county_staff")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="督办事项").click()
    expect(page.get_by_role("heading", name="督办事项", level=1)).to_be_visible()
    shoot(page, "escalations")

    # when they reassign the first escalated must-talk of the demo township to its secretary
    township = Cadre.objects.get(user__username="secretary").unit
    item = page.locator(".item").filter(has_text=township.name).filter(has=page.get_by_role("link", name="改派")).first
    item.get_by_role("link", name="改派").click()
    expect(page.get_by_role("heading", name="改派督办事项", level=1)).to_be_visible()
    page.get_by_label("改派给").select_option(label="乡镇党委书记")
    shoot(page, "reassign")
    page.get_by_role("button", name="改派").click()

    # then they are back on the list with a confirmation
    expect(page.get_by_text("已改派。")).to_be_visible()
    shoot(page, "reassigned")
