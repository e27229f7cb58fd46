"""In a real browser, on a phone and on a desktop: the demo township secretary
opens 轮休政策 from the nav, reads the county's bounds and saves half-month
rest with a blackout of their own."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.org.models import Cadre
from cadrecare.rotation.choices import Mode
from cadrecare.rotation.models import RotationPolicy
from tests.browser import sign_in


def test_the_secretary_sets_their_townships_rotation_within_the_county_bounds(demo: None, page: Page, shoot) -> None:
    # given the demo county allowing weekly or half-month rest, 60 % on duty at least, and flood season closed
    township = Cadre.objects.get(user__username="secretary").unit
    RotationPolicy.objects.update_or_create(
        unit=township.parent,
        effective_from=clock.today().replace(day=1),
        defaults={
            "mode": Mode.WEEKLY,
            "township_modes": [Mode.WEEKLY, Mode.HALF_MONTH],
            "township_min_ratio": "0.60",
            "blackout": [{"from": "2040-07-01", "to": "2040-07-15", "reason": "防汛"}],
        },
    )

    # when the secretary opens 轮休政策 from the nav
    sign_in(page, "secretary")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="轮休政策").click()
    expect(page.get_by_role("heading", name=f"轮休政策 · {township.name}", level=1)).to_be_visible()
    expect(page.get_by_text("县定禁休日期：2040-07-01 至 2040-07-15（防汛）")).to_be_visible()
    shoot(page, "rotation-policy")

    # and asks for less on duty than the county allows, then corrects it with a blackout of their own
    page.get_by_label("轮休模式").select_option(label="半月轮休")
    page.get_by_label("最低在岗比例").fill("0.5")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("规定乡镇最低在岗比例不得低于 0.60")).to_be_visible()
    shoot(page, "refused-below-the-county-share")
    page.get_by_label("最低在岗比例").fill("0.65")
    page.get_by_label("本乡镇的禁休日期").fill("2040-09-20 2040-09-30 换届选举")
    page.get_by_role("button", name="保存").click()

    # then it is saved: half-month rest, the county's blackout first and theirs after
    expect(page.get_by_text("轮休政策已保存。")).to_be_visible()
    shoot(page, "saved")
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    policy = RotationPolicy.objects.get(unit=township, effective_from=month)
    assert policy.mode == Mode.HALF_MONTH
    assert [span["reason"] for span in policy.blackout] == ["防汛", "换届选举"]
