"""In a real browser, on a phone and on a desktop: the demo city administrator
opens 体检政策 from the nav and sets a township's own check-up interval."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cadrecare.health.models import CheckupPolicy
from cadrecare.org.models import Cadre
from tests.browser import sign_in


def test_the_city_admin_sets_a_townships_checkup_policy(demo: None, page: Page, shoot) -> None:
    township = Cadre.objects.get(user__username="secretary").unit
    sign_in(page, "city_admin")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="体检政策").click()

    # when they open the township's policy and give it a two-year interval
    page.get_by_label("单位", exact=True).select_option(label=township.name)
    page.get_by_role("button", name="打开").click()
    expect(page.get_by_role("heading", name=f"体检政策 · {township.name}", level=1)).to_be_visible()
    page.get_by_label("体检间隔（月）").fill("24")
    shoot(page, "form")
    page.get_by_role("button", name="保存").click()

    # then it is saved, said so, and the township has its own policy
    expect(page.get_by_text("体检政策已保存。")).to_be_visible()
    shoot(page, "saved")
    assert CheckupPolicy.objects.get(unit=township).interval_months == 24
