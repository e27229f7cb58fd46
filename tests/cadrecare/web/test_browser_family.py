"""In a real browser, on a phone and on a desktop: the demo HR officer opens
家属与走访 from the nav, finds a cadre by name, records a major family event
(a future date first refused beside its field) and goes straight on to record
the must-visit it opened; the family page then shows the event as visited."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from cadrecare.care.models import FamilyEvent, Visit
from cadrecare.core import clock
from tests.browser import sign_in
from tests.cadrecare.web.conftest import demo_township_cadre


def test_hr_records_a_family_event_then_its_visit(demo: None, page: Page, shoot) -> None:
    # given the demo HR officer, signed in, on 家属与走访 from the nav
    cadre = demo_township_cadre()
    sign_in(page, "hr")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="家属与走访").click()
    expect(page.get_by_role("heading", name="家属与走访", level=1)).to_be_visible()

    # when they find the cadre by name and open the family
    page.get_by_role("textbox", name="姓名").fill(cadre.name)
    expect(page.locator("#family-cadres .item")).to_have_count(1)
    shoot(page, "cadre-found")
    page.get_by_role("link", name="家属与变故").click()
    expect(page.get_by_role("heading", name=f"{cadre.name}的家属", level=1)).to_be_visible()
    shoot(page, "family")

    # and record a family event dated in the future
    page.get_by_role("link", name="登记家庭变故").click()
    page.get_by_label("变故类型").select_option(label="重病重伤")
    page.get_by_label("发生日期").fill((clock.today() + dt.timedelta(days=3)).isoformat())
    page.get_by_label("情况说明").fill("父亲突发脑梗住院")
    page.get_by_role("button", name="登记").click()

    # then the date is refused beside its field, in Chinese, and nothing is saved
    expect(page.locator("#id_date_error")).to_contain_text("发生日期不能晚于今天")
    assert not FamilyEvent.objects.filter(description="父亲突发脑梗住院").exists()
    shoot(page, "event-date-refused")

    # when they correct the date
    page.get_by_label("发生日期").fill((clock.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="登记").click()

    # then the must-visit is open and they are on 记录走访 for it, themself as a visitor
    expect(page.get_by_role("heading", name="记录走访", level=1)).to_be_visible()
    expect(page.get_by_text("家庭变故已登记，已生成必访任务。")).to_be_visible()
    expect(page.locator(".family-form")).to_contain_text("重病重伤")
    shoot(page, "visit-form")

    # when they record the visit
    page.get_by_label("慰问金（元）").fill("500")
    page.get_by_label("慰问物资").fill("牛奶一箱")
    page.get_by_label("走访情况").fill("看望并了解治疗情况")
    page.get_by_role("button", name="保存走访记录").click()

    # then the family page shows the event as visited, and the visit fulfilled the must-visit
    expect(page.get_by_text("走访已记录。")).to_be_visible()
    expect(page.locator(".family-event").first).to_contain_text("已走访")
    shoot(page, "visited")
    visit = Visit.objects.get(goods="牛奶一箱")
    assert visit.cadre == cadre
    assert visit.obligations.get().family_event.description == "父亲突发脑梗住院"
    assert [user.username for user in visit.visitors.all()] == ["hr"]
