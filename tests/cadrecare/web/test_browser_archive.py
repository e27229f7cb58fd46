"""In a real browser, on a phone and on a desktop: the demo HR officer opens a
cadre's 健康档案 from the check-up due list and sees the check-ups with their
findings and the report link, under the notice that the reading is logged."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser import sign_in


def test_hr_opens_a_health_archive_from_the_due_list(demo: None, page: Page, shoot) -> None:
    sign_in(page, "hr")
    page.goto("/checkups/?state=all")
    name = page.locator(".item .item-title a").first.inner_text().strip()

    page.locator(".item .item-title a").first.click()

    expect(page.get_by_role("heading", name=f"{name}的健康档案", level=1)).to_be_visible()
    expect(page.get_by_text("每次查看都会记入审计日志")).to_be_visible()
    shoot(page, "archive")
