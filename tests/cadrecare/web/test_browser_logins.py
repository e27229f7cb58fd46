"""In a real browser, on a phone and on a desktop: HR opens logins for two of
石头乡's cadres and prints the slip; one of them signs in with the slip's
password and is sent to change it first."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser import sign_in
from tests.factories import CadreFactory


def test_hr_opens_logins_prints_the_slip_and_the_cadre_changes_the_password(cast: Any, page: Page, shoot: Any) -> None:
    CadreFactory(name="张三", unit=cast.town_a1, phone="13900000001")
    CadreFactory(name="李四", unit=cast.town_a1, phone="13900000002")
    sign_in(page, "hr_a1", "pass-word-123")

    page.goto("/cadres/")
    page.get_by_role("link", name="开通账号").click()
    page.get_by_label("单位", exact=True).select_option(label="石头乡")
    page.get_by_role("button", name="列出尚无账号的干部").click()
    expect(page.get_by_label("张三（13900000001）")).to_be_checked()
    shoot(page, "pick")
    page.locator("main").get_by_role("button", name="开通账号").click()

    expect(page.get_by_text("初始密码只显示这一次")).to_be_visible()
    shoot(page, "slip")
    zhang = page.get_by_role("article", name="张三")
    password = zhang.locator(".slip-secret").nth(1).inner_text()

    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("用户名或手机号").fill("13900000001")
    page.get_by_label("密码").fill(password)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/password/$"))
    shoot(page, "change-first")
