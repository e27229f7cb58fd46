"""In a real browser, on a phone and on a desktop: the demo county's
organization department opens 交流研判 from the nav and decides a candidate
(a deferral without its reason refused beside the field), reads the interview
plan's progress per township and records an interview, then records a visit
to a township on the not-visited list of 组织部长下基层."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.oversight.models import FieldVisit, InterviewPlan, InterviewPlanLine, TransferDecision
from tests.browser import sign_in


def _nav(page: Page, name: str) -> None:
    if page.viewport_name == "phone":  # type: ignore[attr-defined]
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name=name, exact=True).click()


def test_the_county_department_follows_through_reviews_interviews_and_visits(demo: None, page: Page, shoot) -> None:
    sign_in(page, "county_staff")

    # 交流研判: the year's review, a pending candidate deferred with its reason
    _nav(page, "交流研判")
    expect(page.get_by_role("heading", name="交流研判", level=1)).to_be_visible()
    shoot(page, "reviews")
    page.locator(".ov-review").first.get_by_role("link", name="查看").click()
    expect(page.locator(".ov-decision").first).to_be_visible()
    shoot(page, "review")
    pending = page.locator(".ov-decision", has_text="待研判").first
    name = pending.locator(".item-title span").first.inner_text()
    pending.get_by_role("link", name="研判").click()
    page.get_by_label("暂缓交流").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_reason_error")).to_contain_text("暂缓交流请写明理由。")
    shoot(page, "deferral-refused")
    page.get_by_label("理由").fill("孩子明年中考，待后统筹")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("研判结果已保存。")).to_be_visible()
    expect(page.locator(".ov-decision", has_text=name)).to_contain_text("暂缓交流")
    assert TransferDecision.objects.get(cadre__name=name, outcome="deferred").reason == "孩子明年中考，待后统筹"

    # 定期约谈: next year's plan made on its form, then this year's progress per township, an interview recorded
    _nav(page, "定期约谈")
    page.get_by_role("link", name="制定约谈计划").click()
    page.get_by_label("年度").fill(str(clock.today().year + 1))
    shoot(page, "plan-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("约谈计划已制定。")).to_be_visible()
    shoot(page, "plan-made")
    assert InterviewPlan.objects.filter(year=clock.today().year + 1).exists()
    _nav(page, "定期约谈")
    page.locator(".ov-plan", has_text=f"{clock.today().year}年").get_by_role("link", name="查看").click()
    expect(page.locator(".ov-township").first).to_be_visible()
    shoot(page, "plan")
    line = page.locator("details[open] .ov-line", has=page.get_by_role("link", name="记录约谈")).first
    cadre = line.locator(".item-title span").first.inner_text()
    line.get_by_role("link", name="记录约谈").click()
    page.get_by_label("约谈内容").fill("了解工作和家庭情况，无特殊困难。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("约谈已记录。")).to_be_visible()
    assert InterviewPlanLine.objects.filter(cadre__name=cadre, status="done").exists()

    # 组织部长下基层: a township not visited this period gets its visit
    _nav(page, "组织部长下基层")
    expect(page.get_by_role("heading", name="组织部长下基层", level=1)).to_be_visible()
    shoot(page, "visits")
    row = page.locator(".ov-not-visited").first
    township = row.locator(".item-title span").first.inner_text()
    row.get_by_role("link", name="登记").click()
    page.get_by_label("情况记录").fill("与班子成员座谈，查看乡镇干部周转房。")
    shoot(page, "visit-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("下基层情况已登记。")).to_be_visible()
    expect(page.locator(".ov-visit").first).to_contain_text(township)
    shoot(page, "visit-recorded")
    assert FieldVisit.objects.filter(township__name=township).exists()
