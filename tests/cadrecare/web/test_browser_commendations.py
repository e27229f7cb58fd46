"""In a real browser, on a phone and on a desktop: the demo county officer
opens 评优表彰 from the nav, registers a commendation for a cadre found by
name, reads 表彰统计 (the seed's sentence for three years, per township and
year) and opens 关爱经费, following one figure to the records behind it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from tests.browser import sign_in
from tests.cadrecare.web.conftest import demo_township_cadre


def _nav(page: Page, name: str) -> None:
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name=name).click()


def test_the_county_officer_keeps_the_register_and_reads_the_figures(demo: None, page: Page, shoot) -> None:
    cadre = demo_township_cadre()
    year = clock.today().year

    # given the demo county officer on 评优表彰 from the nav
    sign_in(page, "county_staff")
    _nav(page, "评优表彰")
    expect(page.get_by_role("heading", name="评优表彰", level=1)).to_be_visible()
    # the demo's posthumous awards (追授), found by their status
    page.get_by_label("状态").select_option(label="追授")
    expect(page.locator(".commendation-item").first).to_contain_text("追授")
    shoot(page, "register-posthumous")

    # when they register a commendation for a cadre found by name
    page.get_by_role("link", name="登记表彰").click()
    page.locator("input[name=cadre_q]").fill(cadre.name)
    page.locator(".picker-results .picker-option", has_text=cadre.name).first.click()
    expect(page.locator(".picker-chosen").first).to_contain_text(cadre.name)
    page.get_by_label("表彰名称").fill("防汛抗旱先进个人")
    page.get_by_label("级别").select_option(label="县级")
    page.get_by_label("类别").select_option(label="记三等功")
    page.get_by_label("主要事迹").fill("强降雨期间连续值守七昼夜，转移群众 120 人。")
    shoot(page, "record")
    page.get_by_role("button", name="保存").click()

    # then the register lists it first, with its kind
    expect(page.get_by_text("表彰已登记。")).to_be_visible()
    first = page.locator(".commendation-item").first
    expect(first).to_contain_text(cadre.name)
    expect(first).to_contain_text("记三等功")

    # and 表彰统计 reads the three years as the seed does
    page.get_by_role("link", name="表彰统计").click()
    expect(page.get_by_role("heading", name="表彰统计", level=1)).to_be_visible()
    expect(page.locator(".commendation-summary")).to_contain_text(f"{year - 2}—{year}年，表彰奖励")
    expect(page.locator(".commendation-table tfoot")).to_contain_text("合计")
    shoot(page, "statistics")

    # when they open 关爱经费 and follow the first figure
    _nav(page, "关爱经费")
    expect(page.get_by_role("heading", name=f"关爱经费 · {year}年", level=1)).to_be_visible()
    shoot(page, "spending")
    page.locator(".spending-table tbody .spending-cell a").first.click()

    # then the records behind it are listed below the table
    expect(page.locator("#spending-items")).to_contain_text("共")
    expect(page.locator("#spending-items tbody tr").first).to_be_visible()
    shoot(page, "spending-items")
