"""轮休排班 in the workbench beyond the month page: who is on duty today, swap
approvals, recording a recall, and the due item linking to the month page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from cadrecare.audit.models import AuditEntry
from cadrecare.core import clock
from cadrecare.core.errors import DomainError
from cadrecare.org.choices import LeaderPost, Role
from cadrecare.org.models import Cadre, RoleGrant
from cadrecare.rotation.choices import DayKind, Mode, SwapStatus
from cadrecare.rotation.models import Recall, Roster, RosterDay, RotationPolicy, SwapRequest
from cadrecare.rotation.services import (
    generation_item_run,
    generation_request,
    roster_publish,
    swap_request_create,
    swap_request_respond,
)
from cadrecare.web.actions import action_for
from tests.cadrecare.rotation.conftest import build_township, solved_draft
from tests.cadrecare.web.roster_support import page_url, signed, text
from tests.factories import UserFactory


def test_today_on_duty_lists_leaders_first(cast: Any) -> None:
    # given this month's roster of the township, generated
    build_township(cast.town_a1, 12)
    RotationPolicy.objects.create(unit=cast.town_a1, effective_from=dt.date(2026, 1, 1), mode=Mode.WEEKLY)
    month = clock.today().replace(day=1)
    run = generation_request(actor=None, unit=cast.town_a1, month=month)
    generation_item_run(item_id=run.items.get().pk)

    response = signed(cast.secretary_a1).get("/roster/today/")

    said = text(response)
    assert response.status_code == 200
    assert "本月排班尚未发布（草稿）" in said
    on_duty = RosterDay.objects.filter(
        version=Roster.objects.get(unit=cast.town_a1).current, date=clock.today(), kind=DayKind.DUTY
    ).select_related("cadre")
    leaders = [d.cadre.name for d in on_duty if d.cadre.leader_post != LeaderPost.NONE]
    assert re.search(rf"在岗 {on_duty.count()} 人", said)
    assert said.index("在岗班子成员") < said.index(leaders[0]) < said.index("在岗干部")


def _agreed_swap(cast: Any, monkeypatch: pytest.MonkeyPatch) -> SwapRequest:
    """A published March roster and a swap both cadres agreed to, on 20 February."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 2, 20))
    roster, cadres = solved_draft(cast, Mode.MONTHLY)
    roster = roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)
    staff = [c for c in cadres if c.leader_post == LeaderPost.NONE]
    users = {}
    for cadre in staff:
        users[cadre.pk] = UserFactory(username=f"cadre{cadre.pk}")
        RoleGrant.objects.create(user=users[cadre.pk], role=Role.CADRE, unit=cast.town_a1)
        Cadre.objects.filter(pk=cadre.pk).update(user=users[cadre.pk])
    rest = {
        c.pk: sorted(
            RosterDay.objects.filter(version=roster.current, cadre=c, kind=DayKind.REST).values_list("date", flat=True)
        )
        for c in staff
    }
    for a in staff:
        for b in staff:
            if a.pk == b.pk or not rest[a.pk] or not rest[b.pk] or rest[a.pk][0] == rest[b.pk][0]:
                continue
            try:
                swap = swap_request_create(
                    actor=users[a.pk],
                    roster_id=roster.pk,
                    counterpart_id=b.pk,
                    requester_start=rest[a.pk][0],
                    counterpart_start=rest[b.pk][0],
                    reason="孩子中考，想换到月中陪考",
                )
            except DomainError:
                continue
            return swap_request_respond(actor=users[b.pk], swap=swap, accept=True)
    raise AssertionError("no swap of this roster keeps the rules")


def test_a_swap_is_rejected_only_with_a_reason_and_approved_into_the_roster(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    swap = _agreed_swap(cast, monkeypatch)
    client = signed(cast.secretary_a1)

    listed = client.get("/roster/swaps/")
    assert listed.status_code == 200 and swap.requester.name in text(listed) and "待我审批（1）" in text(listed)

    # a rejection without a reason: refused beside the field, nothing changes
    bare = client.post(f"/roster/swaps/{swap.pk}/", {"decision": "reject", "note": ""})
    assert bare.status_code == 400 and "审批意见：不批准时请写明理由" in text(bare)
    assert SwapRequest.objects.get(pk=swap.pk).status == SwapStatus.PENDING_APPROVAL
    # no decision at all: the field says so
    assert "审批：该字段是必填项" in text(client.post(f"/roster/swaps/{swap.pk}/", {"note": "x"}))

    # an approval applies the exchange as a roster edit
    approved = client.post(f"/roster/swaps/{swap.pk}/", {"decision": "approve", "note": ""})
    assert approved.status_code == 303
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPLIED and swap.applied_version is not None


def test_recording_a_recall(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a published March roster, and a cadre resting on 10 March
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 3, 20))
    roster, cadres = solved_draft(cast, Mode.MONTHLY)
    roster_publish(actor=None, roster_obj=roster, confirm_provisional=True)
    rest = RosterDay.objects.filter(version=roster.current, kind=DayKind.REST).order_by("date").first()
    client = signed(cast.secretary_a1)
    url = "/roster/recalls/new/"

    # bad input: a date in the future, a cadre of another township; each beside its field, nothing saved
    future = client.post(url, {"cadre": rest.cadre_id, "date": "2027-03-25", "days_lost": 1, "reason": "防汛"})
    other = client.post(url, {"cadre": cast.cadre_b1.pk, "date": rest.date, "days_lost": 1, "reason": "防汛"})
    assert future.status_code == 400 and "召回日期：召回须是已经发生的事" in text(future)
    assert other.status_code == 400 and re.search(r"被召回的干部：\S*选择", text(other))
    assert not Recall.objects.exists()

    # good input: recorded, audited, listed
    done = client.post(url, {"cadre": rest.cadre_id, "date": rest.date, "days_lost": 1, "reason": "防汛"})
    assert done.status_code == 303
    recall = Recall.objects.get()
    assert recall.recorded_by == cast.secretary_a1
    written = AuditEntry.objects.filter(resource="recalls").exclude(action="read")
    assert list(written.values_list("action", "object_id")) == [("create", str(recall.pk))]  # refusals left none
    assert rest.cadre.name in text(client.get("/roster/recalls/"))


def test_my_items_link_a_draft_to_its_month_page(cast: Any, draft: Any) -> None:
    roster, _ = draft
    action = action_for(cast.secretary_a1, "roster_publish", roster.pk)
    assert action is not None and action_for(cast.cadre_a1_user, "roster_publish", roster.pk) is None
    response = signed(cast.secretary_a1).get(action["url"])
    assert response.status_code == 302 and response["Location"] == page_url(cast.town_a1)
