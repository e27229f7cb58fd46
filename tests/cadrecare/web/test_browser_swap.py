"""In a real browser, on a phone and on a desktop: the demo cadre looks at
their rest days, then asks a colleague to swap blocks of the published
roster, choosing the colleague by name and the colleague's block; a request
without a reason is first refused beside the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from playwright.sync_api import Page, expect

from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.models import User
from cadrecare.rotation.models import Roster, SwapRequest
from cadrecare.rotation.selectors import rest_days_open_to_swap
from cadrecare.rotation.services import generation_item_run, generation_request, roster_publish, swap_request_create
from cadrecare.web.views.me import SwapRequestForm
from tests.browser import sign_in


class _Undo(Exception):
    """Rolls a trial request back."""


def _a_swap_keeping_the_rules(user: User, form: SwapRequestForm) -> tuple[str, str, str]:
    """(my block's label, the colleague's name, their block's label) of a swap the service accepts."""
    for mine, mine_label in form.fields["mine"].choices[1:]:
        roster, _, my_first = SwapRequestForm.parse(mine)
        for theirs, label in form.fields["theirs"].choices:
            their_roster, counterpart, their_first = SwapRequestForm.parse(theirs)
            if their_roster != roster:
                continue
            try:
                with transaction.atomic():
                    swap_request_create(
                        actor=user,
                        roster_id=roster,
                        counterpart_id=counterpart,
                        requester_start=my_first,
                        counterpart_start=their_first,
                        reason="试",
                    )
                    raise _Undo
            except _Undo:
                return str(mine_label), form.fields["theirs"].names[theirs], str(label)
            except DomainError:
                continue
    raise AssertionError("no swap of this roster keeps the rules")


def test_a_cadre_asks_a_colleague_for_a_swap(demo: None, page: Page, shoot: Any, settings: Any) -> None:
    # given next month's roster of the demo cadre's township, published
    settings.ROTATION_SOLVE_SECONDS = 3
    user = User.objects.get(username="cadre")
    month = (clock.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    run = generation_request(actor=None, unit=user.cadre.unit, month=month)
    generation_item_run(item_id=run.items.get().pk)
    roster_publish(
        actor=None, roster_obj=Roster.objects.get(unit=user.cadre.unit, month=month), confirm_provisional=True
    )
    days = rest_days_open_to_swap(unit_id=user.cadre.unit_id, after=clock.today())
    mine, name, theirs = _a_swap_keeping_the_rules(user, SwapRequestForm(me=user.cadre, days=days))

    # when the cadre opens 我的轮休 from the nav
    sign_in(page, "cadre")
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="我的轮休").click()
    expect(page.get_by_role("heading", name="我的轮休", level=1)).to_be_visible()
    expect(page.locator(".me-day--rest").first).to_be_visible()
    shoot(page, "my-rest")

    # and asks for a swap without a reason, choosing the colleague by typing their name
    page.get_by_role("link", name="申请换休").first.click()
    expect(page.get_by_role("heading", name="申请换休", level=1)).to_be_visible()
    page.get_by_label("我的休息段").select_option(label=mine)
    page.get_by_label("对方及其休息段").fill(name)
    option = page.locator(".picker-results .picker-option", has_text=theirs)
    expect(option).to_be_visible()
    shoot(page, "colleague-search")
    option.click()
    page.get_by_role("button", name="提交申请").click()

    # then the reason is asked for beside its field, and nothing is saved
    expect(page.locator("#id_reason_error")).to_contain_text("换休理由：")
    assert not SwapRequest.objects.exists()
    shoot(page, "reason-refused")

    # when they give the reason (their choices are still there) and send it again
    expect(page.locator("#id_theirs_chosen")).to_contain_text(theirs)
    page.get_by_label("换休理由").fill("孩子中考，想换到月中陪考")
    page.get_by_role("button", name="提交申请").click()

    # then the request waits for the colleague, and is listed
    expect(page.get_by_text("换休申请已提交，等待对方确认。")).to_be_visible()
    expect(page.locator(".me-swaps")).to_contain_text("待对方确认")
    shoot(page, "asked")
    swap = SwapRequest.objects.get()
    assert swap.counterpart.name == name and swap.reason == "孩子中考，想换到月中陪考"

    # and their check-ups are one click away in the nav
    if page.viewport_name == "phone":
        page.get_by_role("button", name="菜单").click()
    page.locator("#sidenav").get_by_role("link", name="我的体检").click()
    expect(page.get_by_role("heading", name="我的体检", level=1)).to_be_visible()
    shoot(page, "my-checkups")
