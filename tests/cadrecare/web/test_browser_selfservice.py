"""In a real browser, on a phone and on a desktop: the demo cadre reports
their father's grave illness (first forgetting the kind of event, refused
beside the field) and proposes a sister for their family; HR confirms both
from 待确认, the visit is due once and the sister is in the family; the
cadre writes a 心里话 to the township's party secretary, who answers it from
心里话信箱, and the cadre reads the answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from cadrecare.care.models import FamilyMember, VisitObligation
from cadrecare.core import clock
from cadrecare.org.models import Cadre
from tests.browser import sign_in


def _open(page: Page, entry: str) -> None:
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name=entry, exact=True).click()
    expect(page.get_by_role("heading", name=entry, level=1)).to_be_visible()


def _as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def test_a_cadre_reports_and_writes_and_is_answered(demo: None, page: Page, shoot: Any) -> None:
    cadre = Cadre.objects.get(user__username="cadre")
    visits_before = VisitObligation.objects.filter(cadre=cadre).count()

    # when the cadre reports a grave illness without saying which kind of event
    sign_in(page, "cadre")
    _open(page, "我要报告")
    page.get_by_label("家庭重大变故").check()
    page.get_by_label("发生日期").fill((clock.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("情况说明").fill("父亲突发脑梗，在县医院住院。")
    page.get_by_role("button", name="提交报告").click()

    # then it is refused beside the field, and accepted once the kind is chosen
    expect(page.locator(".field-error").filter(has_text="请选择变故类型")).to_be_visible()
    shoot(page, "report-refused")
    page.get_by_label("变故类型").select_option(label="重病重伤")
    page.get_by_role("button", name="提交报告").click()
    expect(page.get_by_text("已报告，人事干部确认后会通知您。")).to_be_visible()
    expect(page.locator(".item").filter(has_text="待确认").first).to_be_visible()
    shoot(page, "reported")

    # and proposes a sister for their family information, which waits for HR
    _open(page, "我的家庭信息")
    page.get_by_label("新增家属").check()
    page.get_by_label("关系").select_option(label="兄弟姐妹")
    page.get_by_label("姓名").fill("杨小妹")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("已提交，人事干部确认后更新。")).to_be_visible()
    shoot(page, "family-proposed")

    # when HR opens 待确认 and confirms it
    _as(page, "hr")
    _open(page, "待确认")
    shoot(page, "pending")
    page.locator(".item").filter(has_text="新增家属").get_by_role("link", name="处理").first.click()
    expect(page.get_by_text("杨小妹")).to_be_visible()
    page.get_by_label("确认（按申请更新家属信息）").check()
    shoot(page, "family-change")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已确认。")).to_be_visible()
    assert FamilyMember.objects.filter(cadre=cadre, name="杨小妹").count() == 1
    page.locator(".item").filter(has_text=cadre.name).get_by_role("link", name="处理").first.click()
    expect(page.get_by_text("父亲突发脑梗，在县医院住院。")).to_be_visible()
    page.get_by_label("确认（登记为家庭重大变故或困难帮扶，安排走访和谈话）").check()
    shoot(page, "confirm")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已确认。")).to_be_visible()

    # then the visit is due, once
    assert VisitObligation.objects.filter(cadre=cadre).count() == visits_before + 1

    # when the cadre writes to the party secretary
    _as(page, "cadre")
    _open(page, "心里话")
    page.get_by_label("乡镇党委书记").check()
    page.get_by_label("想说的话").fill("最近家里事多，想请几天假照顾父亲。")
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_text("已送达")).to_be_visible()
    shoot(page, "message-sent")

    # then the secretary answers from 心里话信箱
    _as(page, "secretary")
    _open(page, "心里话信箱")
    shoot(page, "inbox")
    page.locator(".item").filter(has_text=cadre.name).get_by_role("link", name="回复").first.click()
    expect(page.get_by_text("最近家里事多，想请几天假照顾父亲。")).to_be_visible()
    page.get_by_role("textbox", name="回复").fill("同意，先照顾好父亲，工作我来安排。")
    shoot(page, "answer")
    page.locator("main").get_by_role("button", name="回复").click()
    expect(page.get_by_text("已回复，写信人会收到通知。")).to_be_visible()

    # and the cadre reads the answer
    _as(page, "cadre")
    _open(page, "心里话")
    expect(page.get_by_text("同意，先照顾好父亲，工作我来安排。")).to_be_visible()
    shoot(page, "answered")
