"""In a real browser, on a phone and on a desktop: the demo county's
organization department opens 乡镇编制 from the nav, reads its townships'
slots, records a borrowing (an end before the start first refused beside its
field), reviews it from the borrowing's page and sees it in the list."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.establishment.models import Borrowing
from tests.browser import sign_in
from tests.cadrecare.web.conftest import demo_township_cadre


def test_the_county_records_and_reviews_a_borrowing(demo: None, page: Page, shoot) -> None:
    cadre = demo_township_cadre()
    Borrowing.objects.filter(cadre=cadre).delete()  # the demo may have borrowed them already
    sign_in(page, "county_staff")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="乡镇编制", exact=True).click()
    expect(page.get_by_role("heading", name="乡镇编制", level=1)).to_be_visible()
    expect(page.locator(".establishment-slots")).to_contain_text(cadre.unit.name)
    shoot(page, "slots")

    page.get_by_role("link", name="登记借用").click()
    page.get_by_label("干部").fill(cadre.name[:2])
    page.locator(".picker-results .picker-option", has_text=cadre.name).first.click()
    page.get_by_label("借用单位").select_option(index=1)
    page.get_by_label("借用开始日期").fill(clock.today().isoformat())
    page.get_by_label("借用截止日期").fill((clock.today() - dt.timedelta(days=30)).isoformat())
    page.get_by_label("借用事由").fill("抽调参加县委巡察组")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#id_until_error")).to_contain_text("借用截止日期不能早于开始日期。")
    shoot(page, "refused")
    page.get_by_label("借用截止日期").fill((clock.today() + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="登记").click()

    expect(page.get_by_text("借用已登记，待组织部审核。")).to_be_visible()
    page.get_by_label("审核意见").fill("同意短期借用，到期返回乡镇")
    page.get_by_role("button", name="保存审核意见").click()
    expect(page.get_by_text("审核意见已保存。")).to_be_visible()
    expect(page.locator(".tag").first).to_have_text("借用中")
    shoot(page, "reviewed")

    page.get_by_role("link", name="返回").first.click()
    expect(page.locator(".establishment-borrowings")).to_contain_text(cadre.name)
    shoot(page, "list")
    assert Borrowing.objects.get(cadre=cadre).review_note == "同意短期借用，到期返回乡镇"
