"""In a real browser, on a phone and on a desktop: the demo secretary opens
谈话, records the talk a must-talk asks for (talkee and talker prefilled),
adds a second talker found by typing a name, and sees the must-talk done."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.org.choices import LeaderPost
from cadrecare.org.models import Cadre, User
from cadrecare.talks import services
from cadrecare.talks.choices import TriggerKind, TriggerStatus
from cadrecare.talks.models import Talk
from tests.browser import sign_in


def test_secretary_records_a_must_talk_choosing_people_by_name(demo: None, page: Page, shoot) -> None:
    # given a must-talk routed to the demo secretary
    secretary = User.objects.get(username="secretary")
    cadre = Cadre.objects.filter(unit=secretary.cadre.unit, status="serving", leader_post=LeaderPost.NONE)[1]
    trigger = services.talk_trigger_create(
        actor=None, cadre=cadre, kind=TriggerKind.ACHIEVEMENT, event_date=clock.today() - dt.timedelta(days=2)
    )
    sign_in(page, "secretary")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="谈话").click()
    expect(page.get_by_role("heading", name="谈话", level=1)).to_be_visible()
    page.get_by_label("到期时间").select_option(label="全部")
    shoot(page, "talks-due")

    # when they open the form of that must-talk
    page.goto(page.url.split("/talks")[0] + f"/talks/triggers/{trigger.pk}/record/")
    expect(page.get_by_role("heading", name="记录谈话", level=1)).to_be_visible()
    expect(page.locator(".picker-chosen").first).to_contain_text(cadre.name)

    # and add a second talker by typing part of a name
    hr = Cadre.objects.get(user__username="hr").name  # the demo HR officer, found by their cadre name
    page.get_by_label("谈话人").fill(hr)
    option = page.locator(".picker-results .picker-option", has_text=hr)
    expect(option).to_be_visible()
    shoot(page, "talker-search")
    option.click()
    expect(page.locator("#id_talkers_chosen")).to_contain_text(hr)
    page.get_by_label("谈话内容").fill("肯定成绩，了解工作和家庭情况。")
    shoot(page, "form-filled")
    page.get_by_role("button", name="保存").click()

    # then the talk is recorded with both talkers and the must-talk is done
    expect(page.get_by_text("谈话已记录。")).to_be_visible()
    shoot(page, "recorded")
    talk = Talk.objects.get(talkee=cadre, summary="肯定成绩，了解工作和家庭情况。")
    assert {user.username for user in talk.talkers.all()} == {"secretary", "hr"}
    trigger.refresh_from_db()
    assert trigger.status == TriggerStatus.DONE
