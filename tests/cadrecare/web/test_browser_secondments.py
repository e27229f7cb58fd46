"""In a real browser, on a phone and on a desktop: the county's organization
department finds the term ending soon in 我的待办, refuses an extension without
a date, extends it, registers a new 借调, and reads the experience report."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from cadrecare.secondments.models import Secondment
from tests.browser import sign_in


def test_the_county_decides_a_term_and_reads_the_experience_report(demo: None, page: Page, shoot) -> None:
    sign_in(page, "county_staff")
    term = Secondment.objects.get(kind="loan", status="active")  # due in 20 days: within 我的待办's horizon
    page.goto("/?kind=secondment_decision")
    expect(page.locator("main")).to_contain_text(f"{term.cadre.name}：挂职（借调）期满决定")
    shoot(page, "my-items")

    page.locator(f'a[href="/secondments/{term.pk}/"]').click()
    page.get_by_role("radio", name="延期").check()
    page.get_by_role("button", name="登记决定").click()
    expect(page.locator("#id_new_end_error")).to_contain_text("请填写延期后的结束日期。")
    shoot(page, "extension-refused")
    new_end = term.planned_end.replace(year=term.planned_end.year + 1)
    page.get_by_label("延期至").fill(new_end.isoformat())
    page.get_by_role("button", name="登记决定").click()
    expect(page.get_by_text("期满决定已登记。")).to_be_visible()
    expect(page.locator("main")).to_contain_text("已延期")
    shoot(page, "extended")
    term.refresh_from_db()
    assert (term.status, term.planned_end) == ("extended", new_end)

    page.goto("/secondments/")
    expect(page.locator("#secondment-rows")).to_contain_text(term.cadre.name)
    shoot(page, "list")

    page.goto("/experience/")
    expect(page.locator("main")).to_contain_text("有基层一线工作经历的")
    expect(page.get_by_role("link", name="导出 Excel")).to_be_visible()
    shoot(page, "experience")
