"""In a real browser, on a phone and on a desktop: the demo HR officer opens a
check-up campaign from the nav and records its attendance row by row without
leaving the page (htmx): one attended with the conclusion, one excused whose
missing reason is first refused beside its field."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.health import services
from cadrecare.org.models import Cadre, User
from tests.browser import sign_in


def test_hr_records_a_campaigns_attendance_row_by_row(demo: None, page: Page, shoot) -> None:
    # given a campaign of three cadres in the demo HR officer's township
    township = Cadre.objects.get(user__username="secretary").unit
    cadres = list(Cadre.objects.filter(unit=township, status="serving").order_by("name", "pk")[:3])
    today = clock.today()
    campaign = services.campaign_plan(
        actor=User.objects.get(username="hr"),
        unit=township,
        name="2026年度干部体检",
        date_from=today - dt.timedelta(days=5),
        date_to=today + dt.timedelta(days=20),
        institution="县人民医院",
        cadres=cadres,
    )
    first, second = campaign.attendees.order_by("cadre__name", "cadre_id")[:2]
    sign_in(page, "hr")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="体检活动").click()
    page.get_by_role("link", name="安排体检活动").click()
    expect(page.get_by_role("heading", name="安排体检活动", level=1)).to_be_visible()
    shoot(page, "plan-form")
    page.get_by_role("link", name="返回体检活动").click()
    page.get_by_role("link", name="登记到检").click()
    expect(page.get_by_role("heading", name="2026年度干部体检", level=1)).to_be_visible()
    url = page.url
    shoot(page, "table")

    # when HR ticks the first row attended with its conclusion and saves that row
    row = page.locator(f"#attendee-{first.pk}")
    row.get_by_label("已体检").check()
    row.get_by_label("总体结论").select_option(label="基本健康")
    row.get_by_role("button", name="保存").click()

    # then the row says saved, on the same page
    expect(page.locator(f"#attendee-{first.pk}")).to_contain_text("已保存")
    expect(page.locator(f"#attendee-{first.pk} .tag")).to_have_text("已体检")
    expect(page.locator("#campaign-facts")).to_contain_text(re.compile(r"已体检\s*1\s*缺检"))  # counts follow
    assert page.url == url

    # when the second row is marked excused without a reason
    row = page.locator(f"#attendee-{second.pk}")
    row.get_by_label("请假", exact=True).check()
    row.get_by_role("button", name="保存").click()

    # then the reason is asked for beside its field, and after it is given the row is saved
    expect(page.locator(f"#id_att-{second.pk}_reason_error")).to_contain_text("请说明请假原因。")
    shoot(page, "reason-refused")
    page.locator(f"#attendee-{second.pk}").get_by_label("请假原因").fill("外出培训")
    page.locator(f"#attendee-{second.pk}").get_by_role("button", name="保存").click()
    expect(page.locator(f"#attendee-{second.pk}")).to_contain_text("外出培训")
    shoot(page, "rows-saved")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "attended" and first.checkup.conclusion == "basically_healthy"
    assert second.status == "excused" and second.reason == "外出培训"
