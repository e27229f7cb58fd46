"""In a real browser, on a phone and on a desktop: the demo HR officer opens
体检 from the nav, picks an overdue cadre and records their check-up with a
small PDF report; a date in the future is first refused beside its field."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.health.models import Checkup
from tests.browser import sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_hr_records_a_checkup_with_its_pdf_report(demo: None, page: Page, shoot) -> None:
    # given the demo HR officer, signed in, on the check-up due list from the nav
    sign_in(page, "hr")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="体检", exact=True).click()
    expect(page.get_by_role("heading", name="应检干部", level=1)).to_be_visible()
    shoot(page, "due-list")

    # when they open 登记体检 for the first cadre listed (overdue first)
    first = page.locator(".item").first
    name = first.locator(".item-title").inner_text().strip()
    first.get_by_role("link", name="登记体检").click()
    expect(page.get_by_role("heading", name="登记体检", level=1)).to_be_visible()
    expect(page.locator(".checkup-cadre")).to_contain_text(name)

    # and fill the form with a date in the future
    today = clock.today()
    page.get_by_label("体检日期").fill((today + dt.timedelta(days=2)).isoformat())
    page.get_by_label("体检机构").fill("县人民医院")
    page.get_by_label("总体结论").select_option(label="基本健康")
    page.get_by_label("体检报告").set_input_files(
        files=[{"name": "体检报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    shoot(page, "form-filled")
    page.get_by_role("button", name="保存").click()

    # then the date is refused beside its field, in Chinese, and nothing is saved
    expect(page.locator("#id_date_error")).to_contain_text("体检日期：")
    expect(page.locator("#id_date_error")).to_contain_text("不能晚于今天")
    assert not Checkup.objects.filter(institution="县人民医院").exists()
    shoot(page, "date-refused")

    # when they correct the date and attach the report again
    page.get_by_label("体检日期").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("体检报告").set_input_files(
        files=[{"name": "体检报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="保存").click()

    # then they are back on the due list with a confirmation, and the check-up is kept with its report
    expect(page.get_by_role("heading", name="应检干部", level=1)).to_be_visible()
    expect(page.get_by_text("体检记录已登记。")).to_be_visible()
    shoot(page, "recorded")
    checkup = Checkup.objects.get(institution="县人民医院")
    assert checkup.cadre.name == name
    assert checkup.attachment_name == "体检报告.pdf"
    assert checkup.date == today - dt.timedelta(days=1)
