"""In a real browser, on a phone and on a desktop: at the end of a month
whose roster is locked, the demo cadre reads their rest as the compliance
report counts it (two rest days spent on annual leave are owed, the month's
rest confirmed), then corrects it; the open correction takes the month out
of the confirmed figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.org.models import User
from cadrecare.rotation.choices import AbsenceKind, DayKind
from cadrecare.rotation.models import RestConfirmation, Roster
from cadrecare.rotation.selectors import published_roster_days
from cadrecare.rotation.services import (
    absence_save,
    generation_item_run,
    generation_request,
    roster_lock,
    roster_publish,
)
from tests.browser import sign_in


def test_a_cadre_confirms_then_corrects_their_months_rest(
    demo: None, page: Page, shoot: Any, settings: Any, monkeypatch: Any
) -> None:
    # given next month's roster of the demo cadre's township, published, lived through and locked
    settings.ROTATION_SOLVE_SECONDS = 3
    user = User.objects.get(username="cadre")
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run = generation_request(actor=None, unit=user.cadre.unit, month=month)
    generation_item_run(item_id=run.items.get().pk)
    roster = roster_publish(
        actor=None, roster_obj=Roster.objects.get(unit=user.cadre.unit, month=month), confirm_provisional=True
    )
    rest = sorted(published_roster_days().filter(cadre=user.cadre, kind=DayKind.REST).values_list("date", flat=True))
    # and annual leave recorded over the first two of the cadre's rest days
    absence_save(
        actor=None, data={"cadre": user.cadre, "kind": AbsenceKind.ANNUAL_LEAVE, "start": rest[0], "end": rest[1]}
    )
    after = (month + dt.timedelta(days=32)).replace(day=1)
    roster_lock(actor=None, roster_obj=roster, today=after)
    monkeypatch.setattr(clock, "today", lambda: after)

    # when the cadre opens 月末休息确认 from the nav
    sign_in(page, "cadre")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="月末休息确认").click()
    expect(page.get_by_role("heading", name="月末休息确认", level=1)).to_be_visible()

    # then the month shows two days away, owed, and the rest taken as confirmed
    figures = page.locator(f'.me-rest-months [data-month="{month:%Y-%m}"]')
    taken = len(rest) - 2
    expect(figures.locator('[data-figure="away"]')).to_have_text("2")
    expect(figures.locator('[data-figure="taken"]')).to_have_text(str(taken))
    expect(figures.locator('[data-figure="owed"]')).to_have_text("2")
    expect(figures.locator('[data-figure="confirmed"]')).to_have_text(str(taken))
    shoot(page, "figures")

    # when they correct it without saying what happened, then it is asked for beside the field
    page.get_by_label("与记录不符，提出更正").check()
    page.get_by_label("实际休息天数").fill(str(taken - 1))
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#id_note_error")).to_be_visible()
    shoot(page, "note-refused")

    # and with it, the correction waits for the secretary and the month no longer counts as confirmed
    page.get_by_label("与记录不符，提出更正").check()
    page.get_by_label("实际休息天数").fill(str(taken - 1))
    page.get_by_label("更正说明").fill("月中被叫回值班一天")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提交。")).to_be_visible()
    expect(figures.locator(".tag")).to_have_text("有更正，待书记处理")
    expect(figures.locator('[data-figure="confirmed"]')).to_have_text("未锁定或待处理")
    shoot(page, "corrected")
    assert RestConfirmation.objects.get().status == "corrected"
