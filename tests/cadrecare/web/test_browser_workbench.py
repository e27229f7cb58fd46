"""In a real browser, on a phone and on a desktop: the demo township's party
secretary signs in, reads 我的待办, opens the inbox and marks a notice read,
switches to English and back, and signs out."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from cadrecare.reminders.models import Notice
from tests.browser import sign_in


def test_the_secretary_works_through_the_workbench(demo: None, page: Page, shoot) -> None:
    # given the demo secretary, signed in
    sign_in(page, "secretary")
    shoot(page, "my-items")

    # then 我的待办 lists their items in Chinese, overdue ones first
    expect(page.get_by_role("heading", name="我的待办", level=1)).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("已逾期")
    first = page.locator(".item").first
    expect(first).to_contain_text("逾期")

    # when they open the inbox (from the nav, behind the menu button on a phone)
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
        shoot(page, "menu-open")
    page.locator("#sidenav").get_by_role("link", name="通知", exact=True).click()
    expect(page.get_by_role("heading", name="通知", level=1)).to_be_visible()
    unread_before = Notice.objects.filter(recipient__username="secretary", read_at__isnull=True).count()
    assert unread_before > 0
    expect(page.locator("#unread-badge")).to_contain_text(str(unread_before))
    shoot(page, "inbox")

    # and mark the first notice read
    notice = page.locator(".notice--unread").first
    notice_id = notice.get_attribute("id")
    notice.get_by_role("button", name="标为已读").click()

    # then it says so in words, the badge counts one fewer, and the database agrees
    expect(page.locator(f"#{notice_id}")).to_contain_text("已读")
    expect(page.locator("#unread-badge")).to_contain_text(str(unread_before - 1))
    assert Notice.objects.filter(recipient__username="secretary", read_at__isnull=True).count() == unread_before - 1
    shoot(page, "notice-read")

    # when an htmx action fails (a notice that is not theirs, or gone), the status line says so in words
    page.evaluate("htmx.ajax('POST', '/inbox/999999999/read/', {target: '#notices'})")
    expect(page.locator("#status-line")).to_contain_text("未找到该记录")

    # when they switch to English, the page speaks English
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    shoot(page, "english")
    # and back to Chinese
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="通知", level=1)).to_be_visible()

    # when they sign out, the workbench asks for a login again
    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    shoot(page, "signed-out")
