"""In a real browser, on a phone and on a desktop: the demo HR officer opens a
hardship case from a cadre's family page, adds a measure (a negative amount
first refused beside its field) and sees it on the case."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cadrecare.care.models import HardshipCase
from tests.browser import sign_in
from tests.cadrecare.web.conftest import demo_township_cadre


def test_hr_opens_a_hardship_case_and_adds_a_measure(demo: None, page: Page, shoot) -> None:
    cadre = demo_township_cadre()
    sign_in(page, "hr")
    page.goto(f"/family/{cadre.pk}/")

    page.get_by_role("link", name="登记困难帮扶").click()
    page.get_by_label("困难类别").select_option(label="疾病")
    page.get_by_label("困难情况").fill("配偶患尿毒症，长期透析")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=f"{cadre.name}的困难帮扶", level=1)).to_be_visible()

    page.get_by_role("link", name="添加帮扶措施").click()
    page.get_by_label("措施类型").select_option(label="慰问金/补助")
    page.get_by_label("金额（元）").fill("-200")
    page.get_by_label("帮扶单位或个人").fill("县委组织部")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_amount_error")).to_contain_text("金额不能为负数。")
    shoot(page, "measure-refused")
    page.get_by_label("金额（元）").fill("2000")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("帮扶措施已记录。")).to_be_visible()
    expect(page.locator(".hardship-measure")).to_contain_text("县委组织部")
    expect(page.locator(".hardship-facts")).to_contain_text("帮扶中")
    shoot(page, "case")
    assert HardshipCase.objects.filter(cadre=cadre).latest("pk").measures.get().amount == 2000
