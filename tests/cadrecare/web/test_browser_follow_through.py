"""In a real browser, on a phone and on a desktop: the demo HR officer finds a
check-up concluding 需治疗 in 我的待办, opens its 关爱跟进决定 in one click,
is refused closing it without a reason, gives one and sees the item gone;
then records the first contact of a new hardship case the same way; the
county's staff records a late allowance month paid in full."""

from __future__ import annotations

from django.db.models import F
from playwright.sync_api import Page, expect

from cadrecare.care.models import CareDecision, HardshipCase, PostAllowance
from tests.browser import sign_in


def test_hr_decides_on_care_and_records_a_first_contact_from_my_items(demo: None, page: Page, shoot) -> None:
    sign_in(page, "hr")
    page.goto("/?within=all&kind=treatment_follow_up")
    shoot(page, "my-items")
    page.get_by_role("link", name="作出关怀决定").first.click()
    expect(page.get_by_role("heading", name="关爱跟进决定", level=1)).to_be_visible()
    page.get_by_label("无需跟进").check()
    page.get_by_role("button", name="保存决定").click()
    expect(page.locator("#id_reason_error")).to_contain_text("不需要跟进时请填写理由。")
    shoot(page, "decision-refused")
    page.get_by_label("理由或说明").fill("已在县医院规范治疗，病情稳定")
    page.get_by_role("button", name="保存决定").click()
    expect(page.get_by_text("关爱跟进决定已保存。")).to_be_visible()
    assert CareDecision.objects.get(decided_by__username="hr").reason == "已在县医院规范治疗，病情稳定"

    page.goto("/?within=all&kind=hardship_first_contact")
    page.get_by_role("link", name="记录首次联系").first.click()
    expect(page.get_by_role("heading", name="记录首次联系", level=1)).to_be_visible()
    shoot(page, "first-contact")
    page.get_by_label("联系方式").select_option(label="谈心谈话")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("首次联系已记录。")).to_be_visible()
    assert HardshipCase.objects.filter(first_contact_way="talk").count() == 1


def test_the_county_records_a_late_allowance_paid_in_full(demo: None, page: Page, shoot) -> None:
    unpaid = PostAllowance.objects.filter(paid_amount__lt=F("due_amount"))
    before = unpaid.count()
    sign_in(page, "county_staff")
    page.goto("/?within=all&kind=post_allowance_chase")
    page.get_by_role("link", name="登记补贴发放").first.click()
    expect(page.get_by_role("heading", name="登记岗位补贴发放", level=1)).to_be_visible()
    shoot(page, "allowance-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("岗位补贴发放已登记。")).to_be_visible()
    assert unpaid.count() == before - 1  # the form is prefilled with the month paid in full
