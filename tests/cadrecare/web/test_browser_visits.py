"""In a real browser, on a phone and on a desktop: the owner of a must-visit
opens 走访 from the nav, follows 记录走访 and records the visit with money
and goods, adding a visitor found by name; the must-visit is then done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from playwright.sync_api import Page, expect

from cadrecare.care import services
from cadrecare.care.models import Visit
from cadrecare.core import clock
from cadrecare.org.models import Cadre, User
from tests.browser import sign_in


def test_the_owner_of_a_must_visit_records_the_visit(demo: None, page: Page, shoot) -> None:
    # given a must-visit in the demo secretary's township
    secretary = User.objects.get(username="secretary")
    cadre = Cadre.objects.filter(unit=secretary.cadre.unit, status="serving").order_by("pk")[2]
    obligation = services.visit_obligation_create(
        actor=None, cadre=cadre, reason="父亲病故", event_date=clock.today() - dt.timedelta(days=1)
    )
    sign_in(page, obligation.owner.username)
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="走访", exact=True).click()
    expect(page.get_by_role("heading", name="走访", level=1)).to_be_visible()
    shoot(page, "visits-due")

    # when they follow 记录走访 of that must-visit and fill the visit
    page.locator(".item", has_text=cadre.name).get_by_role("link", name="记录走访").first.click()
    expect(page.get_by_role("heading", name="记录走访", level=1)).to_be_visible()
    hr = Cadre.objects.get(user__username="hr").name  # the demo HR officer, found by their cadre name
    page.get_by_label("走访人").fill(hr)
    page.locator(".picker-results .picker-option", has_text=hr).click()
    expect(page.locator("#id_visitors_chosen")).to_contain_text(hr)
    page.get_by_label("慰问金（元）").fill("500")
    page.get_by_label("慰问物资").fill("米、油")
    shoot(page, "visit-form")
    page.get_by_role("button", name="保存走访记录").click()

    # then the visit is kept and the must-visit is done
    expect(page.get_by_text("走访已记录。")).to_be_visible()
    visit = Visit.objects.get(cadre=cadre)
    assert (visit.money_amount, visit.goods) == (Decimal("500.00"), "米、油")
    assert "hr" in {user.username for user in visit.visitors.all()}
    obligation.refresh_from_db()
    assert obligation.status == "done"
