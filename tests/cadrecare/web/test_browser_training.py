"""In a real browser, on a phone and on a desktop: the demo county's
organization department opens 培训与考察 from the nav, confirms nominations
from the priority rule's proposal for the coming study tour, marks a past
class's attendance in its one table (an excuse without a reason is refused
first) and reads the not-trained report of its county."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.org.models import RoleGrant
from cadrecare.training.choices import Attendance
from cadrecare.training.models import TrainingProgramme
from tests.browser import sign_in


def test_the_county_nominates_by_priority_and_marks_attendance(demo: None, page: Page, shoot) -> None:
    county = RoleGrant.objects.get(user__username="county_staff").unit
    coming = TrainingProgramme.objects.get(unit=county, date_from__gt=clock.today())
    past = TrainingProgramme.objects.filter(unit=county, date_to__lt=clock.today() - dt.timedelta(days=30)).first()
    nominee = past.nominations.filter(attendance=Attendance.ATTENDED).select_related("cadre").first()
    before = coming.nominations.count()

    sign_in(page, "county_staff")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="培训与考察").click()
    expect(page.get_by_role("heading", name="培训与考察交流", level=1)).to_be_visible()
    shoot(page, "list")

    # when the county opens the coming study tour and confirms the proposal's ticked rows
    page.goto(f"/training/{coming.pk}/")
    expect(page.get_by_role("heading", name="推荐人选")).to_be_visible()
    shoot(page, "proposal")
    page.get_by_role("button", name="确认提名").click()

    # then the places left are filled, in the proposal's order
    expect(page.locator(".messages")).to_contain_text("已提名")
    coming.refresh_from_db()
    assert coming.nominations.count() == coming.places > before
    shoot(page, "nominated")

    # when a past class's attendee is marked 请假 without a reason
    page.goto(f"/training/{past.pk}/")
    page.get_by_label(f"{nominee.cadre.name}的出勤").select_option(label="请假")
    page.get_by_role("button", name="保存出勤").click()

    # then the reason is asked for, and nothing is saved until it is given
    expect(page.get_by_role("alert").first).to_contain_text(f"请填写{nominee.cadre.name}的请假原因。")
    shoot(page, "excuse-refused")
    expect(page.get_by_label(f"{nominee.cadre.name}的出勤")).to_have_value("excused")  # the choice is kept
    page.get_by_label(f"{nominee.cadre.name}的请假原因").fill("防汛值班")
    page.get_by_role("button", name="保存出勤").click()
    expect(page.get_by_text("已保存 1 人的出勤。")).to_be_visible()
    nominee.refresh_from_db()
    assert nominee.attendance == Attendance.EXCUSED and nominee.absence is None
    shoot(page, "attendance-saved")

    # and the report of the county's cadres not trained in three years
    page.goto("/training/")
    page.get_by_role("link", name="未参加培训统计").click()
    expect(page.get_by_text("近 3 年未参加的在岗干部")).to_be_visible()
    expect(page.get_by_role("link", name="导出 Excel")).to_be_visible()
    shoot(page, "report")
