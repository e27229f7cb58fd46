"""In a real browser, on a phone and on a desktop: the demo city administrator
sets a township's care policy (a deadline, and the visit owner found by name),
then a county's talk route and a township's talk due days, each from the nav."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from cadrecare.care.models import CarePolicy
from cadrecare.org.models import User
from cadrecare.talks.models import TalkPolicy, TalkRoute
from cadrecare.talks.routing import county_of
from tests.browser import sign_in


def _open(page: Page, entry: str) -> None:
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name=entry, exact=True).click()


def test_the_city_admin_sets_care_and_talk_policies(demo: None, page: Page, shoot) -> None:
    owner = User.objects.get(username="secretary")
    township = owner.cadre.unit
    county = county_of(township)
    sign_in(page, "city_admin")
    page.goto(reverse("web:checkup-policy"))  # the policy pages, whatever 我的待办 shows
    expect(page.get_by_role("heading", level=1)).to_contain_text("体检政策")

    # 关爱政策: a township's family-event deadline and its visit owner, found by name
    _open(page, "关爱政策")
    page.get_by_label("单位", exact=True).select_option(label=township.name)
    page.get_by_role("button", name="打开").click()
    expect(page.get_by_role("heading", name=f"关爱政策 · {township.name}", level=1)).to_be_visible()
    page.get_by_label("家庭变故必访期限（天）").fill("5")
    page.get_by_label("指定走访责任人").fill(owner.cadre.name[:2])
    page.locator(".picker-results .picker-option", has_text=owner.cadre.name).first.click()
    expect(page.locator("#id_visit_owner_chosen")).to_contain_text(owner.cadre.name)
    shoot(page, "care-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("关爱政策已保存。")).to_be_visible()
    shoot(page, "care-saved")
    policy = CarePolicy.objects.get(unit=township)
    assert (policy.family_event_days, policy.visit_owner) == (5, owner)

    # 谈话分工: who talks with the county's township cadres, and how often
    _open(page, "谈话分工")
    page.get_by_label("单位", exact=True).select_option(label=county.name)
    page.get_by_role("button", name="打开").click()
    page.get_by_role("link", name="修改“乡镇其他干部”的分工").click()
    page.get_by_label("经常性谈话周期（月）").fill("6")
    shoot(page, "route-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("谈话分工已保存。")).to_be_visible()
    shoot(page, "route-saved")
    assert TalkRoute.objects.get(county=county, talkee_group="township_cadre").cadence_months == 6

    # 谈话期限: a bad value is shown beside its field, then corrected
    _open(page, "谈话期限")
    page.get_by_label("单位", exact=True).select_option(label=township.name)
    page.get_by_role("button", name="打开").click()
    page.get_by_label("班子不协调（天）").fill("0")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error", has_text="班子不协调（天）：")).to_be_visible()
    shoot(page, "due-days-error")
    assert not TalkPolicy.objects.filter(unit=township).exists()
    page.get_by_label("班子不协调（天）").fill("10")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("谈话期限已保存。")).to_be_visible()
    assert TalkPolicy.objects.get(unit=township, kind="team_discord").due_days == 10
