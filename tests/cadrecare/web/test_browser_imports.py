"""In a real browser, on a phone and on a desktop: the demo HR officer opens
批量导入 from 干部档案, chooses 导入家属信息, sends Excel's GBK csv with a bad
row (named with its row and column, nothing saved), then the corrected file:
the preview counts it, the apply adds it, and the same file again changes nothing."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cadrecare.care.imports import FamilyMemberImporter
from cadrecare.care.models import FamilyMember
from cadrecare.org.models import Cadre
from tests.browser import sign_in
from tests.imports import upload


def _file(birth_date: str) -> dict[str, object]:
    cadre = Cadre.objects.select_related("unit").get(user__username="secretary")
    row = {
        "干部姓名": cadre.name,
        "干部单位": cadre.unit.name,
        "关系": "子女",
        "家属姓名": "和新苗",
        "出生日期": birth_date,
    }
    text = upload(FamilyMemberImporter, [row], as_csv=True).getvalue().decode("utf-8-sig")
    return {"name": "家属.csv", "mimeType": "text/csv", "buffer": text.encode("gbk")}


def test_hr_imports_a_family_file_from_excels_gbk_csv(demo: None, page: Page, shoot) -> None:
    sign_in(page, "hr")
    page.goto("/cadres/")
    page.get_by_role("link", name="批量导入").click()
    expect(page.get_by_role("heading", name="批量导入", level=1)).to_be_visible()
    shoot(page, "imports")
    page.get_by_role("link", name="导入家属信息").click()
    expect(page.get_by_role("link", name="下载模板")).to_have_attribute(
        "href", "/api/v1/family-members/import-template/"
    )

    page.get_by_label("家属信息文件").set_input_files(files=[_file("明年")])
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_role("alert").first).to_contain_text("第 2 行「出生日期」")
    shoot(page, "row-refused")
    assert not FamilyMember.objects.filter(name="和新苗").exists()

    page.get_by_label("家属信息文件").set_input_files(files=[_file("2015-03-01")])
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_role("heading", name="“家属.csv”检查通过：将新增 1 条，修改 0 条，0 条不变")).to_be_visible()
    shoot(page, "preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入：新增 1 条，修改 0 条，不变 0 条。")).to_be_visible()
    assert FamilyMember.objects.filter(name="和新苗").count() == 1

    page.goto("/imports/family-members/")
    page.get_by_label("家属信息文件").set_input_files(files=[_file("2015-03-01")])
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_role("heading", name="“家属.csv”检查通过：将新增 0 条，修改 0 条，1 条不变")).to_be_visible()
    shoot(page, "again-unchanged")
