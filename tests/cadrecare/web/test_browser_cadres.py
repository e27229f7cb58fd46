"""In a real browser, on a phone and on a desktop: the demo HR officer imports
a roster file (a bad row first named in Chinese, nothing saved; then the
corrected file checked, previewed and applied) and opens a new cadre's page."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from cadrecare.org.models import Cadre
from cadrecare.org.rules import citizen_id_compose
from tests.browser import sign_in
from tests.cadrecare.web.conftest import roster_csv, roster_row


def _file(id_number: str) -> dict[str, object]:
    return {"name": "名册.csv", "mimeType": "text/csv", "buffer": roster_csv(roster_row("张新一", id_number=id_number))}


def test_hr_imports_a_roster_file_and_opens_the_new_cadre(demo: None, page: Page, shoot) -> None:
    sign_in(page, "hr")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="干部档案").click()
    expect(page.get_by_role("heading", name="干部档案", level=1)).to_be_visible()
    shoot(page, "search")
    page.get_by_role("link", name="导入", exact=True).click()

    # a file with a bad citizen id: the row and column are named, nothing saved
    page.get_by_label("干部名册文件").set_input_files(files=[_file("123")])
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_role("alert").first).to_contain_text("第 2 行「身份证号」")
    shoot(page, "row-refused")
    assert not Cadre.objects.filter(name="张新一").exists()

    # the corrected file: previewed, then applied
    page.get_by_label("干部名册文件").set_input_files(
        files=[_file(citizen_id_compose("530721", dt.date(1990, 5, 4), 17, "male"))]
    )
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_role("heading", name="“名册.csv”检查通过：将新增 1 条，修改 0 条，0 条不变")).to_be_visible()
    shoot(page, "preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入：新增 1 条，修改 0 条，不变 0 条。")).to_be_visible()

    page.get_by_role("textbox", name="姓名").fill("张新一")
    page.get_by_role("link", name="张新一").click()
    expect(page.get_by_role("heading", name="张新一", level=1)).to_be_visible()
    shoot(page, "cadre")
